// The HAR recorder as an addon: every exchange a source hands over, bodies included, as the Inspector hands it (masked unless asked).
import { InputError } from '../model/index.js';
import type { InspectorAddon } from '../pipeline/inspector.js';
import { HarWriter } from './har-writer.js';
import { TOOL_NAME } from './report-meta.js';

export interface HarRecorder extends InspectorAddon {
  /** Entries written so far. */
  readonly entries: number;
  /** Closes the file (also what `done` does). */
  close(): Promise<void>;
}

/**
 * Opens `path` (an input error when it cannot be written) and records into it, flushed per
 * exchange. `masked` says that the Inspector masks the exchanges (it is not run with
 * `recordSecrets`): the file then says so.
 */
export async function harRecorderAddon(path: string, options: { readonly masked: boolean; readonly toolVersion: string }): Promise<HarRecorder> {
  let writer: HarWriter;
  try {
    writer = await HarWriter.create(path, { masked: options.masked, creator: { name: TOOL_NAME, version: options.toolVersion } });
  } catch (error) {
    throw new InputError('unreadable', `cannot write the recording (${(error as NodeJS.ErrnoException).code ?? String(error)})`, path, { cause: error });
  }
  return {
    name: 'HAR recorder',
    get entries() {
      return writer.entries;
    },
    exchange(exchange) {
      writer.add(exchange);
    },
    close: () => writer.close(),
    async done() {
      await writer.close();
    },
  };
}
