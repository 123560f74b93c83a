/**
 * Finds the links in a message's text. Only http:, https: and mailto: URLs written out in full become links;
 * everything else (javascript:, data:, HTML, Markdown) stays text. The result is data, never markup: the bubble
 * renders each piece as a text node or an <a> whose href is the parsed URL.
 */
export type TextPiece = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
// A candidate starts at a scheme we allow, not glued to a word before it (so "xhttp://" is not one), and runs to
// the next whitespace or character that cannot be in a URL as people paste it.
const CANDIDATE = /(?<![\p{L}\p{N}_])(?:https?:\/\/|mailto:)[^\s<>"'`]+/giu;
// Sentence punctuation after a URL belongs to the sentence.
const TRAILING = /[.,;:!?'"*_~]+$/;

/** The candidate without the sentence's punctuation, and without a closing bracket it did not open. */
function trimCandidate(candidate: string): string {
  let url = candidate;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING, '');
    for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
      if (url.endsWith(close) && count(url, close) > count(url, open)) url = url.slice(0, -1);
    }
    if (url === before) return url;
  }
}

const count = (text: string, char: string) => text.split(char).length - 1;

/** The URL a link may point at, or null: an allowed protocol, a host for http(s), an address for mailto. */
export function safeHref(candidate: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(parsed.protocol)) return null;
  if (parsed.protocol === 'mailto:') return /^[^@\s]+@[^@\s]+$/.test(decodeSafely(parsed.pathname)) ? parsed.href : null;
  return parsed.hostname ? parsed.href : null;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The text cut into plain pieces and links, in order; joined back, the pieces' texts are the text itself. */
export function splitLinks(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index ?? 0;
    const url = trimCandidate(match[0]);
    const href = safeHref(url);
    if (!href) continue;
    if (start > last) pieces.push({ kind: 'text', text: text.slice(last, start) });
    pieces.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) pieces.push({ kind: 'text', text: text.slice(last) });
  return pieces;
}
