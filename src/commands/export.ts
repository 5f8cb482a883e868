// `oauth-inspect export`: the frames of the streams that carry findings, as a pcapng Wireshark opens with comments and keys.
import { closeSync, openSync, writeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InputError, type Finding } from '../model/index.js';
import type { InspectorAddon } from '../pipeline/inspector.js';
import type { CaptureObserver } from '../pipeline/read-exchanges.js';
import { scanFiles } from '../pipeline/scan.js';
import { ruleList } from '../rules/index.js';
import { openInput, STDIN_PATH } from '../sources/input-file.js';
import { readPacketFile } from '../sources/packet-file.js';
import { AnomalyReporter } from '../report/anomaly-reporter.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { decryptionSecrets, enhancedPacket, interfaceDescription, sectionHeader, TLS_KEY_LOG } from '../report/pcapng-writer.js';
import { findingPlace, plural } from '../report/scan-view.js';
import { loadKeyLog } from '../tls/load-key-log.js';
import type { KeyLog } from '../tls/key-log.js';
import { TOOL_VERSION } from '../version.js';
import { EXIT_OK, type CliIo } from './io.js';
import { refuseOutputOverInput } from './output-not-input.js';
import { configFor, type ScanOptions } from './scan.js';

export interface ExportOptions extends Pick<ScanOptions, 'rules' | 'realm' | 'issuer' | 'cert' | 'metadata' | 'keylog'> {
  readonly output: string;
  readonly rule?: string[];
  readonly stream?: number[];
}

/** Bytes gathered before one write to the output file. */
const WRITE_BATCH = 1 << 20;

/** What the first pass learns of one capture file. */
interface FileFacts {
  /** Frame numbers of each tcp.stream, in file order. */
  readonly framesByStream: Map<number, number[]>;
  readonly clientRandomByStream: Map<number, string>;
  /** Streams that carry a selected finding. */
  readonly flaggedStreams: Set<number>;
  /** opt_comment lines per flagged frame. */
  readonly comments: Map<number, string[]>;
}

function factsOf(byFile: Map<string, FileFacts>, file: string): FileFacts {
  let facts = byFile.get(file);
  if (facts === undefined) {
    facts = { framesByStream: new Map(), clientRandomByStream: new Map(), flaggedStreams: new Set(), comments: new Map() };
    byFile.set(file, facts);
  }
  return facts;
}

/** The first pass: every finding (of the selected rules) marks its stream and frame; frames are mapped to streams. */
function firstPassObservers(byFile: Map<string, FileFacts>, rules: ReadonlySet<string> | undefined): { observer: CaptureObserver; addon: InspectorAddon } {
  const note = (finding: Finding): void => {
    if (rules !== undefined && !rules.has(finding.ruleId)) return;
    const place = findingPlace(finding);
    if (place.stream === null) return;
    const facts = factsOf(byFile, place.file);
    facts.flaggedStreams.add(place.stream);
    if (place.frame === null) return;
    const line = `oauth-inspect ${finding.ruleId} (${finding.severity}): ${finding.message}`;
    const lines = facts.comments.get(place.frame);
    if (lines === undefined) facts.comments.set(place.frame, [line]);
    else if (!lines.includes(line)) lines.push(line);
  };
  return {
    observer: {
      segment(file, frame, stream) {
        const frames = factsOf(byFile, file).framesByStream;
        const list = frames.get(stream);
        if (list === undefined) frames.set(stream, [frame]);
        else if (list[list.length - 1] !== frame) list.push(frame);
      },
      clientHello(file, stream, clientRandom) {
        factsOf(byFile, file).clientRandomByStream.set(stream, clientRandom.toString('hex'));
      },
    },
    addon: {
      name: 'export',
      judged: (judgement) => judgement.findings.forEach(note),
      captureFindings: (findings) => findings.forEach(note),
    },
  };
}

/** A file written in batches, synchronously (the capture reader hands frames synchronously). */
class BatchedFile {
  readonly #fd: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(readonly path: string) {
    try {
      this.#fd = openSync(path, 'w');
    } catch (error) {
      throw new InputError('unreadable', `cannot write the export (${(error as NodeJS.ErrnoException).code ?? String(error)})`, path);
    }
  }

  write(bytes: Buffer): void {
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes >= WRITE_BATCH) this.flush();
  }

  flush(): void {
    if (this.#pendingBytes === 0) return;
    this.#attempt(() => writeSync(this.#fd, Buffer.concat(this.#pending, this.#pendingBytes)));
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      this.#attempt(() => closeSync(this.#fd));
    }
  }

  /** A write that fails (a full disk) is one line naming the file, exit 2. */
  #attempt(write: () => void): void {
    try {
      write();
    } catch (error) {
      throw new InputError('unreadable', `cannot write the export (${(error as NodeJS.ErrnoException).code ?? String(error)})`, this.path);
    }
  }
}

/** Closes after an error that is already on its way: a second failure would hide the first. */
function closeQuietly(file: BatchedFile): void {
  try {
    file.close();
  } catch {
    // the first error is the one to report
  }
}

