// Content-Encoding undone (gzip, x-gzip, deflate as zlib or raw, br) with a cap on the decoded size.
// Does not stream: it takes a whole (possibly truncated) body and decodes what it can.
import zlib from 'node:zlib';

export interface DecodedContent {
  /** Decoded bytes, at most `cap`; the raw input (capped) when decoding failed. */
  readonly bytes: Buffer;
  /** True when `bytes` is less than the whole decoded body: cap reached or decoding failed. */
  readonly truncated: boolean;
  /** Why decoding failed (unsupported coding or corrupt data). */
  readonly error?: string;
}

type Decoder = (input: Buffer, cap: number) => Buffer;

const zlibOptions = (cap: number): zlib.ZlibOptions => ({
  maxOutputLength: cap,
  // Sync flush instead of finish: a truncated body decodes as far as it goes.
  finishFlush: zlib.constants.Z_SYNC_FLUSH,
});

const gunzip: Decoder = (input, cap) => zlib.gunzipSync(input, zlibOptions(cap));

/** `deflate` is meant to be zlib-wrapped (RFC 9110) but some servers send raw deflate. */
const inflate: Decoder = (input, cap) =>
  hasZlibHeader(input) ? zlib.inflateSync(input, zlibOptions(cap)) : zlib.inflateRawSync(input, zlibOptions(cap));

const brotli: Decoder = (input, cap) =>
  zlib.brotliDecompressSync(input, {
    maxOutputLength: cap,
    finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
  });

const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflate,
  br: brotli,
};

function hasZlibHeader(input: Buffer): boolean {
  if (input.length < 2) return false;
  const cmf = input[0]!;
  return (cmf & 0x0f) === 8 && ((cmf << 8) | input[1]!) % 31 === 0;
}

/** The codings of a Content-Encoding value, lower-cased, in the order they were applied. */
export function contentCodings(encoding: string): string[] {
  return encoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
}

/**
 * Undoes every coding of `encoding` (a Content-Encoding value) on `bytes`, last applied first,
 * keeping at most `cap` decoded bytes. Never throws on bad data: failures come back as `error`.
 */
export function decodeContentEncoding(bytes: Buffer, encoding: string, cap: number): DecodedContent {
  const codings = contentCodings(encoding);
  let current = bytes;
  let truncated = false;
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!;
    const decoder = DECODERS[coding];
    if (!decoder) return failed(bytes, cap, `unsupported content-encoding "${coding}"`);
    try {
      const step = decodeCapped(decoder, current, cap);
      current = step.bytes;
      truncated ||= step.truncated;
    } catch (error) {
      return failed(bytes, cap, `${coding} decoding failed: ${(error as Error).message}`);
    }
  }
  if (current.length > cap) return { bytes: current.subarray(0, cap), truncated: true };
  return { bytes: current, truncated };
}

function failed(raw: Buffer, cap: number, error: string): DecodedContent {
  return { bytes: raw.length > cap ? raw.subarray(0, cap) : raw, truncated: true, error };
}

function isTooLarge(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
}

/** Most decodes a capped body needs before it settles for a prefix this close to the cap. */
const MAX_PREFIX_ATTEMPTS = 12;
const GOOD_ENOUGH_FILL = 0.9;

/**
 * Node's sync decoders throw instead of returning a capped result, so when the whole input
 * decodes to more than `cap`, search for the longest input prefix whose output fits (guided by
 * the compression ratio seen so far) and keep that output.
 */
function decodeCapped(decoder: Decoder, input: Buffer, cap: number): { bytes: Buffer; truncated: boolean } {
  try {
    return { bytes: decoder(input, cap), truncated: false };
  } catch (error) {
    if (!isTooLarge(error)) throw error;
  }
  let fits = 0;
  let best: Buffer = Buffer.alloc(0);
  let tooLarge = input.length;
  let prefix = Math.max(1, Math.floor(input.length / 2));
  for (let attempt = 0; attempt < MAX_PREFIX_ATTEMPTS && tooLarge - fits > 1; attempt++) {
    try {
      const output = decoder(input.subarray(0, prefix), cap);
      fits = prefix;
      best = output;
      if (output.length >= cap * GOOD_ENOUGH_FILL) break;
      const guess = output.length > 0 ? Math.floor((prefix * cap * 0.95) / output.length) : prefix * 2;
      prefix = Math.min(Math.max(guess, fits + 1), tooLarge - 1);
    } catch (error) {
      if (!isTooLarge(error)) throw error;
      tooLarge = prefix;
      prefix = fits + Math.max(1, Math.floor((tooLarge - fits) / 2));
    }
  }
  return { bytes: best, truncated: true };
}
