import { FileRef, ImageRef, SystemEvent } from '@chat/contracts';
import { OutboxEvent, SqliteDatabase, SqliteGroupCommit, SqliteOutbox } from '@chat/platform';
import { Message, MessageDraft } from '../../domain/message';
import { BlockState, isNewerBlock } from '../../domain/blocks';
import { Pin } from '../../domain/pins';
import { ChatMembership, MemberPointers, movePointers, PointerMove, readersMoved } from '../../domain/read-pointers';
import { Reaction } from '../../domain/reactions';
import { visibilityFloor } from '../../domain/visibility';
import {
  AnnounceChange, AnnounceMessage, AnnouncePointers, MembershipChange, MessageRepository, ReactionChange, ReactionOutcome, FoundMessages, MessageSearch, SendFacts,
  SystemMessageWrite, Viewer,
} from '../message.repository';
import { chatToken, ftsMatch } from './fts-query';

/** A send's lookups (sendFacts), waiting for the read they share with the others asked for at the same time. */
interface WantedFacts {
  chatId: string;
  senderId: string;
  clientMessageId: string;
  resolve: (facts: SendFacts) => void;
  reject: (error: unknown) => void;
}

interface MessageRow {
  chat_id: string;
  seq: number;
  id: string;
  sender_id: string;
  client_message_id: string;
  text: string | null;
  image: string | null;
  file: string | null;
  reply_to_id: string | null;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  change_seq: number | null;
  system: string | null;
  forwarded: number;
  /** The message's number in message_search_rows (its rowid in the FTS index), set by the insert. */
  search_id: number;
}

interface ReactionRow {
  seq: number;
  emoji: string;
  user_id: string;
  created_at: number;
}

const toReaction = (row: ReactionRow): Reaction => ({ seq: row.seq, emoji: row.emoji, userId: row.user_id, createdAt: new Date(row.created_at) });
interface PinRow {
  chat_id: string;
  message_id: string;
  seq: number;
  pinned_by: string;
  pinned_at: number;
}

interface BlockRow {
  blocker_id: string;
  blocked_id: string;
  blocked: number;
  version: number;
}

const toPin = (row: PinRow): Pin => ({ chatId: row.chat_id, messageId: row.message_id, seq: row.seq, pinnedBy: row.pinned_by, pinnedAt: new Date(row.pinned_at) });
const toBlock = (row: BlockRow): BlockState => ({ blockerId: row.blocker_id, blockedId: row.blocked_id, blocked: row.blocked === 1, version: row.version });

interface MemberRow {
  user_id: string;
  last_read_seq: number;
  last_read_at: number | null;
  last_delivered_seq: number;
  last_delivered_at: number | null;
  visible_from_seq: number;
}

const toPointers = (row: MemberRow): MemberPointers => ({
  userId: row.user_id,
  lastReadSeq: row.last_read_seq,
  lastReadAt: row.last_read_at === null ? null : new Date(row.last_read_at),
  lastDeliveredSeq: row.last_delivered_seq,
  lastDeliveredAt: row.last_delivered_at === null ? null : new Date(row.last_delivered_at),
  visibleFromSeq: row.visible_from_seq,
});

const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  chatId: row.chat_id,
  seq: row.seq,
  senderId: row.sender_id,
  clientMessageId: row.client_message_id,
  text: row.text,
  image: row.image ? (JSON.parse(row.image) as ImageRef) : null,
  file: row.file ? (JSON.parse(row.file) as FileRef) : null,
  replyToId: row.reply_to_id,
  createdAt: new Date(row.created_at),
  editedAt: row.edited_at === null ? null : new Date(row.edited_at),
  deletedAt: row.deleted_at === null ? null : new Date(row.deleted_at),
  changeSeq: row.change_seq,
  system: row.system ? (JSON.parse(row.system) as SystemEvent) : null,
  forwarded: row.forwarded === 1,
});

