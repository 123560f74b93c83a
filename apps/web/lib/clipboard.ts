import { showToast } from './toasts';

/** A message's text to the clipboard, and a toast that says it happened (nothing on screen changes otherwise). */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    showToast('Copied');
  } catch {
    showToast('Could not copy: the browser did not allow it.', 'error');
  }
}
