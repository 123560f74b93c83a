import { MAX_UNREAD_MENTION_SEQS, mentionedIds, MessageDto } from '@chat/contracts';

/**
 * The mentions of one message as one of its events tells them (created, edited or deleted), with the state they
 * belong to. States sort as strings in the order they follow each other: sent `0`, edited `1:<editedAt>` (later
 * edits later), deleted `2`. Applying keeps the latest state, so events merge in any order and any number of times.
 */
export interface MentionState {
  seq: number;
  state: string;
  /** Who the message mentions in that state, the sender left out (one's own mention is never unread). */
  userIds: string[];
}

export function mentionStateKey(message: Pick<MessageDto, 'editedAt' | 'deletedAt'>): string {
  if (message.deletedAt) return '2';
  return message.editedAt ? `1:${message.editedAt}` : '0';
}

/**
 * What a message event changes of mentions, or null when nothing: a new message without mentions (the common case,
 * no read and no write). An edit or a deletion always counts: it may take away mentions an earlier state had, and a
 * late "sent" state of the same message must not bring them back.
 */
export function mentionStateOf(message: MessageDto): MentionState | null {
  const mentioned = message.deletedAt ? [] : (message.mentions ?? mentionedIds(message.text));
  if (mentioned.length === 0 && !message.editedAt && !message.deletedAt) return null;
  return { seq: message.seq, state: mentionStateKey(message), userIds: mentioned.filter((id) => id !== message.senderId) };
}

/** Whether `incoming` is a later state of the message than the one held (none held: it is). */
export const isLaterMentionState = (held: string | null, incoming: string): boolean => held === null || incoming > held;

/** The mentions a member has not read: past their read pointer, ascending, at most MAX_UNREAD_MENTION_SEQS. */
export function unreadMentionSeqs(seqs: number[], lastReadSeq: number): number[] {
  return seqs.filter((seq) => seq > lastReadSeq).sort((a, b) => a - b).slice(0, MAX_UNREAD_MENTION_SEQS);
}
