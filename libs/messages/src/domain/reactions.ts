import { MAX_REACTION_EMOJI_LENGTH, MAX_REACTION_KINDS, ReactionDto } from '@chat/contracts';

/** One member's reaction as stored: one row per (message, emoji, member), so a member has each emoji once. */
export interface Reaction {
  seq: number;
  emoji: string;
  userId: string;
  createdAt: Date;
}

// One recommended-for-general-interchange emoji (a single grapheme by construction: flags, keycaps, skin tones
// and ZWJ sequences included). Built at run time: the `v` flag is newer than the compile target.
const ONE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const VARIATION_SELECTOR_16 = '\uFE0F';

/**
 * The emoji as stored, or null when `input` is not exactly one emoji. A character with a text default (❤, ☺) is
 * taken in its emoji form (with U+FE0F), so "❤" and "❤️" are one reaction, not two.
 */
export function normalizeReactionEmoji(input: unknown): string | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_REACTION_EMOJI_LENGTH) return null;
  if (ONE_EMOJI.test(input)) return input;
  const emojiForm = input + VARIATION_SELECTOR_16;
  return emojiForm.length <= MAX_REACTION_EMOJI_LENGTH && ONE_EMOJI.test(emojiForm) ? emojiForm : null;
}

/**
 * Whether `emoji` may be added to a message whose reactions use `emojisInUse` (distinct): an emoji already there
 * always may (another member joins it), a new one only while fewer than MAX_REACTION_KINDS are in use.
 */
export function mayAddReaction(emojisInUse: readonly string[], emoji: string): boolean {
  return emojisInUse.includes(emoji) || emojisInUse.length < MAX_REACTION_KINDS;
}

/**
 * A message's reactions as members see them: one entry per emoji, in the order each emoji was first used, with
 * the members in the order they reacted. `reactions` are one message's rows, in any order.
 */
export function summarizeReactions(reactions: readonly Reaction[]): ReactionDto[] {
  const ordered = [...reactions].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.userId.localeCompare(b.userId));
  const byEmoji = new Map<string, ReactionDto>();
  for (const r of ordered) {
    const entry = byEmoji.get(r.emoji);
    if (entry) {
      if (!entry.userIds.includes(r.userId)) entry.userIds.push(r.userId);
    } else {
      byEmoji.set(r.emoji, { emoji: r.emoji, count: 0, userIds: [r.userId] });
    }
  }
  return [...byEmoji.values()].map((entry) => ({ ...entry, count: entry.userIds.length }));
}

/** Rows of several messages grouped by seq, each summarized (a page of history in one query). */
export function reactionsBySeq(reactions: readonly Reaction[]): Map<number, ReactionDto[]> {
  const rows = new Map<number, Reaction[]>();
  for (const r of reactions) {
    const list = rows.get(r.seq);
    if (list) list.push(r);
    else rows.set(r.seq, [r]);
  }
  return new Map([...rows].map(([seq, list]) => [seq, summarizeReactions(list)]));
}