/** The key-log lines of the selected TLS connections, as the text of one Decryption Secrets Block. */
function keyLogLinesFor(facts: FileFacts, streams: ReadonlySet<number>, keyLog: KeyLog): { text: string; connections: number } {
  const lines: string[] = [];
  let connections = 0;
  for (const stream of streams) {
    const random = facts.clientRandomByStream.get(stream);
    const forStream = random === undefined ? [] : keyLog.linesFor(random);
    if (forStream.length > 0) connections++;
    lines.push(...forStream);
  }
  return { text: lines.length > 0 ? `${lines.join('\n')}\n` : '', connections };
}

/**
 * Export reads each capture twice (findings first, then the frames), from packets: a pipe cannot be
 * read again, and a HAR or Fiddler archive holds no packets. Either is a usage error naming the file,
 * before anything is read or written.
 */
async function exportableCapture(file: string): Promise<void> {
  const live = file === STDIN_PATH || (await stat(file).then((s) => s.isFIFO() || s.isSocket() || s.isCharacterDevice(), () => false));
  if (live) throw new InputError('bad-usage', 'export reads a capture twice, so it needs a saved file, not a pipe (tcpdump -w FILE, then export FILE)', file);
  const input = await openInput(file);
  const kind = input.format === 'json' ? 'a HAR file' : input.format === 'zip' ? 'a Fiddler archive' : undefined;
  if (kind !== undefined) throw new InputError('unknown-format', `${kind} holds no packets to export: export needs the pcap or pcapng capture (scan reads this one)`, file);
}

export async function exportCommand(files: readonly string[], options: ExportOptions, io: CliIo): Promise<number> {
  const unknown = options.rule?.find((id) => !ruleList.some((rule) => rule.id === id));
  if (unknown !== undefined) throw new InputError('bad-usage', `--rule ${unknown}: no such rule (oauth-inspect rules lists them)`);
  for (const file of files) await exportableCapture(file);
  await refuseOutputOverInput([['--output', options.output]], [...files, ...(options.keylog ? [options.keylog] : [])]);
  const config = await configFor(options);
  const anomalies = new AnomalyReporter((line) => io.stderr.write(`${line}\n`));
  const keyLog = await loadKeyLog(options.keylog, io.env, anomalies.report);
  // Created before anything is read: a path that cannot be written stops the run at once.
  const out = new BatchedFile(options.output);
  let closed = false;
  try {
    const byFile = new Map<string, FileFacts>();
    const { observer, addon } = firstPassObservers(byFile, options.rule?.length ? new Set(options.rule) : undefined);
    await scanFiles(files, config, [addon, { name: 'anomaly lines', anomaly: anomalies.report }], { read: { keyLog, observer } });
    out.write(sectionHeader(`oauth-inspect ${TOOL_VERSION}`));
    let frames = 0;
    let flaggedFrames = 0;
    let streams = 0;
    let decryptable = 0;
    let interfaces = 0;
    for (const file of files) {
      const facts = byFile.get(file);
      if (facts === undefined) continue;
      // A --stream the capture does not have is said, not passed over (tcp.stream numbers start at 0).
      const absent = (options.stream ?? []).filter((stream) => !facts.framesByStream.has(stream));
      if (absent.length > 0) io.stderr.write(`oauth-inspect: ${terminalSafe(file)}: no tcp.stream ${absent.join(', ')} in this capture (it has ${plural(facts.framesByStream.size, 'TCP stream')}); --stream ignored there\n`);
      const selected = new Set([...facts.flaggedStreams, ...(options.stream ?? [])].filter((stream) => facts.framesByStream.has(stream)));
      if (selected.size === 0) continue;
      streams += selected.size;
      const wanted = new Set<number>();
      for (const stream of selected) for (const frame of facts.framesByStream.get(stream)!) wanted.add(frame);
      const secrets = keyLogLinesFor(facts, selected, keyLog);
      decryptable += secrets.connections;
      if (secrets.text !== '') out.write(decryptionSecrets(TLS_KEY_LOG, Buffer.from(secrets.text, 'latin1')));
      const interfaceIds = new Map<string, number>();
      await readPacketFile(file, {
        frame(frame) {
          if (!wanted.has(frame.frameNumber)) return;
          const key = `${frame.interfaceId}/${frame.linkType}`;
          let id = interfaceIds.get(key);
          if (id === undefined) {
            id = interfaces++;
            interfaceIds.set(key, id);
            out.write(interfaceDescription(frame.linkType, frame.snapLength ?? 0));
          }
          const comments = facts.comments.get(frame.frameNumber);
          if (comments !== undefined) flaggedFrames++;
          frames++;
          out.write(enhancedPacket({ interfaceId: id, time: frame.time, data: frame.data, originalLength: frame.originalLength, ...(comments && { comments }) }));
        },
        // Anomalies and embedded secrets were reported and used by the first pass.
        anomaly() {},
        secrets() {},
      });
    }
    const tls = decryptable > 0 ? `; key-log lines of ${plural(decryptable, 'TLS connection')} embedded` : '';
    // Said once the file is complete: a write that fails at the end is the run's one line instead.
    out.close();
    closed = true;
    io.stderr.write(
      streams === 0
        ? `oauth-inspect: no finding${options.rule?.length ? ' of the selected rules' : ''} on a TCP stream and no --stream selected: ${options.output} holds no packets\n`
        : `oauth-inspect: wrote ${plural(frames, 'frame')} of ${plural(streams, 'stream')} (${plural(flaggedFrames, 'flagged frame')}) to ${options.output}${tls}\n`,
    );
  } finally {
    if (!closed) closeQuietly(out);
  }
  return EXIT_OK;
}
