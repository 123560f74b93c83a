import type { OutboxEntry } from './store';

/**
 * Unsent messages survive a reload: only what the user wrote (text, the uploaded image's reference, the reply
 * target) is kept, per user, in localStorage. Never a token: those live in HttpOnly cookies.
 */
const key = (userId: string) => `relay.outbox.${userId}`;

export function loadOutbox(userId: string): OutboxEntry[] {
  try {
    const raw = localStorage.getItem(key(userId));
    const parsed = raw ? (JSON.parse(raw) as OutboxEntry[]) : [];
    // After a reload every entry gets another chance.
    return Array.isArray(parsed) ? parsed.map((e) => ({ ...e, status: 'pending' as const })) : [];
  } catch {
    return [];
  }
}

export function saveOutbox(userId: string, entries: OutboxEntry[]): void {
  try {
    if (entries.length) localStorage.setItem(key(userId), JSON.stringify(entries));
    else localStorage.removeItem(key(userId));
  } catch {
    // storage full or disabled: the outbox still works for this page's life
  }
}

export function clearAllOutboxes(): void {
  try {
    for (const name of Object.keys(localStorage)) if (name.startsWith('relay.outbox.')) localStorage.removeItem(name);
  } catch {
    // storage disabled: nothing was kept
  }
}
