import { OutboxEvent, SqliteDatabase, SqliteOutbox } from '@chat/platform';
import { User } from '../../domain/user';
import { UserRepository, UserSearchCursor, UserSearchPage } from '../user.repository';

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  name_key: string;
  avatar_url: string | null;
  created_at: number;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  avatarUrl: row.avatar_url,
  createdAt: new Date(row.created_at),
});

/** Escapes LIKE wildcards so a search for "a_b" means exactly that. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class SqliteUserRepository extends UserRepository {
  readonly outbox: SqliteOutbox;
  private readonly statements;

  constructor(private readonly db: SqliteDatabase) {
    super();
    this.outbox = new SqliteOutbox(db);
    this.statements = {
      // Point lookup on the primary key.
      byId: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
      // Point lookup on the unique email index.
      byEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
      insert: db.prepare(
        'INSERT INTO users (id, email, display_name, name_key, avatar_url, created_at) VALUES (@id, @email, @display_name, @name_key, @avatar_url, @created_at) ON CONFLICT(email) DO NOTHING',
      ),
      // Range scan of users_by_name from the cursor.
      search: db.prepare<[string, string, string, string, string, number], UserRow>(`
        SELECT * FROM users
        WHERE (name_key > ? OR (name_key = ? AND id > ?))
          AND name_key LIKE ? ESCAPE '\\'
          AND id != ?
        ORDER BY name_key, id
        LIMIT ?`),
      update: db.prepare(
        'UPDATE users SET display_name = COALESCE(@display_name, display_name), name_key = COALESCE(@name_key, name_key), avatar_url = CASE WHEN @set_avatar THEN @avatar_url ELSE avatar_url END WHERE id = @id',
      ),
    };
  }

  async insertIfEmailFree(user: User): Promise<{ user: User; created: boolean }> {
    const result = this.statements.insert.run({
      id: user.id,
      email: user.email,
      display_name: user.displayName,
      name_key: user.displayName.toLowerCase(),
      avatar_url: user.avatarUrl,
      created_at: user.createdAt.getTime(),
    });
    const stored = this.statements.byEmail.get(user.email)!;
    return { user: toUser(stored), created: result.changes === 1 };
  }

  async findById(id: string): Promise<User | null> {
    const row = this.statements.byId.get(id);
    return row ? toUser(row) : null;
  }

  async findByIds(ids: string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    // Primary-key lookups, one per id, in one statement.
    const rows = this.db.prepare<string[], UserRow>(`SELECT * FROM users WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids);
    return rows.map(toUser);
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = this.statements.byEmail.get(email);
    return row ? toUser(row) : null;
  }

  async searchByNamePrefix(prefix: string, after: UserSearchCursor | null, limit: number, excludeId = ''): Promise<UserSearchPage> {
    const pattern = likePrefix(prefix.toLowerCase());
    const rows = this.statements.search.all(after?.name ?? '', after?.name ?? '', after?.id ?? '', pattern, excludeId, limit + 1);
    const users = rows.slice(0, limit).map(toUser);
    const last = rows.length > limit ? rows[limit - 1] : null;
    return { users, next: last ? { name: last.name_key, id: last.id } : null };
  }

  async updateProfile(id: string, changes: { displayName?: string; avatarUrl?: string | null }, announce: (user: User) => OutboxEvent[] = () => []): Promise<User | null> {
    const changing = changes.displayName !== undefined || changes.avatarUrl !== undefined;
    return this.db.transaction(() => {
      const result = this.statements.update.run({
        id,
        display_name: changes.displayName ?? null,
        name_key: changes.displayName?.toLowerCase() ?? null,
        set_avatar: changes.avatarUrl !== undefined ? 1 : 0,
        avatar_url: changes.avatarUrl ?? null,
      });
      const row = this.statements.byId.get(id);
      if (!row) return null;
      const user = toUser(row);
      if (changing && result.changes === 1) this.outbox.record(announce(user));
      return user;
    }).immediate();
  }
}
