// JSON from the wire with its nesting bounded: JSON.parse itself is iterative in V8, but
// JSON.stringify and every recursive walker downstream (masking, text of claims, the dashboard)
// are not, so a value nested thousands deep is cut here, once. It does not validate shapes.

/** What stands in for a container nested deeper than the bound. */
export const NESTED_TOO_DEEP = '… nested too deep';

/** Deepest nesting kept in JSON read from the wire (the top-level value is depth 1). */
export const MAX_JSON_DEPTH = 32;

/** JSON.parse (throwing as it does), with containers deeper than `maxDepth` replaced by NESTED_TOO_DEEP. */
export function parseBoundedJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  return boundJsonDepth(JSON.parse(text), maxDepth);
}

/**
 * Replaces, in place, every object or array nested deeper than `maxDepth` in a freshly parsed
 * JSON value by NESTED_TOO_DEEP, and returns the value. Iterative: no recursion on the input.
 */
export function boundJsonDepth(value: unknown, maxDepth = MAX_JSON_DEPTH): unknown {
  if (!isContainer(value)) return value;
  const pending: Array<{ container: Record<string, unknown>; depth: number }> = [{ container: value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { container, depth } = next;
    for (const key of Object.keys(container)) {
      const child = container[key];
      if (!isContainer(child)) continue;
      // An own "__proto__" key from JSON.parse is a data property, so this assignment sets it.
      if (depth >= maxDepth) container[key] = NESTED_TOO_DEEP;
      else pending.push({ container: child, depth: depth + 1 });
    }
  }
  return value;
}

function isContainer(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
