import { MENTION_PATTERN, mentionToken } from './contracts';

/**
 * The composer's side of mentions. The box shows `@Name` (what people read and type); what is sent carries
 * `@[userId]` for each name chosen from the suggestions, so a rename later shows the new name. A name typed by hand,
 * never chosen, stays plain text.
 */
export interface MentionCandidate {
  userId: string;
  name: string;
}

/** The `@…` being typed right before the caret: an `@` at the start or after a space, and what follows it. */
export interface MentionQuery {
  /** Index of the `@`. */
  start: number;
  query: string;
}

const MAX_QUERY_LENGTH = 32;
export const MAX_SUGGESTIONS = 8;

export function activeMentionQuery(text: string, caret: number): MentionQuery | null {
  const start = text.lastIndexOf('@', caret - 1);
  if (start < 0 || (start > 0 && !/\s/.test(text[start - 1]!))) return null;
  const query = text.slice(start + 1, caret);
  if (query.length > MAX_QUERY_LENGTH || /[\n@[]/.test(query)) return null;
  return { start, query };
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Members whose name (or a word of it) starts with the query, those matching at the very start first, then by name. */
export function filterCandidates(candidates: MentionCandidate[], query: string): MentionCandidate[] {
  const q = fold(query.trim());
  const ranked = candidates
    .map((c) => {
      const name = fold(c.name);
      const rank = name.startsWith(q) ? 0 : name.split(/\s+/).some((word) => word.startsWith(q)) ? 1 : -1;
      return { c, rank };
    })
    .filter((r) => r.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.c.name.localeCompare(b.c.name));
  return ranked.slice(0, MAX_SUGGESTIONS).map((r) => r.c);
}

/** The text with the query replaced by `@Name ` and where the caret goes after it. */
export function insertMention(text: string, at: MentionQuery, caret: number, name: string): { text: string; caret: number } {
  const inserted = `@${name} `;
  return { text: text.slice(0, at.start) + inserted + text.slice(caret), caret: at.start + inserted.length };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What is sent: each chosen `@Name` (a whole name, not the start of a longer word) as its `@[userId]` token. */
export function encodeMentions(text: string, chosen: MentionCandidate[]): string {
  let out = text;
  // Longer names first, so "@Ada Lovelace" is not taken for "@Ada".
  for (const c of [...chosen].sort((a, b) => b.name.length - a.name.length)) {
    out = out.replace(new RegExp(`(^|[^\\p{L}\\p{N}_])@${escapeRegExp(c.name)}(?![\\p{L}\\p{N}_])`, 'gu'), (_, before: string) => before + mentionToken(c.userId));
  }
  return out;
}

/** A stored text made editable again: its tokens as `@Name`, and the mentions to send back when it is saved. */
export function decodeMentions(text: string, nameOf: (userId: string) => string): { text: string; chosen: MentionCandidate[] } {
  const chosen = new Map<string, MentionCandidate>();
  const shown = text.replace(MENTION_PATTERN, (_, userId: string) => {
    const name = nameOf(userId);
    chosen.set(userId, { userId, name });
    return `@${name}`;
  });
  return { text: shown, chosen: [...chosen.values()] };
}