/**
 * What the viewer may see: from their floor on (a bound of the primary-key range), and not what they deleted for
 * themselves (one primary-key probe of message_hides per row read).
 */
const VISIBLE = 'm.seq >= @from AND NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.user_id = @viewer AND h.chat_id = m.chat_id AND h.seq = m.seq)';
const MEMBER_COLUMNS = 'user_id, last_read_seq, last_read_at, last_delivered_seq, last_delivered_at, visible_from_seq';

/**
 * The chat's next change number, for the row being updated: one seek to the end of the chat's range of
 * messages_by_change. Inside the UPDATE, so it is read and used under the write lock: no two changes share a
 * number, and they commit in number order.
 */
const NEXT_CHANGE = '(SELECT COALESCE(MAX(c.change_seq), 0) + 1 FROM messages c WHERE c.chat_id = messages.chat_id AND c.change_seq IS NOT NULL)';

/**
 * The lowest seq a member may see in a chat, as SQL over the member's chat_members row (alias `member`): messages
 * sent before they (last) joined are not theirs to find (their floor, see domain/visibility.ts).
 */
const visibleFromSeq = (member: string) => `${member}.visible_from_seq`;

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
    AND NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.user_id = @viewer AND h.chat_id = m.chat_id AND h.seq = m.seq)`;

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
  /**
   * The point lookups of the sends asked for in one stretch of synchronous work (the requests that crossed over
   * together), in one read transaction: each statement on its own would take and drop the database's read locks
   * (file locks, a system call each), which cost as much as the lookups, and one transaction per send cost about
   * 2.5 µs more than sharing one (measured with better-sqlite3 on a WAL file: three lookups 3.5 µs in their own
   * transaction, about 1 µs in a shared one).
   */
  private readonly readSendFacts: (wanted: WantedFacts[]) => void;
  private wantedFacts: WantedFacts[] = [];

  constructor(private readonly db: SqliteDatabase) {
    super();
    this.groupCommit = new SqliteGroupCommit(db);
    this.outbox = new SqliteOutbox(db, this.groupCommit);
    this.readSendFacts = db.transaction((wanted: WantedFacts[]) => {
      for (const one of wanted) {
        try {
          one.resolve(this.readSendFactsNow(one.chatId, one.senderId, one.clientMessageId));
        } catch (error) {
          one.reject(error);
        }
      }
    });
    this.statements = {
      // Point lookup on the unique messages_by_id index.
      byId: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id = ?'),
      // One messages_by_id lookup per id of the JSON array (prepared once, whatever the number of ids).
      byIds: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id IN (SELECT value FROM json_each(?))'),
      // Point lookup on the unique messages_by_client_id index.
      byClientId: db.prepare<[string, string, string], MessageRow>('SELECT * FROM messages WHERE chat_id = ? AND sender_id = ? AND client_message_id = ?'),
      // One seek to the end of the chat's primary-key range.
      lastSeq: db.prepare<[string], { last: number }>('SELECT COALESCE(MAX(seq), 0) AS last FROM messages WHERE chat_id = ?'),
      // A key (chat, sender, client message id) stored already inserts nothing (a retry): changes = 0.
      insert: db.prepare(`
        INSERT INTO messages (chat_id, seq, id, sender_id, client_message_id, text, image, file, reply_to_id, created_at, edited_at, deleted_at, system, forwarded, search_id)
        VALUES (@chat_id, @seq, @id, @sender_id, @client_message_id, @text, @image, @file, @reply_to_id, @created_at, NULL, NULL, @system, @forwarded, @search_id)
        ON CONFLICT (chat_id, sender_id, client_message_id) DO NOTHING`),
      // Bounded range scan of the (chat_id, seq) primary key, backwards from the cursor.
      pageBefore: db.prepare<{ chat: string; viewer: string; from: number; before: number; limit: number }, MessageRow>(
        `SELECT m.* FROM messages m WHERE m.chat_id = @chat AND m.seq < @before AND ${VISIBLE} ORDER BY m.seq DESC LIMIT @limit`,
      ),
      // Bounded range scan of the (chat_id, seq) primary key, forwards from the cursor.
      pageAfter: db.prepare<{ chat: string; viewer: string; from: number; after: number; limit: number }, MessageRow>(
        `SELECT m.* FROM messages m WHERE m.chat_id = @chat AND m.seq > @after AND ${VISIBLE} ORDER BY m.seq ASC LIMIT @limit`,
      ),
      // Point updates through messages_by_id, each taking the chat's next change number.
      updateText: db.prepare(`UPDATE messages SET text = ?, edited_at = ?, change_seq = ${NEXT_CHANGE} WHERE id = ? AND deleted_at IS NULL`),
      tombstone: db.prepare(`UPDATE messages SET text = NULL, image = NULL, file = NULL, deleted_at = ?, change_seq = ${NEXT_CHANGE} WHERE id = ? AND deleted_at IS NULL`),
      // One seek to the end of the chat's range of messages_by_change (the IS NOT NULL lets the partial index serve it).
      lastChange: db.prepare<[string], { last: number }>('SELECT COALESCE(MAX(change_seq), 0) AS last FROM messages WHERE chat_id = ? AND change_seq IS NOT NULL'),
      // Bounded range scan of messages_by_change from the cursor, in change order; one primary-key fetch per row.
      changedAfter: db.prepare<{ chat: string; viewer: string; from: number; after: number; limit: number }, MessageRow>(
        `SELECT m.* FROM messages m WHERE m.chat_id = @chat AND m.change_seq > @after AND ${VISIBLE} ORDER BY m.change_seq ASC LIMIT @limit`,
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
      members: db.prepare<[string], MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM chat_members WHERE chat_id = ?`),
      // Point lookup on the chat_members primary key.
      member: db.prepare<[string, string], MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM chat_members WHERE chat_id = ? AND user_id = ?`),
      upsertMembership: db.prepare(
        'INSERT INTO chat_memberships (chat_id, kind, version) VALUES (@chat_id, @kind, @version) ON CONFLICT (chat_id) DO UPDATE SET kind = excluded.kind, version = excluded.version',
      ),
      // Range delete over the chat's members: those not in the new list.
      removeOthers: db.prepare("DELETE FROM chat_members WHERE chat_id = ? AND user_id NOT IN (SELECT value FROM json_each(?))"),
      // A new member starts at the chat's last seq: nothing sent before them is owed to them as unread. Their floor
      // is decided with it (visibilityFloor); a member already there keeps theirs.
      addMember: db.prepare(
        `INSERT INTO chat_members (chat_id, user_id, last_read_seq, last_delivered_seq, visible_from_seq) VALUES (@chat_id, @user_id, @seq, @seq, @floor)
         ON CONFLICT DO NOTHING`,
      ),
      // Point update on the primary key; the values come from movePointers (forward only).
      setPointers: db.prepare(
        `UPDATE chat_members SET last_read_seq = @last_read_seq, last_read_at = @last_read_at, last_delivered_seq = @last_delivered_seq,
         last_delivered_at = @last_delivered_at WHERE chat_id = @chat_id AND user_id = @user_id`,
      ),
      // Range scan of the message's prefix of the message_reactions primary key.
      reactions: db.prepare<[string, number], ReactionRow>('SELECT seq, emoji, user_id, created_at FROM message_reactions WHERE chat_id = ? AND seq = ?'),
      // One range of the primary key per seq of the JSON array.
      reactionsOf: db.prepare<[string, string], ReactionRow>(
        'SELECT seq, emoji, user_id, created_at FROM message_reactions WHERE chat_id = ? AND seq IN (SELECT value FROM json_each(?))',
      ),
      // Point insert on the primary key: a member has each emoji once.
      addReaction: db.prepare('INSERT INTO message_reactions (chat_id, seq, emoji, user_id, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      // Point delete on the primary key.
      removeReaction: db.prepare('DELETE FROM message_reactions WHERE chat_id = ? AND seq = ? AND emoji = ? AND user_id = ?'),
      // The message's range of the primary key (delete for everyone).
      removeReactions: db.prepare('DELETE FROM message_reactions WHERE chat_id = ? AND seq = ?'),
      // Point update through messages_by_id: a reaction change is a change of the message (catch-up carries it).
      numberChange: db.prepare(`UPDATE messages SET change_seq = ${NEXT_CHANGE} WHERE id = ? AND deleted_at IS NULL`),
      // Point lookup on the message_hides primary key.
      isHidden: db.prepare<[string, string, number], number>('SELECT 1 FROM message_hides WHERE user_id = ? AND chat_id = ? AND seq = ?'),
      // Lookups on messages_by_media_key and messages_by_file_key (the same expressions and conditions as the indexes).
      mediaKeyInUse: db.prepare<{ key: string; except: string }, number>(
        `SELECT 1 FROM messages WHERE image IS NOT NULL AND json_extract(image, '$.key') = @key AND id != @except AND deleted_at IS NULL
         UNION ALL
         SELECT 1 FROM messages WHERE file IS NOT NULL AND json_extract(file, '$.key') = @key AND id != @except AND deleted_at IS NULL LIMIT 1`,
      ),
      // Range scan of the chat's message_pins primary-key prefix.
      pins: db.prepare<[string], PinRow>('SELECT * FROM message_pins WHERE chat_id = ? ORDER BY pinned_at DESC, seq DESC'),
      pinCount: db.prepare<[string], number>('SELECT COUNT(*) FROM message_pins WHERE chat_id = ?').pluck(),
      pinByKey: db.prepare<[string, string], PinRow>('SELECT * FROM message_pins WHERE chat_id = ? AND message_id = ?'),
      insertPin: db.prepare('INSERT INTO message_pins (chat_id, message_id, seq, pinned_by, pinned_at) VALUES (@chat_id, @message_id, @seq, @pinned_by, @pinned_at)'),
      deletePin: db.prepare('DELETE FROM message_pins WHERE chat_id = ? AND message_id = ?'),
      // Point lookups and upserts on the user_blocks primary key.
      block: db.prepare<[string, string], BlockRow>('SELECT * FROM user_blocks WHERE blocker_id = ? AND blocked_id = ?'),
      upsertBlock: db.prepare(
        'INSERT INTO user_blocks (blocker_id, blocked_id, blocked, version) VALUES (@blocker_id, @blocked_id, @blocked, @version) ON CONFLICT (blocker_id, blocked_id) DO UPDATE SET blocked = excluded.blocked, version = excluded.version',
      ),
      // Range scan of the chat_members primary key's chat_id prefix (two rows in a 1:1 chat).
      otherMember: db.prepare<[string, string], string>('SELECT user_id FROM chat_members WHERE chat_id = ? AND user_id != ? LIMIT 1').pluck(),
      // The next number in store order (a seek to the end of message_search_rows' rowid), taken under the write lock.
      nextSearchId: db.prepare<[], number>('SELECT COALESCE(MAX(id), 0) + 1 FROM message_search_rows').pluck(),
      // Appends to message_search_rows: the message's number in store order (its rowid in message_search).
      addSearchRow: db.prepare('INSERT INTO message_search_rows (id, chat_id, seq) VALUES (?, ?, ?)'),
      // Point lookup on the messages primary key (every message has a number: migrations 8 and 9, then the insert).
      searchIdOf: db.prepare<[string, number], number>('SELECT search_id FROM messages WHERE chat_id = ? AND seq = ?').pluck(),
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
  }

  async insertNext(draft: MessageDraft, announce: AnnounceMessage): Promise<{ message: Message; created: boolean }> {
    // In an IMMEDIATE transaction (the group commit's), which takes the write lock first, so reading the last seq
    // and inserting the next one cannot interleave with another writer: the seq is decided at commit, and a failed
    // insert leaves no gap. The sender's pointers and the events commit with it, or nothing does.
    return this.groupCommit.run(() => this.insertInTransaction(draft, announce));
  }

  /**
   * The send's checks (SendFacts): the same point lookups, without four awaits in between, read with those of the
   * other sends asked for at the same time (readSendFacts).
   */
  override sendFacts(chatId: string, senderId: string, clientMessageId: string): Promise<SendFacts> {
    return new Promise((resolve, reject) => {
      // Read once the synchronous work that asked has run (a microtask: no turn of the event loop is lost).
      if (this.wantedFacts.push({ chatId, senderId, clientMessageId, resolve, reject }) === 1) queueMicrotask(() => this.readWantedFacts());
    });
  }

  private readWantedFacts(): void {
    const wanted = this.wantedFacts;
    this.wantedFacts = [];
    try {
      this.readSendFacts(wanted);
    } catch (error) {
      // The transaction itself failed (BEGIN or COMMIT): whoever has no answer yet gets the error.
      for (const one of wanted) one.reject(error);
    }
  }

  private readSendFactsNow(chatId: string, senderId: string, clientMessageId: string): SendFacts {
    const kind = this.statements.memberKind.get(chatId, senderId) ?? null;
    const none = { otherMemberId: null, blocks: [] };
    if (!kind) return { kind, stored: null, ...none };
    const row = this.statements.byClientId.get(chatId, senderId, clientMessageId);
    const stored = row ? toMessage(row) : null;
    const otherMemberId = stored || kind !== 'direct' ? null : (this.statements.otherMember.get(chatId, senderId) ?? null);
    if (!otherMemberId) return { kind, stored, ...none };
    return { kind, stored, otherMemberId, blocks: this.blockStatesBetween(senderId, otherMemberId) };
  }

  private insertInTransaction(draft: MessageDraft, announce: AnnounceMessage): { message: Message; created: boolean } {
    const seq = this.statements.lastSeq.get(draft.chatId)!.last + 1;
    const row: MessageRow = {
      chat_id: draft.chatId,
      seq,
      id: draft.id,
      sender_id: draft.senderId,
      client_message_id: draft.clientMessageId,
      text: draft.text,
      image: draft.image ? JSON.stringify(draft.image) : null,
      file: draft.file ? JSON.stringify(draft.file) : null,
      reply_to_id: draft.replyToId,
      created_at: draft.createdAt.getTime(),
      edited_at: null,
      deleted_at: null,
      change_seq: null,
      system: draft.system ? JSON.stringify(draft.system) : null,
      forwarded: draft.forwarded ? 1 : 0,
      search_id: this.statements.nextSearchId.get()!,
    };
    // The retry's check is the insert itself (it is nearly always a new message): one statement, not a lookup first.
    if (this.statements.insert.run(row).changes === 0) {
      return { message: toMessage(this.statements.byClientId.get(draft.chatId, draft.senderId, draft.clientMessageId)!), created: false };
    }
    // The message as stored, from the row written (not read back): the same values a read gives.
    const message = toMessage(row);
    this.statements.addSearchRow.run(row.search_id, draft.chatId, seq);
    if (message.text) this.statements.indexText.run(row.search_id, message.text, chatToken(draft.chatId));
    const members = this.statements.members.all(draft.chatId).map(toPointers);
    for (const [i, moved] of readersMoved(members, message)) {
      this.storePointers(draft.chatId, moved);
      members[i] = moved;
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

  async pageBefore(chatId: string, viewer: Viewer, beforeSeq: number | null, limit: number): Promise<Message[]> {
    const before = beforeSeq ?? Number.MAX_SAFE_INTEGER;
    return this.statements.pageBefore.all({ chat: chatId, viewer: viewer.userId, from: viewer.visibleFromSeq, before, limit }).map(toMessage);
  }

  async pageAfter(chatId: string, viewer: Viewer, afterSeq: number, limit: number): Promise<Message[]> {
    return this.statements.pageAfter.all({ chat: chatId, viewer: viewer.userId, from: viewer.visibleFromSeq, after: afterSeq, limit }).map(toMessage);
  }

  async updateText(id: string, text: string | null, editedAt: Date, announce: AnnounceChange): Promise<Message | null> {
    return this.changeAndAnnounce(() => this.statements.updateText.run(text, editedAt.getTime(), id).changes, id, announce);
  }

  async tombstone(id: string, deletedAt: Date, announce: AnnounceChange): Promise<Message | null> {
    return this.changeAndAnnounce(
      () => {
        const changed = this.statements.tombstone.run(deletedAt.getTime(), id).changes;
        const row = changed === 1 ? this.statements.byId.get(id) : undefined;
        if (row) this.statements.removeReactions.run(row.chat_id, row.seq);
        return changed;
      },
      id,
      announce,
    );
  }

  private changeAndAnnounce(change: () => number, id: string, announce: AnnounceChange): Message | null {
    return this.db.transaction(() => {
      if (change() !== 1) return null;
      const message = toMessage(this.statements.byId.get(id)!);
      this.reindex(message);
      this.outbox.record(announce(message, this.statements.reactions.all(message.chatId, message.seq).map(toReaction)));
      return message;
    }).immediate();
  }

  async setReaction(messageId: string, change: ReactionChange, allow: (emojisInUse: string[]) => boolean, announce: AnnounceChange): Promise<ReactionOutcome> {
    // IMMEDIATE: the emojis in use are read and the row written under the write lock, so two members adding new
    // emojis at once cannot pass the limit together.
    return this.db.transaction((): ReactionOutcome => {
      const row = this.statements.byId.get(messageId);
      if (!row || row.deleted_at !== null) return { kind: 'gone' };
      const current = this.statements.reactions.all(row.chat_id, row.seq).map(toReaction);
      const mine = current.some((r) => r.userId === change.userId && r.emoji === change.emoji);
      if (mine === change.on) return { kind: 'unchanged', message: toMessage(row), reactions: current };
      if (change.on) {
        if (!allow([...new Set(current.map((r) => r.emoji))])) return { kind: 'refused' };
        this.statements.addReaction.run(row.chat_id, row.seq, change.emoji, change.userId, change.at.getTime());
      } else {
        this.statements.removeReaction.run(row.chat_id, row.seq, change.emoji, change.userId);
      }
      this.statements.numberChange.run(messageId);
      const message = toMessage(this.statements.byId.get(messageId)!);
      const reactions = this.statements.reactions.all(row.chat_id, row.seq).map(toReaction);
      this.outbox.record(announce(message, reactions));
      return { kind: 'changed', message, reactions };
    }).immediate();
  }

  async reactionsOf(chatId: string, seqs: number[]): Promise<Reaction[]> {
    if (seqs.length === 0) return [];
    return this.statements.reactionsOf.all(chatId, JSON.stringify(seqs)).map(toReaction);
  }

  /** The search index after an edit or a delete for everyone: the message's text as it is now, under its number. */
  private reindex(message: Message): void {
    const searchRow = this.statements.searchIdOf.get(message.chatId, message.seq)!;
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

  async findMember(chatId: string, userId: string): Promise<MemberPointers | null> {
    const row = this.statements.member.get(chatId, userId);
    return row ? toPointers(row) : null;
  }

  async findMembership(chatId: string): Promise<ChatMembership | null> {
    const chat = this.statements.membership.get(chatId);
    if (!chat) return null;
    return { chatId, kind: chat.kind, version: chat.version, members: this.statements.members.all(chatId).map(toPointers) };
  }

  async applyMembership(change: MembershipChange, system?: SystemMessageWrite): Promise<{ applied: boolean; message: Message | null }> {
    return this.db.transaction(() => {
      const applied = this.applyMembershipNow(change);
      const stored = system ? this.insertInTransaction(system.draft, system.announce) : null;
      return { applied, message: stored?.created ? stored.message : null };
    }).immediate();
  }

  private applyMembershipNow({ chatId, kind, version, memberIds, historyVisible }: MembershipChange): boolean {
    const current = this.statements.membership.get(chatId);
    if (current && current.version >= version) return false;
    this.statements.upsertMembership.run({ chat_id: chatId, kind, version });
    this.statements.removeOthers.run(chatId, JSON.stringify(memberIds));
    const seq = this.statements.lastSeq.get(chatId)!.last;
    const floor = visibilityFloor(historyVisible, seq);
    for (const userId of memberIds) this.statements.addMember.run({ chat_id: chatId, user_id: userId, seq, floor });
    return true;
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

  async changedAfter(chatId: string, viewer: Viewer, afterChangeSeq: number, limit: number): Promise<Message[]> {
    return this.statements.changedAfter.all({ chat: chatId, viewer: viewer.userId, from: viewer.visibleFromSeq, after: afterChangeSeq, limit }).map(toMessage);
  }

  async hideFor(userId: string, message: Message): Promise<void> {
    this.statements.hide.run(userId, message.chatId, message.seq, message.id, Date.now());
  }

  async isHiddenFor(userId: string, message: Message): Promise<boolean> {
    return this.statements.isHidden.get(userId, message.chatId, message.seq) !== undefined;
  }

  async mediaKeyInUse(key: string, exceptId: string): Promise<boolean> {
    return this.statements.mediaKeyInUse.get({ key, except: exceptId }) !== undefined;
  }

  async pin(pin: Pin, maxPins: number, announce: (pin: Pin) => OutboxEvent[]): Promise<'pinned' | 'exists' | 'full'> {
    return this.db.transaction(() => {
      if (this.statements.pinByKey.get(pin.chatId, pin.messageId)) return 'exists' as const;
      if (this.statements.pinCount.get(pin.chatId)! >= maxPins) return 'full' as const;
      this.statements.insertPin.run({ chat_id: pin.chatId, message_id: pin.messageId, seq: pin.seq, pinned_by: pin.pinnedBy, pinned_at: pin.pinnedAt.getTime() });
      this.outbox.record(announce(pin));
      return 'pinned' as const;
    }).immediate();
  }

  async unpin(chatId: string, messageId: string, announce: (pin: Pin) => OutboxEvent[]): Promise<boolean> {
    return this.db.transaction(() => {
      const row = this.statements.pinByKey.get(chatId, messageId);
      if (!row) return false;
      this.statements.deletePin.run(chatId, messageId);
      this.outbox.record(announce(toPin(row)));
      return true;
    }).immediate();
  }

  async listPins(chatId: string): Promise<Pin[]> {
    return this.statements.pins.all(chatId).map(toPin);
  }

  async applyBlock(block: BlockState): Promise<boolean> {
    return this.db.transaction(() => {
      const held = this.statements.block.get(block.blockerId, block.blockedId);
      if (!isNewerBlock(held ? toBlock(held) : null, block)) return false;
      this.statements.upsertBlock.run({ blocker_id: block.blockerId, blocked_id: block.blockedId, blocked: block.blocked ? 1 : 0, version: block.version });
      return true;
    }).immediate();
  }

  async blocksBetween(a: string, b: string): Promise<BlockState[]> {
    return this.blockStatesBetween(a, b);
  }

  /** Both directions of a pair: two point lookups on the user_blocks primary key. */
  private blockStatesBetween(a: string, b: string): BlockState[] {
    return [this.statements.block.get(a, b), this.statements.block.get(b, a)].filter((row): row is BlockRow => row !== undefined).map(toBlock);
  }

  async otherMember(chatId: string, userId: string): Promise<string | null> {
    return this.statements.otherMember.get(chatId, userId) ?? null;
  }
}
