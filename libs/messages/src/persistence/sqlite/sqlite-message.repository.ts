import { ImageRef } from '@chat/contracts';
import { OutboxEvent, SqliteDatabase, SqliteGroupCommit, SqliteOutbox } from '@chat/platform';
import { Message, MessageDraft } from '../../domain/message';
import { ChatMembership, MemberPointers, movePointers, PointerMove } from '../../domain/read-pointers';
import { AnnounceMessage, AnnouncePointers, FoundMessages, MembershipChange, MessageRepository, MessageSearch } from '../message.repository';
import { chatToken, ftsMatch } from './fts-query';

interface MessageRow {
  chat_id: string;
  seq: number;
  id: string;
  sender_id: string;
  client_message_id: string;
  text: string | null;
  image: string | null;
  reply_to_id: string | null;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  change_seq: number | null;
}

interface MemberRow {
  user_id: string;
  last_read_seq: number;
  last_read_at: number | null;
  last_delivered_seq: number;
  last_delivered_at: number | null;
}

const toPointers = (row: MemberRow): MemberPointers => ({
  userId: row.user_id,
  lastReadSeq: row.last_read_seq,
  lastReadAt: row.last_read_at === null ? null : new Date(row.last_read_at),
  lastDeliveredSeq: row.last_delivered_seq,
  lastDeliveredAt: row.last_delivered_at === null ? null : new Date(row.last_delivered_at),
});

const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  chatId: row.chat_id,
  seq: row.seq,
  senderId: row.sender_id,
  clientMessageId: row.client_message_id,
  text: row.text,
  image: row.image ? (JSON.parse(row.image) as ImageRef) : null,
  replyToId: row.reply_to_id,
  createdAt: new Date(row.created_at),
  editedAt: row.edited_at === null ? null : new Date(row.edited_at),
  deletedAt: row.deleted_at === null ? null : new Date(row.deleted_at),
  changeSeq: row.change_seq,
});

/** Skips what the viewer deleted for themselves: one primary-key probe of message_hides per row read. */
const NOT_HIDDEN = 'NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.user_id = @viewer AND h.chat_id = m.chat_id AND h.seq = m.seq)';

/**
 * The chat's next change number, for the row being updated: one seek to the end of the chat's range of
 * messages_by_change. Inside the UPDATE, so it is read and used under the write lock: no two changes share a
 * number, and they commit in number order.
 */
const NEXT_CHANGE = '(SELECT COALESCE(MAX(c.change_seq), 0) + 1 FROM messages c WHERE c.chat_id = messages.chat_id AND c.change_seq IS NOT NULL)';

/**
 * The lowest seq a member may see in a chat, as SQL over the member's chat_members row (alias `member`): messages
 * sent before they (last) joined are not theirs to find. The one place search reads it; 0 (everything) until the
 * membership projection records a per-member floor.
 */
const visibleFromSeq = (_member: string) => '0';

/**
 * Search, with the FTS5 table as the outer loop (CROSS JOIN fixes the order): matches come in the FTS order and
 * each is kept only when the viewer may see it (member now, past their floor, live, not hidden), until the page is
 * full. Newest first is FTS5's descending rowid order, so the first page reads only as many matches as it needs.
 */
const SEARCH_FROM = `
  FROM message_search s
  CROSS JOIN message_search_rows r ON r.id = s.rowid
  CROSS JOIN chat_members member ON member.chat_id = r.chat_id AND member.user_id = @viewer
  CROSS JOIN messages m ON m.chat_id = r.chat_id AND m.seq = r.seq
  WHERE message_search MATCH @match
    AND (@chat IS NULL OR r.chat_id = @chat)
    AND r.seq >= ${visibleFromSeq('member')}
    AND m.deleted_at IS NULL
    AND ${NOT_HIDDEN}`;

/**
 * Most relevant first ranks the viewer's newest matches, up to this many: bm25 is computed per match, and over
 * every match of a common word (hundreds of thousands) one page would take seconds; 1,000 still took 130 ms at
 * the median in the benchmark (bench/search.bench.js), most of it reading the matches of other people's chats. Relevance pages go by offset
 * within these (bm25 has no stable key), so this is also the deepest a relevance search pages.
 */
