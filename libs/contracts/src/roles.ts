/** The roles a process can run. `MODULES=all` runs every one of them in one process. */
export const ROLES = ['gateway', 'auth', 'users', 'chats', 'messages', 'mail'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
