import { GroupChange, LastMessagePreview } from '@chat/contracts';
import { SqliteDatabase, SqliteGroupCommit, SqliteOutbox } from '@chat/platform';
import { ChatActivity, mergeMessage, mergePointers, PointerReport } from '../../domain/chat-activity';
import { Chat, ChatMember, MemberRole } from '../../domain/chat';
import { Block, blockChangedEvent, BlockRecord, nextBlock } from '../../domain/blocks';
import { isLaterMentionState, MentionState } from '../../domain/mentions';
import { departure, detailChanges, GroupDetailsChange, roleChange, successorAdmin } from '../../domain/group-changes';
import { byActor, membersChangedEvent } from '../../domain/membership-events';
import { ChatListCursor, ChatListPage, ChatRepository } from '../chat.repository';

interface ChatRow {
  id: string;
  kind: 'direct' | 'group';
  pair_key: string | null;
  title: string | null;
  avatar_url: string | null;
  created_by: string;
  created_at: number;
  last_seq: number;
  last_activity_at: number;
  last_message: string | null;
  members_version?: number;
  history_visible?: number;
}

interface MemberRow {
  chat_id: string;
  user_id: string;
  role: MemberRole;
  joined_at: number;
  last_delivered_seq: number;
  last_delivered_at: number | null;
  last_read_seq: number;
  last_read_at: number | null;
  hidden_at: number | null;
  muted: number;
}

/** What a message's merge reads of its chat (the `activity` statement), not the whole row. */
type ActivityRow = Pick<ChatRow, 'last_seq' | 'last_activity_at' | 'last_message'>;

/** What a merge reads of a member: the pointers alone. */
type PointerRow = Pick<MemberRow, 'last_read_seq' | 'last_read_at' | 'last_delivered_seq' | 'last_delivered_at'>;

/**
 * The chat's activity as mergeMessage weighs `incoming` against it. The stored preview is parsed only when it could
 * be the newer one: a preview whose seq is past the chat's last seq is newer than any stored preview (none has a
 * later seq than the chat), which is what an absent one gives. That is every new message, so the common merge parses
 * no JSON.
 */
const activityFor = (row: ActivityRow, incoming: LastMessagePreview): ChatActivity => ({
  lastSeq: row.last_seq,
  lastActivityAt: new Date(row.last_activity_at),
  lastMessage: incoming.seq > row.last_seq || !row.last_message ? null : (JSON.parse(row.last_message) as LastMessagePreview),
});

const toPointers = (row: PointerRow): PointerReport => ({
  lastReadSeq: row.last_read_seq,
  lastReadAt: row.last_read_at === null ? null : new Date(row.last_read_at),
  lastDeliveredSeq: row.last_delivered_seq,
  lastDeliveredAt: row.last_delivered_at === null ? null : new Date(row.last_delivered_at),
});

const toChat = (row: ChatRow): Chat => ({
  id: row.id,
  kind: row.kind,
  pairKey: row.pair_key,
  title: row.title,
  avatarUrl: row.avatar_url,
  createdBy: row.created_by,
  createdAt: new Date(row.created_at),
  lastSeq: row.last_seq,
  lastActivityAt: new Date(row.last_activity_at),
  lastMessage: row.last_message ? (JSON.parse(row.last_message) as LastMessagePreview) : null,
  membersVersion: row.members_version ?? 1,
  historyVisible: row.history_visible === 1,
});

/** The member columns a raw listing row carries, in this order (memberRow reads them back). */
const MEMBER_COLUMNS = [
  'chat_id', 'user_id', 'role', 'joined_at', 'last_delivered_seq', 'last_delivered_at', 'last_read_seq', 'last_read_at', 'hidden_at', 'muted',
] as const;

const memberRow = (values: unknown[]): MemberRow =>
  Object.fromEntries(MEMBER_COLUMNS.map((column, i) => [column, values[i]])) as unknown as MemberRow;

const toMember = (row: MemberRow): ChatMember =>
  Object.assign(
    {
      chatId: row.chat_id,
      userId: row.user_id,
      role: row.role,
      joinedAt: new Date(row.joined_at),
      hiddenAt: row.hidden_at === null ? null : new Date(row.hidden_at),
      muted: row.muted === 1,
    },
    toPointers(row),
  );

