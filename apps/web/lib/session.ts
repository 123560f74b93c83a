'use client';
import { api, setSignedOutHandler } from './api';
import type { UserDto } from './contracts';
import { stopEngine } from './engine';
import { clearAllOutboxes } from './outbox-storage';
import { forgetPushOnThisDevice } from './web-push';

/** Who is signed in, asked of the server (the cookies are invisible to scripts, by design). */
export async function fetchMe(): Promise<UserDto | null> {
  try {
    return await api<UserDto>('/users/me');
  } catch {
    return null;
  }
}

/** Set once the page is on its way to sign-in: the path changes only when that navigation commits. */
let leaving = false;

/**
 * Once: a sign-out revokes the session, so the socket's `auth:expired` (and its failed refresh) also ends here while
 * the sign-out is still finishing; a second navigation would abort the first.
 */
export function goToSignIn(): void {
  stopEngine();
  if (leaving || typeof window === 'undefined' || location.pathname.startsWith('/sign-in')) return;
  leaving = true;
  location.replace('/sign-in');
}

setSignedOutHandler(goToSignIn);

/** An explicit sign-out also forgets unsent messages: the next person at this browser should not find them. */
export async function signOut(): Promise<void> {
  await api('/auth/logout', { method: 'POST', noRefresh: true }).catch(() => undefined);
  clearAllOutboxes();
  await forgetPushOnThisDevice();
  goToSignIn();
}
