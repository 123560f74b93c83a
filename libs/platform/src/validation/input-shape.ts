/**
 * What every input must be before any validator looks at it: nested at most MAX_INPUT_DEPTH levels (the
 * validators recurse, and 3,000 levels of `[[[…]]]` exhaust the stack) and made of well-formed Unicode (a lone
 * UTF-16 surrogate, easy to send as `"\ud800"` in JSON, makes validator.js throw "URI malformed", and no store
 * could keep it as it came anyway).
 */
export const MAX_INPUT_DEPTH = 32;

/** Read by code point, a surrogate pair is one character; only a lone surrogate is left in the Cs category. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why the value cannot be input, or null. Iterative, so it cannot itself run out of stack. */
export function inputShapeProblem(value: unknown, maxDepth = MAX_INPUT_DEPTH): string | null {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length) {
    const { value: current, depth } = pending.pop()!;
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return 'Text must be valid Unicode (it contains a lone UTF-16 surrogate)';
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) return `Input is nested more than ${maxDepth} levels deep`;
    for (const [key, child] of Object.entries(current)) {
      if (LONE_SURROGATE.test(key)) return 'Text must be valid Unicode (it contains a lone UTF-16 surrogate)';
      pending.push({ value: child, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * Whether JSON text opens more than `maxDepth` objects or arrays at once, read before it is parsed (the body
 * parser's `verify` hook), so a deep body is refused before anything builds it.
 */
export function jsonNestingExceeds(text: Buffer, maxDepth = MAX_INPUT_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === 0x5c) i++; // backslash: the next byte is escaped
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return false;
}