const chatParams = (chat: Chat) => ({
  id: chat.id,
  kind: chat.kind,
  pair_key: chat.pairKey,
  title: chat.title,
  avatar_url: chat.avatarUrl,
  created_by: chat.createdBy,
  created_at: chat.createdAt.getTime(),
  last_seq: chat.lastSeq,
  last_activity_at: chat.lastActivityAt.getTime(),
  last_message: chat.lastMessage ? JSON.stringify(chat.lastMessage) : null,
  history_visible: chat.historyVisible ? 1 : 0,
});

const memberParams = (member: ChatMember) => ({
  chat_id: member.chatId,
  user_id: member.userId,
  role: member.role,
  joined_at: member.joinedAt.getTime(),
  last_delivered_seq: member.lastDeliveredSeq,
  last_read_seq: member.lastReadSeq,
  muted: member.muted ? 1 : 0,
});

/** Past every real timestamp: the first page of a chat list starts here. */
const END_OF_TIME = Number.MAX_SAFE_INTEGER;

export class SqliteChatRepository extends ChatRepository {
  readonly outbox: SqliteOutbox;
  private readonly statements;
  /** New messages are applied in shared commits: most of an apply's cost is its commit, and messages come in bursts. */
  private readonly groupCommit: SqliteGroupCommit;

