'use client';
import { useEffect, useState } from 'react';
import type { MessageDto } from '@/lib/contracts';
import { forwardMessage } from '@/lib/engine';
import { chatPeerId, chatTitle, plainText, sortedChats, useStore } from '@/lib/store';
import { Avatar } from './Avatar';
import { Icon } from './Icon';

/** Pick one of my chats to forward a message to; the copy goes at once and the dialog closes when it is stored. */
export function ForwardDialog({ message, onClose, onForwarded }: { message: MessageDto; onClose: () => void; onForwarded: (chatId: string) => void }) {
  const s = useStore((st) => st);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  async function send(chatId: string) {
    setBusy(true);
    setError(null);
    try {
      await forwardMessage(message.id, chatId);
      onForwarded(chatId);
    } catch (e: any) {
      setError(e.message);
      setBusy(false);
    }
  }

  return (
    <div className="fixed inset-0 z-40 flex items-center justify-center bg-black/40 p-4" role="dialog" aria-modal="true" aria-label="Forward message" data-testid="forward-dialog">
      <div className="flex max-h-[80vh] w-full max-w-sm flex-col rounded-2xl bg-white shadow-xl dark:bg-slate-900">
        <header className="flex items-center gap-2 border-b border-slate-200 px-3 py-2.5 dark:border-slate-800">
          <button onClick={onClose} className="rounded-full p-2 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Cancel forwarding">
            <Icon name="close" />
          </button>
          <span className="font-semibold">Forward to…</span>
        </header>
        <p className="line-clamp-2 px-4 pt-3 text-sm text-slate-500">{message.text ? plainText(s, message.text) : message.image ? 'Photo' : ''}</p>
        {error && (
          <p role="alert" className="mx-3 mt-2 rounded-lg bg-red-50 p-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
            {error}
          </p>
        )}
        <ul className="min-h-0 flex-1 overflow-y-auto p-2" role="list">
          {sortedChats(s).map((chat) => {
            const title = chatTitle(s, chat);
            const peer = chatPeerId(s, chat);
            return (
              <li key={chat.id}>
                <button
                  disabled={busy}
                  onClick={() => void send(chat.id)}
                  className="flex w-full items-center gap-3 rounded-lg px-2 py-2 text-left hover:bg-slate-50 disabled:opacity-50 dark:hover:bg-slate-800"
                  data-testid="forward-target"
                  data-chat-id={chat.id}
                >
                  <Avatar name={title} url={chat.kind === 'group' ? chat.avatarUrl : peer ? s.users[peer]?.avatarUrl : null} size={34} />
                  <span className="min-w-0 flex-1 truncate">{title}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
