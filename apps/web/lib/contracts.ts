// The web app speaks the server's own contracts: the same payload types, never a hand-kept copy.
export type { PublicUserDto, UserDto } from '../../../libs/contracts/src/users.contract';
export type { Page } from '../../../libs/contracts/src/pagination';
export type { ChatSummaryDto, LastMessagePreview, MemberReadStateDto, SystemEvent } from '../../../libs/contracts/src/chats.contract';
export type { MessageDto, ImageRef, FileRef, FilePreview, HistoryPage, ReplyPreview, ReactionDto, PinDto } from '../../../libs/contracts/src/messages.contract';
export type { SearchHitDto, SearchResultPage, SearchOrder, TextRange } from '../../../libs/contracts/src/message-search';
export { MAX_SEARCH_QUERY_LENGTH } from '../../../libs/contracts/src/message-search';
export type {
  ServerToClientEvents,
  ClientToServerEvents,
  ChatUpdatedPayload,
  NewMessagePayload,
  ReceiptPayload,
  ReactionsPayload,
  TypingPayload,
  PresenceState,
  SyncChatPosition,
  SyncResult,
  PinChangedPayload,
  BlockChangedPayload,
  Ack,
} from '../../../libs/contracts/src/socket-events';
export { SOCKET_PATH, TYPING_EXPIRES_MS } from '../../../libs/contracts/src/socket-events';
export { previewOf } from '../../../libs/contracts/src/previews';
export { MENTION_PATTERN, MAX_MENTIONS_PER_MESSAGE, mentionToken, mentionedIds, splitMentions, withMentionNames } from '../../../libs/contracts/src/mentions';
export type { MentionPiece } from '../../../libs/contracts/src/mentions';
