/** A person. Emails are stored lower-cased and trimmed; they identify the account for sign-in. */
export interface User {
  id: string;
  email: string;
  displayName: string;
  avatarUrl: string | null;
  createdAt: Date;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** "ada.lovelace@example.com" → "ada.lovelace": a name to start with, changeable in the profile. */
export function defaultDisplayName(email: string): string {
  const local = normalizeEmail(email).split('@')[0] ?? '';
  return local.slice(0, 64) || 'New user';
}
