// A leaf file (no Nest, no bus): the server and the web app share these rules as they are.

/**
 * A mention is written into the text as `@[<userId>]`: the id, never the name, so a renamed user's mentions show
 * their new name (clients put the current name in its place). The ids a text mentions are its `mentions`; an edit
 * changes them with the text, a tombstone has none.
 */
export const MENTION_PATTERN = /@\[([0-9A-Za-z_-]{1,64})\]/g;

/** Different people one message may mention: keeps a message's work (a row per mentioned member) bounded. */
export const MAX_MENTIONS_PER_MESSAGE = 50;

/** The token that mentions `userId` in a message's text. */
export const mentionToken = (userId: string): string => `@[${userId}]`;

/** The ids the text mentions, each once, in the order of their first mention. */
export function mentionedIds(text: string | null | undefined): string[] {
  if (!text || !text.includes('@[')) return [];
  return [...new Set([...text.matchAll(MENTION_PATTERN)].map((m) => m[1]))];
}

/** A piece of a text: plain, or a mention of a user. Joined back (tokens for mentions) they are the text itself. */
export type MentionPiece = { kind: 'text'; text: string } | { kind: 'mention'; userId: string };

export function splitMentions(text: string): MentionPiece[] {
  if (!text.includes('@[')) return [{ kind: 'text', text }];
  const pieces: MentionPiece[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const start = match.index ?? 0;
    if (start > last) pieces.push({ kind: 'text', text: text.slice(last, start) });
    pieces.push({ kind: 'mention', userId: match[1] });
    last = start + match[0].length;
  }
  if (last < text.length) pieces.push({ kind: 'text', text: text.slice(last) });
  return pieces;
}

/**
 * The text as people read it where no markup goes (previews, notifications, Web Push): each mention as `@Name`,
 * with the name `nameOf` gives now. A token a preview cut in half is dropped rather than shown as an id.
 */
export function withMentionNames(text: string, nameOf: (userId: string) => string): string {
  if (!text.includes('@[')) return text;
  return text.replace(MENTION_PATTERN, (_, id: string) => `@${nameOf(id)}`).replace(/@\[[0-9A-Za-z_-]*$/, '@');
}