  constructor(private readonly db: SqliteDatabase) {
    super();
    this.groupCommit = new SqliteGroupCommit(db);
    this.outbox = new SqliteOutbox(db, this.groupCommit);
    const chatColumns = 'id, kind, pair_key, title, avatar_url, created_by, created_at, last_seq, last_activity_at, last_message, history_visible';
    this.statements = {
      insertChat: db.prepare(
        `INSERT INTO chats (${chatColumns}) VALUES (@id, @kind, @pair_key, @title, @avatar_url, @created_by, @created_at, @last_seq, @last_activity_at, @last_message, @history_visible) ON CONFLICT DO NOTHING`,
      ),
      insertMember: db.prepare(
        `INSERT INTO chat_members (chat_id, user_id, role, joined_at, last_delivered_seq, last_read_seq, muted)
         VALUES (@chat_id, @user_id, @role, @joined_at, @last_delivered_seq, @last_read_seq, @muted)
         ON CONFLICT DO NOTHING`,
      ),
      // Point lookup on the primary key.
      chatById: db.prepare<[string], ChatRow>('SELECT * FROM chats WHERE id = ?'),
      // Point lookup on the unique pair_key index.
      chatByPair: db.prepare<[string], ChatRow>('SELECT * FROM chats WHERE pair_key = ?'),
      // Point lookup on the (chat_id, user_id) primary key.
      member: db.prepare<[string, string], MemberRow>('SELECT * FROM chat_members WHERE chat_id = ? AND user_id = ?'),
      // The same lookups, narrowed to what a message's merge reads (once per message: no column it does not need).
      activity: db.prepare<[string], ActivityRow>('SELECT last_seq, last_activity_at, last_message FROM chats WHERE id = ?'),
      pointers: db.prepare<[string, string], PointerRow>(
        'SELECT last_read_seq, last_read_at, last_delivered_seq, last_delivered_at FROM chat_members WHERE chat_id = ? AND user_id = ?',
      ),
      // Range scan of the primary key's chat_id prefix: the chat's members only.
      members: db.prepare<[string], MemberRow>('SELECT * FROM chat_members WHERE chat_id = ? ORDER BY joined_at, user_id'),
      // The page first: a range scan of chat_members_by_user (the user's chats), for each a lookup in the covering
      // index chats_by_id_activity (no chat row read), a sort by activity, the limit. The order lives on the chat
      // row alone (a message writes no member's row), so this reads all the user's memberships, two index entries
      // each. Then, for the page's rows only, the chat row, the member row and a primary-key prefix range over the
      // chat's members, as JSON: one statement and no row objects. Hidden chats are left out until a newer
      // message (isListed).
      listForUser: db
        .prepare<{ user: string; at: number; chat: string; limit: number }, [...unknown[]]>(
          `WITH page AS (
            SELECT m.chat_id, a.last_activity_at FROM chat_members m JOIN chats a INDEXED BY chats_by_id_activity ON a.id = m.chat_id
            WHERE m.user_id = @user AND (m.hidden_at IS NULL OR a.last_activity_at > m.hidden_at) AND (a.last_activity_at, a.id) < (@at, @chat)
            ORDER BY a.last_activity_at DESC, a.id DESC
            LIMIT @limit)
          SELECT json_array(c.id, c.kind, c.pair_key, c.title, c.avatar_url, c.created_by, c.created_at, c.last_seq, c.last_activity_at, c.last_message, c.members_version, c.history_visible),
            (SELECT json_group_array(json_array(o.user_id, o.role, o.joined_at) ORDER BY o.joined_at, o.user_id) FROM chat_members o WHERE o.chat_id = p.chat_id),
            ${MEMBER_COLUMNS.map((column) => `m.${column}`).join(', ')}
          FROM page p JOIN chats c ON c.id = p.chat_id JOIN chat_members m ON m.chat_id = p.chat_id AND m.user_id = @user
          ORDER BY p.last_activity_at DESC, p.chat_id DESC`,
        )
        .raw(),
      // Range scan of chat_members_by_user's user_id prefix.
      chatIdsOf: db.prepare<[string], { chat_id: string }>('SELECT chat_id FROM chat_members WHERE user_id = ?').pluck(),
      // Range scan of chat_members_by_user's user_id prefix (the user's chats), then per chat a
      // primary-key point lookup for each candidate: bounded by the user's chats times the candidates.
      contactsAmong: db
        .prepare<[string, string], string>(
          `SELECT DISTINCT o.user_id FROM chat_members m JOIN chat_members o ON o.chat_id = m.chat_id
           WHERE m.user_id = ? AND o.user_id IN (SELECT value FROM json_each(?))`,
        )
        .pluck(),
      // Range scan of chat_members_by_user's user_id prefix, then each chat's members (primary-key ranges).
      contactsOf: db
        .prepare<[string, string, number], string>(
          'SELECT DISTINCT o.user_id FROM chat_members m JOIN chat_members o ON o.chat_id = m.chat_id WHERE m.user_id = ? AND o.user_id != ? LIMIT ?',
        )
        .pluck(),
      // Point lookup and upsert on the user_blocks primary key.
      block: db.prepare<[string, string], { blocked: number; version: number }>('SELECT blocked, version FROM user_blocks WHERE blocker_id = ? AND blocked_id = ?'),
      upsertBlock: db.prepare(
        `INSERT INTO user_blocks (blocker_id, blocked_id, blocked, version, changed_at) VALUES (@blocker_id, @blocked_id, @blocked, @version, @changed_at)
         ON CONFLICT (blocker_id, blocked_id) DO UPDATE SET blocked = excluded.blocked, version = excluded.version, changed_at = excluded.changed_at`,
      ),
      // Point lookups on the primary key (one direction) and on user_blocks_by_blocked (the other), per candidate.
      blocksAmong: db.prepare<{ user: string; others: string }, { blocker_id: string; blocked_id: string }>(
        `SELECT blocker_id, blocked_id FROM user_blocks WHERE blocked = 1 AND (
           (blocker_id = @user AND blocked_id IN (SELECT value FROM json_each(@others)))
           OR (blocked_id = @user AND blocker_id IN (SELECT value FROM json_each(@others))))`,
      ),
      // Range scan of the primary key's blocker_id prefix.
      blockedBy: db.prepare<[string], string>('SELECT blocked_id FROM user_blocks WHERE blocker_id = ? AND blocked = 1 ORDER BY changed_at DESC').pluck(),
      // Point update on the chats primary key.
      updateDetails: db.prepare(
        `UPDATE chats SET title = CASE WHEN @set_title THEN @title ELSE title END, avatar_url = CASE WHEN @set_avatar THEN @avatar_url ELSE avatar_url END,
         history_visible = CASE WHEN @set_history THEN @history_visible ELSE history_visible END WHERE id = @id`,
      ),
      // Point writes on the (chat_id, user_id) primary key.
      removeMember: db.prepare('DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?'),
      setRole: db.prepare('UPDATE chat_members SET role = ? WHERE chat_id = ? AND user_id = ?'),
      hide: db.prepare('UPDATE chat_members SET hidden_at = ? WHERE chat_id = ? AND user_id = ?'),
      setMuted: db.prepare('UPDATE chat_members SET muted = ? WHERE chat_id = ? AND user_id = ?'),
      // Point update on the chats primary key: the next membership version, returned for the event.
      bumpVersion: db.prepare<[string], number>('UPDATE chats SET members_version = members_version + 1 WHERE id = ? RETURNING members_version').pluck(),
      // Range scan of the primary key's chat_id prefix.
      memberIds: db.prepare<[string], string>('SELECT user_id FROM chat_members WHERE chat_id = ? ORDER BY joined_at, user_id').pluck(),
      // Point update on the chats primary key with the values mergeMessage decided.
      setActivity: db.prepare('UPDATE chats SET last_seq = @last_seq, last_activity_at = @last_activity_at, last_message = @last_message WHERE id = @id'),
      // Point lookup and upsert on the mention_states primary key.
      mentionState: db.prepare<[string, number], string>('SELECT state FROM mention_states WHERE chat_id = ? AND seq = ?').pluck(),
      setMentionState: db.prepare(
        'INSERT INTO mention_states (chat_id, seq, state) VALUES (?, ?, ?) ON CONFLICT (chat_id, seq) DO UPDATE SET state = excluded.state',
      ),
      // A range of unread_mentions_by_message (the message's rows), and point inserts on the primary key.
      clearMentions: db.prepare('DELETE FROM unread_mentions WHERE chat_id = ? AND seq = ?'),
      addMention: db.prepare('INSERT INTO unread_mentions (user_id, chat_id, seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      // A range of the primary key: the member's mentions in the chat up to their read pointer.
      dropReadMentions: db.prepare('DELETE FROM unread_mentions WHERE user_id = ? AND chat_id = ? AND seq <= ?'),
      // One primary-key range per chat of the JSON array.
      mentionSeqsOf: db.prepare<[string, string], { chat_id: string; seq: number }>(
        'SELECT chat_id, seq FROM unread_mentions WHERE user_id = ? AND chat_id IN (SELECT value FROM json_each(?))',
      ),
      // Point update on the (chat_id, user_id) primary key with the values mergePointers decided.
      setPointers: db.prepare(
        `UPDATE chat_members SET last_read_seq = @last_read_seq, last_read_at = @last_read_at, last_delivered_seq = @last_delivered_seq,
         last_delivered_at = @last_delivered_at WHERE chat_id = @chat_id AND user_id = @user_id`,
      ),
    };
  }

  async createDirectIfAbsent(chat: Chat, members: ChatMember[]): Promise<{ chat: Chat; created: boolean }> {
    const created = this.db.transaction(() => {
      const inserted = this.statements.insertChat.run(chatParams(chat)).changes === 1;
      if (inserted) this.insertMembers(chat, members);
      return inserted;
    })();
    return { chat: toChat(this.statements.chatByPair.get(chat.pairKey!)!), created };
  }

  async createGroup(chat: Chat, members: ChatMember[]): Promise<Chat> {
    this.db.transaction(() => {
      this.statements.insertChat.run(chatParams(chat));
      this.insertMembers(chat, members);
    })();
    return chat;
  }

  async findById(chatId: string): Promise<Chat | null> {
    this.groupCommit.settle();
    const row = this.statements.chatById.get(chatId);
    return row ? toChat(row) : null;
  }

  async findByPairKey(pairKey: string): Promise<Chat | null> {
    const row = this.statements.chatByPair.get(pairKey);
    return row ? toChat(row) : null;
  }

  async findMember(chatId: string, userId: string): Promise<ChatMember | null> {
    this.groupCommit.settle();
    const row = this.statements.member.get(chatId, userId);
    return row ? toMember(row) : null;
  }

  async listMembers(chatId: string): Promise<ChatMember[]> {
    this.groupCommit.settle();
    return this.statements.members.all(chatId).map(toMember);
  }

  /**
   * Read through the group commit, after the writes queued before it (in their transaction): a list asked for after
   * a message's event reached Chats shows that message. Without it, a client that fetched its list on the message's
   * frame could read just before the merge's commit and miss a chat the message brings back (hidden, then written to).
   */
  listForUser(userId: string, after: ChatListCursor | null, limit: number): Promise<ChatListPage> {
    return this.groupCommit.run(() => this.listForUserNow(userId, after, limit));
  }

  private listForUserNow(userId: string, after: ChatListCursor | null, limit: number): ChatListPage {
    const rows = this.statements.listForUser.all({ user: userId, at: after?.activityAt ?? END_OF_TIME, chat: after?.chatId ?? '', limit: limit + 1 });
    const entries = rows.slice(0, limit).map(([chatJson, membersJson, ...memberValues]) => {
      const [id, kind, pair_key, title, avatar_url, created_by, created_at, last_seq, last_activity_at, last_message, members_version, history_visible] = JSON.parse(chatJson as string);
      const members = (JSON.parse(membersJson as string) as [string, MemberRole, number][]).map(([memberId, role, joinedAt]) => ({
        userId: memberId,
        role,
        joinedAt: new Date(joinedAt),
      }));
      return {
        chat: toChat({ id, kind, pair_key, title, avatar_url, created_by, created_at, last_seq, last_activity_at, last_message, members_version, history_visible }),
        member: toMember(memberRow(memberValues)),
        members,
      };
    });
    const last = rows.length > limit ? entries[limit - 1].chat : null;
    return { entries, next: last ? { activityAt: last.lastActivityAt.getTime(), chatId: last.id } : null };
  }

  async chatIdsOf(userId: string): Promise<string[]> {
    return this.statements.chatIdsOf.all(userId) as unknown as string[];
  }

  async contactsAmong(userId: string, candidateIds: string[]): Promise<string[]> {
    if (candidateIds.length === 0) return [];
    return this.statements.contactsAmong.all(userId, JSON.stringify(candidateIds));
  }

  async updateDetails(chatId: string, asked: GroupDetailsChange, actorId: string): Promise<number> {
    return this.db.transaction(() => {
      const row = this.statements.chatById.get(chatId);
      if (!row) return 0;
      const changes = detailChanges(toChat(row), asked);
      if (changes.length === 0) return 0;
      this.statements.updateDetails.run({
        id: chatId,
        set_title: asked.title !== undefined ? 1 : 0,
        title: asked.title ?? null,
        set_avatar: asked.avatarUrl !== undefined ? 1 : 0,
        avatar_url: asked.avatarUrl ?? null,
        set_history: asked.historyVisible !== undefined ? 1 : 0,
        history_visible: asked.historyVisible ? 1 : 0,
      });
      const chat = toChat(this.statements.chatById.get(chatId)!);
      for (const change of changes) this.recordChange(chat, [], [], change, actorId);
      return changes.length;
    })();
  }

  async addMembers(chatId: string, members: ChatMember[], actorId: string): Promise<string[]> {
    return this.db.transaction(() => {
      const chat = this.statements.chatById.get(chatId);
      if (!chat) return [];
      // New members start with everything before them read: they are not owed an unread count for history.
      const added = members
        .filter((m) => this.statements.insertMember.run(memberParams({ ...m, lastReadSeq: chat.last_seq, lastDeliveredSeq: chat.last_seq })).changes === 1)
        .map((m) => m.userId);
      if (added.length) this.recordChange(toChat(chat), added, [], { type: 'members-added', userIds: added }, actorId);
      return added;
    })();
  }

  async removeMember(chatId: string, userId: string, actorId: string): Promise<boolean> {
    return this.db.transaction(() => {
      const row = this.statements.chatById.get(chatId);
      if (!row || this.statements.removeMember.run(chatId, userId).changes !== 1) return false;
      const chat = toChat(row);
      this.recordChange(chat, [], [userId], departure(userId, actorId), actorId);
      const successor = chat.kind === 'group' ? successorAdmin(this.statements.members.all(chatId).map(toMember)) : null;
      if (successor) {
        this.statements.setRole.run('admin', chatId, successor);
        this.recordChange(chat, [], [], { type: 'admin-made', userId: successor }, null);
      }
      return true;
    })();
  }

  async setRole(chatId: string, userId: string, admin: boolean, actorId: string): Promise<boolean> {
    return this.db.transaction(() => {
      const row = this.statements.chatById.get(chatId);
      const member = this.statements.member.get(chatId, userId);
      const change = member ? roleChange(toMember(member), admin) : null;
      if (!row || !change) return false;
      this.statements.setRole.run(admin ? 'admin' : 'member', chatId, userId);
      this.recordChange(toChat(row), [], [], change, actorId);
      return true;
    })();
  }

  async hide(chatId: string, userId: string, at: Date): Promise<void> {
    this.statements.hide.run(at.getTime(), chatId, userId);
  }

  async setMuted(chatId: string, userId: string, muted: boolean): Promise<void> {
    this.statements.setMuted.run(muted ? 1 : 0, chatId, userId);
  }

  async applyMessage(chatId: string, senderId: string, preview: LastMessagePreview, alsoRead: string[] = [], mentions: MentionState | null = null): Promise<boolean> {
    // One transaction (shared with other messages' through the group commit): the chat row and the sender's.
    // Deferred: nobody waits on a merge but the outbox relay (a message's frames leave from Messages' own event), so
    // under load a commit carries up to MAX_DEFER_MS of messages instead of one turn's; reads settle it first.
    return this.groupCommit.runDeferred(() => {
      const row = this.statements.activity.get(chatId);
      if (!row) return false;
      const merged = mergeMessage(activityFor(row, preview), preview);
      if (merged) {
        this.statements.setActivity.run({
          id: chatId,
          last_seq: merged.lastSeq,
          last_activity_at: merged.lastActivityAt.getTime(),
          last_message: merged.lastMessage ? JSON.stringify(merged.lastMessage) : null,
        });
      }
      const at = new Date(preview.createdAt);
      const read = { lastReadSeq: preview.seq, lastReadAt: at, lastDeliveredSeq: preview.seq, lastDeliveredAt: at };
      this.mergePointersNow(chatId, senderId, read);
      for (const userId of alsoRead) if (userId !== senderId) this.mergePointersNow(chatId, userId, read);
      if (mentions) this.applyMentionsNow(chatId, mentions);
      return true;
    });
  }

  private applyMentionsNow(chatId: string, { seq, state, userIds }: MentionState): void {
    if (!isLaterMentionState(this.statements.mentionState.get(chatId, seq) ?? null, state)) return;
    this.statements.setMentionState.run(chatId, seq, state);
    this.statements.clearMentions.run(chatId, seq);
    for (const userId of userIds) this.statements.addMention.run(userId, chatId, seq);
  }

  async mentionSeqsOf(userId: string, chatIds: string[]): Promise<Map<string, number[]>> {
    this.groupCommit.settle();
    const byChat = new Map<string, number[]>();
    if (chatIds.length === 0) return byChat;
    for (const row of this.statements.mentionSeqsOf.all(userId, JSON.stringify(chatIds))) byChat.set(row.chat_id, [...(byChat.get(row.chat_id) ?? []), row.seq]);
    return byChat;
  }

  async mergePointers(chatId: string, userId: string, report: PointerReport): Promise<void> {
    await this.groupCommit.runDeferred(() => this.mergePointersNow(chatId, userId, report));
  }

  private mergePointersNow(chatId: string, userId: string, report: PointerReport): void {
    const row = this.statements.pointers.get(chatId, userId);
    const merged = row ? mergePointers(toPointers(row), report) : null;
    if (!row || !merged) return;
    this.statements.setPointers.run({
      chat_id: chatId,
      user_id: userId,
      last_read_seq: merged.lastReadSeq,
      last_read_at: merged.lastReadAt?.getTime() ?? null,
      last_delivered_seq: merged.lastDeliveredSeq,
      last_delivered_at: merged.lastDeliveredAt?.getTime() ?? null,
    });
    if (merged.lastReadSeq > row.last_read_seq) this.statements.dropReadMentions.run(userId, chatId, merged.lastReadSeq);
  }

  /** Inside the change's transaction: the next version and its event. */
  private recordChange(chat: Chat, added: string[], removed: string[], change: GroupChange, actorId: string | null): void {
    const version = this.statements.bumpVersion.get(chat.id)!;
    this.outbox.record([membersChangedEvent(chat, version, this.statements.memberIds.all(chat.id), added, removed, byActor(change, actorId))]);
  }

  private insertMembers(chat: Chat, members: ChatMember[]): void {
    for (const member of members) this.statements.insertMember.run(memberParams(member));
    const ids = members.map((m) => m.userId);
    // A new chat's first membership is version 1 (the column's default).
    const created = chat.kind === 'group' ? byActor({ type: 'created', title: chat.title ?? '' }, chat.createdBy) : null;
    this.outbox.record([membersChangedEvent(chat, 1, ids, ids, [], created)]);
  }

  async contactsOf(userId: string, limit: number): Promise<string[]> {
    return this.statements.contactsOf.all(userId, userId, limit);
  }

  async setBlock(blockerId: string, blockedId: string, blocked: boolean): Promise<BlockRecord | null> {
    return this.db.transaction(() => {
      const row = this.statements.block.get(blockerId, blockedId);
      const held = row ? { blockerId, blockedId, blocked: row.blocked === 1, version: row.version } : null;
      const next = nextBlock(held, blockerId, blockedId, blocked);
      if (!next) return null;
      this.statements.upsertBlock.run({ blocker_id: blockerId, blocked_id: blockedId, blocked: blocked ? 1 : 0, version: next.version, changed_at: Date.now() });
      this.outbox.record([blockChangedEvent(next)]);
      return next;
    }).immediate();
  }

  async blocksAmong(userId: string, otherIds: string[]): Promise<Block[]> {
    if (otherIds.length === 0) return [];
    return this.statements.blocksAmong.all({ user: userId, others: JSON.stringify(otherIds) }).map((r) => ({ blockerId: r.blocker_id, blockedId: r.blocked_id }));
  }

  async blockedBy(userId: string): Promise<string[]> {
    return this.statements.blockedBy.all(userId);
  }
}
