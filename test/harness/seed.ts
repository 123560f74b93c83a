import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

/**
 * Puts people straight into the Users module's own database file (created by the running users process),
 * for suites about something other than sign-in. SQLite allows a second writer process.
 */
export function seedUsers(dataDir: string, people: { email: string; displayName: string }[]): { id: string; email: string; displayName: string }[] {
  const db = new Database(join(dataDir, 'users.sqlite'));
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare('INSERT INTO users (id, email, display_name, name_key, avatar_url, created_at) VALUES (?, ?, ?, ?, NULL, ?)');
  const seeded = people.map((person) => {
    const id = randomUUID();
    insert.run(id, person.email, person.displayName, person.displayName.toLowerCase(), Date.now());
    return { id, ...person };
  });
  db.close();
  return seeded;
}