const RELEVANCE_WINDOW = 300;

/** The two searches' statements, exported for the benchmark's bare-SQL baseline (bench/search.bench.js). */
export const SEARCH_NEWEST_SQL = `SELECT m.*, s.rowid AS search_row ${SEARCH_FROM} AND s.rowid < @before ORDER BY s.rowid DESC LIMIT @limit`;
export const SEARCH_RELEVANT_SQL = `
  WITH recent AS (SELECT m.*, s.rowid AS search_row, bm25(message_search) AS score ${SEARCH_FROM} ORDER BY s.rowid DESC LIMIT ${RELEVANCE_WINDOW})
  SELECT * FROM recent ORDER BY score, search_row DESC LIMIT @limit OFFSET @offset`;

type SearchRow = MessageRow & { search_row: number };

export class SqliteMessageRepository extends MessageRepository {
  readonly outbox: SqliteOutbox;
  private readonly statements;
  /** New messages share commits: most of an insert's cost is its commit, and sends come in bursts. */
  private readonly groupCommit: SqliteGroupCommit;

  constructor(private readonly db: SqliteDatabase) {
    super();
    this.outbox = new SqliteOutbox(db);
    this.statements = {
      // Point lookup on the unique messages_by_id index.
      byId: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id = ?'),
      // One messages_by_id lookup per id of the JSON array (prepared once, whatever the number of ids).
      byIds: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id IN (SELECT value FROM json_each(?))'),
      // Point lookup on the unique messages_by_client_id index.
      byClientId: db.prepare<[string, string, string], MessageRow>('SELECT * FROM messages WHERE chat_id = ? AND sender_id = ? AND client_message_id = ?'),
      // One seek to the end of the chat's primary-key range.
      lastSeq: db.prepare<[string], { last: number }>('SELECT COALESCE(MAX(seq), 0) AS last FROM messages WHERE chat_id = ?'),
      insert: db.prepare(`
        INSERT INTO messages (chat_id, seq, id, sender_id, client_message_id, text, image, reply_to_id, created_at, edited_at, deleted_at)
        VALUES (@chat_id, @seq, @id, @sender_id, @client_message_id, @text, @image, @reply_to_id, @created_at, NULL, NULL)`),
      // Bounded range scan of the (chat_id, seq) primary key, backwards from the cursor.
      pageBefore: db.prepare<{ chat: string; viewer: string; before: number; limit: number }, MessageRow>(
        `SELECT m.* FROM messages m WHERE m.chat_id = @chat AND m.seq < @before AND ${NOT_HIDDEN} ORDER BY m.seq DESC LIMIT @limit`,
      ),
      // Bounded range scan of the (chat_id, seq) primary key, forwards from the cursor.
      pageAfter: db.prepare<{ chat: string; viewer: string; after: number; limit: number }, MessageRow>(
        `SELECT m.* FROM messages m WHERE m.chat_id = @chat AND m.seq > @after AND ${NOT_HIDDEN} ORDER BY m.seq ASC LIMIT @limit`,
      ),
      // Point updates through messages_by_id, each taking the chat's next change number.
      updateText: db.prepare(`UPDATE messages SET text = ?, edited_at = ?, change_seq = ${NEXT_CHANGE} WHERE id = ? AND deleted_at IS NULL`),
      tombstone: db.prepare(`UPDATE messages SET text = NULL, image = NULL, deleted_at = ?, change_seq = ${NEXT_CHANGE} WHERE id = ? AND deleted_at IS NULL`),
      // One seek to the end of the chat's range of messages_by_change (the IS NOT NULL lets the partial index serve it).
      lastChange: db.prepare<[string], { last: number }>('SELECT COALESCE(MAX(change_seq), 0) AS last FROM messages WHERE chat_id = ? AND change_seq IS NOT NULL'),
      // Bounded range scan of messages_by_change from the cursor, in change order; one primary-key fetch per row.
      changedAfter: db.prepare<{ chat: string; viewer: string; after: number; limit: number }, MessageRow>(
        `SELECT m.* FROM messages m WHERE m.chat_id = @chat AND m.change_seq > @after AND ${NOT_HIDDEN} ORDER BY m.change_seq ASC LIMIT @limit`,
      ),
      // Point insert on the message_hides primary key; hiding twice is one row.
      hide: db.prepare('INSERT INTO message_hides (user_id, chat_id, seq, message_id, hidden_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      // Point lookups on the chat_members and chat_memberships primary keys.
      memberKind: db
        .prepare<[string, string], 'direct' | 'group'>(
          'SELECT p.kind FROM chat_members m JOIN chat_memberships p ON p.chat_id = m.chat_id WHERE m.chat_id = ? AND m.user_id = ?',
        )
        .pluck(),
      // Point lookup on the chat_memberships primary key.
      membership: db.prepare<[string], { kind: 'direct' | 'group'; version: number }>('SELECT kind, version FROM chat_memberships WHERE chat_id = ?'),
      // Range scan of the chat_members primary key's chat_id prefix.
      members: db.prepare<[string], MemberRow>('SELECT user_id, last_read_seq, last_read_at, last_delivered_seq, last_delivered_at FROM chat_members WHERE chat_id = ?'),
      // Point lookup on the chat_members primary key.
      member: db.prepare<[string, string], MemberRow>(
        'SELECT user_id, last_read_seq, last_read_at, last_delivered_seq, last_delivered_at FROM chat_members WHERE chat_id = ? AND user_id = ?',
      ),
      upsertMembership: db.prepare(
        'INSERT INTO chat_memberships (chat_id, kind, version) VALUES (@chat_id, @kind, @version) ON CONFLICT (chat_id) DO UPDATE SET kind = excluded.kind, version = excluded.version',
      ),
      // Range delete over the chat's members: those not in the new list.
      removeOthers: db.prepare("DELETE FROM chat_members WHERE chat_id = ? AND user_id NOT IN (SELECT value FROM json_each(?))"),
      // A new member starts at the chat's last seq: nothing sent before them is owed to them as unread.
      addMember: db.prepare(
        'INSERT INTO chat_members (chat_id, user_id, last_read_seq, last_delivered_seq) VALUES (@chat_id, @user_id, @seq, @seq) ON CONFLICT DO NOTHING',
      ),
      // Point update on the primary key; the values come from movePointers (forward only).
      setPointers: db.prepare(
        `UPDATE chat_members SET last_read_seq = @last_read_seq, last_read_at = @last_read_at, last_delivered_seq = @last_delivered_seq,
         last_delivered_at = @last_delivered_at WHERE chat_id = @chat_id AND user_id = @user_id`,
      ),
      // Point lookup on the message_hides primary key.
      isHidden: db.prepare<[string, string, number], number>('SELECT 1 FROM message_hides WHERE user_id = ? AND chat_id = ? AND seq = ?'),
      // Appends to message_search_rows: the message's number in store order (its rowid in message_search).
      addSearchRow: db.prepare('INSERT INTO message_search_rows (chat_id, seq) VALUES (?, ?)'),
      // Point lookup on message_search_rows_by_message.
      searchRowOf: db.prepare<[string, number], number>('SELECT id FROM message_search_rows WHERE chat_id = ? AND seq = ?').pluck(),
      indexText: db.prepare('INSERT INTO message_search (rowid, text, chat) VALUES (?, ?, ?)'),
      // contentless_delete: a row is removed by its rowid alone (a no-op when it is not there).
      unindexText: db.prepare('DELETE FROM message_search WHERE rowid = ?'),
      searchNewest: db.prepare<{ match: string; viewer: string; chat: string | null; before: number; limit: number }, SearchRow>(
        SEARCH_NEWEST_SQL,
      ),
      searchRelevant: db.prepare<{ match: string; viewer: string; chat: string | null; offset: number; limit: number }, SearchRow>(
        SEARCH_RELEVANT_SQL,
      ),
    };
    this.groupCommit = new SqliteGroupCommit(db);
  }

  async insertNext(draft: MessageDraft, announce: AnnounceMessage): Promise<{ message: Message; created: boolean }> {
    // In an IMMEDIATE transaction (the group commit's), which takes the write lock first, so reading the last seq
    // and inserting the next one cannot interleave with another writer: the seq is decided at commit, and a failed
    // insert leaves no gap. The sender's pointers and the events commit with it, or nothing does.
    return this.groupCommit.run(() => this.insertInTransaction(draft, announce));
  }

  private insertInTransaction(draft: MessageDraft, announce: AnnounceMessage): { message: Message; created: boolean } {
    const existing = this.statements.byClientId.get(draft.chatId, draft.senderId, draft.clientMessageId);
    if (existing) return { message: toMessage(existing), created: false };
    const seq = this.statements.lastSeq.get(draft.chatId)!.last + 1;
    this.statements.insert.run({
      chat_id: draft.chatId,
      seq,
      id: draft.id,
      sender_id: draft.senderId,
      client_message_id: draft.clientMessageId,
      text: draft.text,
      image: draft.image ? JSON.stringify(draft.image) : null,
      reply_to_id: draft.replyToId,
      created_at: draft.createdAt.getTime(),
    });
    const message = toMessage(this.statements.byId.get(draft.id)!);
    const searchRow = Number(this.statements.addSearchRow.run(draft.chatId, seq).lastInsertRowid);
    if (message.text) this.statements.indexText.run(searchRow, message.text, chatToken(draft.chatId));
    const members = this.statements.members.all(draft.chatId).map(toPointers);
    const sender = members.find((m) => m.userId === draft.senderId);
    const moved = sender ? movePointers(sender, { read: true, seq, at: draft.createdAt }, seq) : null;
    if (moved) {
      this.storePointers(draft.chatId, moved);
      members[members.indexOf(sender!)] = moved;
    }
    this.outbox.record(announce(message, members));
    return { message, created: true };
  }

  async findById(id: string): Promise<Message | null> {
    const row = this.statements.byId.get(id);
    return row ? toMessage(row) : null;
  }

  async findByIds(ids: string[]): Promise<Message[]> {
    if (ids.length === 0) return [];
    return this.statements.byIds.all(JSON.stringify(ids)).map(toMessage);
  }

  async findByClientId(chatId: string, senderId: string, clientMessageId: string): Promise<Message | null> {
    const row = this.statements.byClientId.get(chatId, senderId, clientMessageId);
    return row ? toMessage(row) : null;
  }

  async pageBefore(chatId: string, viewerId: string, beforeSeq: number | null, limit: number): Promise<Message[]> {
    return this.statements.pageBefore.all({ chat: chatId, viewer: viewerId, before: beforeSeq ?? Number.MAX_SAFE_INTEGER, limit }).map(toMessage);
  }

  async pageAfter(chatId: string, viewerId: string, afterSeq: number, limit: number): Promise<Message[]> {
    return this.statements.pageAfter.all({ chat: chatId, viewer: viewerId, after: afterSeq, limit }).map(toMessage);
  }

  async updateText(id: string, text: string | null, editedAt: Date, announce: (message: Message) => OutboxEvent[]): Promise<Message | null> {
    return this.changeAndAnnounce(() => this.statements.updateText.run(text, editedAt.getTime(), id).changes, id, announce);
  }

  async tombstone(id: string, deletedAt: Date, announce: (message: Message) => OutboxEvent[]): Promise<Message | null> {
    return this.changeAndAnnounce(() => this.statements.tombstone.run(deletedAt.getTime(), id).changes, id, announce);
  }

  private changeAndAnnounce(change: () => number, id: string, announce: (message: Message) => OutboxEvent[]): Message | null {
    return this.db.transaction(() => {
      if (change() !== 1) return null;
      const message = toMessage(this.statements.byId.get(id)!);
      this.reindex(message);
      this.outbox.record(announce(message));
      return message;
    }).immediate();
  }

  /** The search index after an edit or a delete for everyone: the message's text as it is now, under its number. */
  private reindex(message: Message): void {
    let searchRow = this.statements.searchRowOf.get(message.chatId, message.seq);
    if (searchRow === undefined) searchRow = Number(this.statements.addSearchRow.run(message.chatId, message.seq).lastInsertRowid);
    this.statements.unindexText.run(searchRow);
    if (message.text && !message.deletedAt) this.statements.indexText.run(searchRow, message.text, chatToken(message.chatId));
  }

  async search({ viewerId, terms, chatId, order, after, limit }: MessageSearch): Promise<FoundMessages> {
    const match = ftsMatch(terms, chatId);
    if (!match) return { messages: [], next: null };
    const common = { match, viewer: viewerId, chat: chatId, limit: limit + 1 };
    if (order === 'newest') {
      const rows = this.statements.searchNewest.all({ ...common, before: after ?? Number.MAX_SAFE_INTEGER });
      const page = rows.slice(0, limit);
      return { messages: page.map(toMessage), next: rows.length > limit ? page[page.length - 1].search_row : null };
    }
    const offset = after ?? 0;
    const rows = this.statements.searchRelevant.all({ ...common, offset });
    const page = rows.slice(0, limit);
    const next = offset + limit;
    return { messages: page.map(toMessage), next: rows.length > limit ? next : null };
  }

  async memberKind(chatId: string, userId: string): Promise<ChatMembership['kind'] | null> {
    return this.statements.memberKind.get(chatId, userId) ?? null;
  }

  async findMembership(chatId: string): Promise<ChatMembership | null> {
    const chat = this.statements.membership.get(chatId);
    if (!chat) return null;
    return { chatId, kind: chat.kind, version: chat.version, members: this.statements.members.all(chatId).map(toPointers) };
  }

  async applyMembership({ chatId, kind, version, memberIds }: MembershipChange): Promise<boolean> {
    return this.db.transaction(() => {
      const current = this.statements.membership.get(chatId);
      if (current && current.version >= version) return false;
      this.statements.upsertMembership.run({ chat_id: chatId, kind, version });
      this.statements.removeOthers.run(chatId, JSON.stringify(memberIds));
      const seq = this.statements.lastSeq.get(chatId)!.last;
      for (const userId of memberIds) this.statements.addMember.run({ chat_id: chatId, user_id: userId, seq });
      return true;
    }).immediate();
  }

  async movePointers(chatId: string, userId: string, move: PointerMove, announce: AnnouncePointers): Promise<MemberPointers | null> {
    return this.db.transaction(() => {
      const row = this.statements.member.get(chatId, userId);
      if (!row) return null;
      const moved = movePointers(toPointers(row), move, this.statements.lastSeq.get(chatId)!.last);
      if (!moved) return toPointers(row);
      this.storePointers(chatId, moved);
      const membership = this.statements.membership.get(chatId)!;
      const members = this.statements.members.all(chatId).map(toPointers);
      this.outbox.record(announce(moved, { chatId, kind: membership.kind, version: membership.version, members }));
      return moved;
    }).immediate();
  }

  private storePointers(chatId: string, pointers: MemberPointers): void {
    this.statements.setPointers.run({
      chat_id: chatId,
      user_id: pointers.userId,
      last_read_seq: pointers.lastReadSeq,
      last_read_at: pointers.lastReadAt?.getTime() ?? null,
      last_delivered_seq: pointers.lastDeliveredSeq,
      last_delivered_at: pointers.lastDeliveredAt?.getTime() ?? null,
    });
  }

  async lastChangeSeq(chatId: string): Promise<number> {
    return this.statements.lastChange.get(chatId)!.last;
  }

  async changedAfter(chatId: string, viewerId: string, afterChangeSeq: number, limit: number): Promise<Message[]> {
    return this.statements.changedAfter.all({ chat: chatId, viewer: viewerId, after: afterChangeSeq, limit }).map(toMessage);
  }

  async hideFor(userId: string, message: Message): Promise<void> {
    this.statements.hide.run(userId, message.chatId, message.seq, message.id, Date.now());
  }

  async isHiddenFor(userId: string, message: Message): Promise<boolean> {
    return this.statements.isHidden.get(userId, message.chatId, message.seq) !== undefined;
  }
}
