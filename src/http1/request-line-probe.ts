// RequestLineProbe: decides from a direction's first bytes whether it starts with an HTTP/1.x request line.
import { ByteAccumulator } from './byte-accumulator.js';
import { TCHAR, parseCutRequestLine, parseRequestLine } from './start-line.js';

export type ProbeVerdict = 'request' | 'other' | 'undecided';

/** A first line longer than this is judged by its beginning, as a line the snapshot length cut is. */
export const MAX_PROBED_LINE_BYTES = 16 * 1024;

const LF = 0x0a;
const SP = 0x20;

/**
 * Fed the first bytes of one direction, says `request` once a whole valid request line is
 * seen and `other` as soon as the bytes cannot be one (a TLS record or a binary protocol fails
 * on the first byte, a text protocol at the end of its first line).
 */
export class RequestLineProbe {
  private readonly line = new ByteAccumulator(256, MAX_PROBED_LINE_BYTES);
  /** Bytes of the method checked to be tchar so far; -1 once the method's SP was seen. */
  private methodChecked = 0;
  verdict: ProbeVerdict = 'undecided';

  feed(bytes: Buffer): ProbeVerdict {
    if (this.verdict !== 'undecided') return this.verdict;
    const lf = bytes.indexOf(LF);
    const end = lf < 0 ? bytes.length : lf + 1;
    if (this.line.length + end > MAX_PROBED_LINE_BYTES) {
      this.line.append(bytes, 0, MAX_PROBED_LINE_BYTES - this.line.length);
      return this.cut();
    }
    this.line.append(bytes, 0, end);
    const line = this.line.view();
    while (this.methodChecked >= 0 && this.methodChecked < line.length) {
      const byte = line[this.methodChecked]!;
      if (byte === SP && this.methodChecked > 0) this.methodChecked = -1;
      else if (TCHAR[byte] === 1) this.methodChecked++;
      else return this.decide('other');
    }
    if (lf < 0) return this.verdict;
    return this.decide(parseRequestLine(line, 0, line.length) ? 'request' : 'other');
  }

  /** Bytes were lost before the first line was whole: it cannot be judged. */
  gap(): ProbeVerdict {
    return this.verdict === 'undecided' ? this.decide('other') : this.verdict;
  }

  /** The snapshot length cut the first line: judged as far as it was captured. */
  cut(): ProbeVerdict {
    if (this.verdict !== 'undecided') return this.verdict;
    return this.decide(this.line.length > 0 && parseCutRequestLine(this.line.view()) ? 'request' : 'other');
  }

  private decide(verdict: 'request' | 'other'): ProbeVerdict {
    this.verdict = verdict;
    this.line.clear();
    return verdict;
  }
}
