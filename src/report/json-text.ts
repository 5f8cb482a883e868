// jsonText: JSON as the reports write it, with DEL and the C1 controls escaped.

/** DEL and C1 controls (U+009B is CSI): JSON.stringify escapes C0 only and leaves these raw. */
const DEL_AND_C1 = /[\u007f-\u009f]/g;

/**
 * `JSON.stringify(value, null, indent)` with DEL and every C1 control written `\u00XX`: the same
 * JSON to any parser, but a header or claim from the traffic cannot reach a terminal as a raw
 * control sequence when a JSON, JSON Lines, ECS or SARIF report is written to one. These characters
 * occur only inside JSON strings, where the escape means the same character.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(DEL_AND_C1, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
