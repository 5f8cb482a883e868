// terminalSafe: text from the traffic made harmless for a terminal. It does not mask secrets or
// escape markup (blessed tags are the dashboard's business), and it is not for JSON, SARIF or JUnit.

/** C0 controls (tab and newline too: a value never carries a line break of the report), DEL and C1. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Every C0 and C1 control character and DEL as a visible escape (`\x1b`, `\x07`, `\u009b`), so
 * that a user name, a Host header or a challenge parameter cannot retitle, clear or recolour the
 * terminal. Apply it to values, never to lines that hold the report's own colour codes.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, visible);
}
