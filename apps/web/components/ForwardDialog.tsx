'use client';
import { useState } from 'react';
import type { MessageDto } from '@/lib/contracts';
import { forwardMessage } from '@/lib/engine';
import { chatPeerId, chatTitle, plainText, sortedChats, useStore } from '@/lib/store';
import { showError, showToast } from '@/lib/toasts';
import { Avatar } from './Avatar';
import { Icon } from './Icon';
import { useFocusTrap } from './use-focus-trap';

/**
 * Pick one of my chats to forward a message to; the copy goes at once and the dialog closes when it is stored.
 * Modal: focus stays inside, Escape cancels, and focus goes back to the message's Forward action.
 */
export function ForwardDialog({ message, onClose, onForwarded }: { message: MessageDto; onClose: () => void; onForwarded: (chatId: string) => void }) {
  const s = useStore((st) => st);
  const [busy, setBusy] = useState(false);
  const box = useFocusTrap<HTMLDivElement>({ trap: true, onEscape: onClose });

  async function send(chatId: string) {
    if (busy) return;
    setBusy(true);
    try {
      await forwardMessage(message.id, chatId);
      showToast(`Forwarded to ${chatTitle(s, s.chats[chatId]!)}`);
      onForwarded(chatId);
    } catch (e) {
      showError(e);
      setBusy(false);
    }
  }

  return (
    <div ref={box} className="fixed inset-0 z-40 flex items-center justify-center bg-black/40 p-4" role="dialog" aria-modal="true" aria-labelledby="forward-title" data-testid="forward-dialog">
      <div className="flex max-h-[80vh] w-full max-w-sm flex-col rounded-2xl bg-white shadow-xl dark:bg-slate-900">
        <header className="flex items-center gap-2 border-b border-slate-200 px-3 py-2.5 dark:border-slate-800">
          <button onClick={onClose} className="rounded-full p-2 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Cancel forwarding">
            <Icon name="close" />
          </button>
          <h2 id="forward-title" className="font-semibold">Forward to…</h2>
        </header>
        <p className="line-clamp-2 px-4 pt-3 text-sm text-slate-500">{message.text ? plainText(s, message.text) : message.image ? 'Photo' : ''}</p>
        <ul className="min-h-0 flex-1 overflow-y-auto p-2" role="list">
          {sortedChats(s).map((chat) => {
            const title = chatTitle(s, chat);
            const peer = chatPeerId(s, chat);
            return (
              <li key={chat.id}>
                <button
                  // Not `disabled`: a disabled button drops focus to the page, and it must stay in the dialog.
                  aria-disabled={busy}
                  onClick={() => void send(chat.id)}
                  className="flex w-full items-center gap-3 rounded-lg px-2 py-2 text-left hover:bg-slate-50 aria-disabled:opacity-50 dark:hover:bg-slate-800"
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
