// Strict base64 / base64url decoding: Buffer.from(…, 'base64') accepts garbage, these do not.

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Standard base64 (padding optional) to bytes, or undefined when the text is not base64. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const unpadded = text.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return undefined;
  return Buffer.from(unpadded, 'base64');
}

/** Unpadded base64url to bytes, or undefined when the text is not base64url. */
export function decodeBase64UrlStrict(text: string): Buffer | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64url');
}
