'use client';
import { useEffect } from 'react';
import type { SearchOrder } from '@/lib/contracts';
import { shortWhen } from '@/lib/format';
import { highlightSegments, useMessageSearch } from '@/lib/message-search';
import { ensureUsers } from '@/lib/engine';
import { chatTitle, plainText, useStore, userName } from '@/lib/store';

/** What a result opens: the chat, at that message. */
export interface SearchJump {
  chatId: string;
  messageId: string;
}

/** The results of a message search in the sidebar: chat, sender, when, and the text with the matched words marked. */
export function MessageSearchResults({
  query,
  order,
  chatId,
  onOpen,
}: {
  query: string;
  order: SearchOrder;
  chatId: string | null;
  onOpen: (jump: SearchJump) => void;
}) {
  const s = useStore((st) => st);
  const { hits, loading, error, hasMore, loadMore } = useMessageSearch(query, order, chatId);
  useEffect(() => {
    if (hits.length) void ensureUsers(hits.map((h) => h.message.senderId));
  }, [hits]);

  return (
    <ul className="flex-1 overflow-y-auto" role="list" aria-label="Search results" data-testid="search-results" aria-busy={loading}>
      {error && (
        <li role="alert" className="m-3 rounded-lg bg-red-50 p-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {error}
        </li>
      )}
      {!loading && !error && hits.length === 0 && <li className="p-6 text-center text-sm text-slate-500" data-testid="search-empty">No messages found</li>}
      {hits.map(({ message, highlights }) => {
        const chat = s.chats[message.chatId];
        return (
          <li key={message.id}>
            <button
              onClick={() => onOpen({ chatId: message.chatId, messageId: message.id })}
              className="flex w-full flex-col gap-0.5 px-4 py-2.5 text-left hover:bg-slate-50 dark:hover:bg-slate-900"
              data-testid="search-result"
              data-message-id={message.id}
              data-chat-id={message.chatId}
            >
              <span className="flex items-baseline gap-2 text-sm">
                <span className="flex-1 truncate font-medium">{chat ? chatTitle(s, chat) : 'Chat'}</span>
                <span className="shrink-0 text-xs text-slate-500">{shortWhen(message.createdAt)}</span>
              </span>
              <span className="line-clamp-2 break-words text-sm text-slate-600 [overflow-wrap:anywhere] dark:text-slate-300">
                <span className="text-slate-500">{message.senderId === s.me?.id ? 'You' : userName(s, message.senderId)}: </span>
                {highlightSegments(message.text ?? '', highlights).map((part, i) =>
                  part.match ? (
                    <mark key={i} className="rounded bg-amber-200 px-0.5 text-inherit dark:bg-amber-700" data-testid="search-match">
                      {part.text}
                    </mark>
                  ) : (
                    <span key={i}>{plainText(s, part.text)}</span>
                  ),
                )}
              </span>
            </button>
          </li>
        );
      })}
      {loading && <li className="p-4 text-center text-sm text-slate-500">Searching…</li>}
      {hasMore && !loading && (
        <li className="p-2 text-center">
          <button onClick={loadMore} className="text-sm text-brand-600 underline dark:text-brand-400" data-testid="search-more">
            More results
          </button>
        </li>
      )}
    </ul>
  );
}
