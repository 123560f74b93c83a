import type { MessageDto } from './messages.contract';

/** Longest search query taken (characters, before tokenizing). */
export const MAX_SEARCH_QUERY_LENGTH = 200;
export const DEFAULT_SEARCH_PAGE = 20;
export const MAX_SEARCH_PAGE = 50;
export const SEARCH_ORDERS = ['newest', 'relevance'] as const;
export type SearchOrder = (typeof SEARCH_ORDERS)[number];

export interface SearchMessagesQuery {
  userId: string;
  /** The words to find (every word must be in a message); punctuation and search syntax are plain text. */
  query: string;
  /** Only this chat; all the user's chats when absent. */
  chatId?: string;
  /** Newest first (the default) or most relevant first. */
  order?: SearchOrder;
  /** `nextCursor` of the previous page (same query, chat and order). */
  cursor?: string;
  limit?: number;
}
/** Where a matched word is in the message's text: [start, end) in UTF-16 code units, as String.slice takes them. */
export interface TextRange {
  start: number;
  end: number;
}
export interface SearchHitDto {
  /** The message as it is now (never a tombstone, never one hidden for the user). */
  message: MessageDto;
  /** The matched words in `message.text`, in order, not overlapping. Render them as marks; never as HTML. */
  highlights: TextRange[];
}
export interface SearchResultPage {
  items: SearchHitDto[];
  /** Opaque: ask again with it for the next page; null when there is none. */
  nextCursor: string | null;
}
