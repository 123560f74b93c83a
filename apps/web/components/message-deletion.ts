import { askConfirm } from '@/lib/confirm';
import { deleteForMe, deleteMessage } from '@/lib/engine';
import { showError, showToast } from '@/lib/toasts';

/**
 * Focus was on the action that deleted the message, and that action is gone with it: the message itself (its
 * tombstone), else the list, takes focus, so a keyboard user is not thrown back to the top of the page.
 */
function keepFocusNear(messageId: string): void {
  // After React has drawn the change.
  setTimeout(() => {
    if (document.activeElement && document.activeElement !== document.body) return;
    const inMessage = document.getElementById(`m-${messageId}`)?.querySelector<HTMLElement>('[tabindex], button');
    if (inMessage) return inMessage.focus();
    const list = document.querySelector<HTMLElement>('[data-testid=message-list]');
    if (!list) return;
    if (!list.hasAttribute('tabindex')) list.tabIndex = -1;
    list.focus();
  }, 0);
}

export async function confirmDeleteForEveryone(messageId: string): Promise<void> {
  const ok = await askConfirm({ title: 'Delete for everyone?', body: 'Everyone in this chat will see that the message was deleted.', confirmLabel: 'Delete', danger: true });
  if (!ok) return;
  try {
    await deleteMessage(messageId);
    showToast('Message deleted');
    keepFocusNear(messageId);
  } catch (e) {
    showError(e);
  }
}

export async function confirmDeleteForMe(chatId: string, messageId: string): Promise<void> {
  const ok = await askConfirm({ title: 'Delete for you?', body: 'Others in this chat still see it.', confirmLabel: 'Delete for me', danger: true });
  if (!ok) return;
  try {
    await deleteForMe(chatId, messageId);
    showToast('Message deleted');
    keepFocusNear(messageId);
  } catch (e) {
    showError(e);
  }
}
