import { LastMessagePreview } from '@chat/contracts';
import { SqliteDatabase, SqliteGroupCommit } from '@chat/platform';
import { Chat, ChatMember, MemberRole } from '../../domain/chat';
import { AppliedMessage, ChatListCursor, ChatListPage, ChatRepository, ChatState } from '../chat.repository';

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
  unread_count: number;
  hidden: number;
  muted: number;
  activity_at: number;
}

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
});

/** The member columns a raw listing row carries, in this order (memberRow reads them back). */
const MEMBER_COLUMNS = [
  'chat_id', 'user_id', 'role', 'joined_at', 'last_delivered_seq', 'last_delivered_at', 'last_read_seq', 'last_read_at', 'unread_count', 'hidden', 'muted', 'activity_at',
] as const;

const memberRow = (values: unknown[]): MemberRow =>
  Object.fromEntries(MEMBER_COLUMNS.map((column, i) => [column, values[i]])) as unknown as MemberRow;

const toMember = (row: MemberRow): ChatMember => ({
  chatId: row.chat_id,
  userId: row.user_id,
  role: row.role,
  joinedAt: new Date(row.joined_at),
  lastDeliveredSeq: row.last_delivered_seq,
  lastDeliveredAt: row.last_delivered_at === null ? null : new Date(row.last_delivered_at),
  lastReadSeq: row.last_read_seq,
  lastReadAt: row.last_read_at === null ? null : new Date(row.last_read_at),
  unreadCount: row.unread_count,
  hidden: row.hidden === 1,
  muted: row.muted === 1,
});

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
});

const memberParams = (member: ChatMember, activityAt: number) => ({
  chat_id: member.chatId,
  user_id: member.userId,
  role: member.role,
  joined_at: member.joinedAt.getTime(),
  last_delivered_seq: member.lastDeliveredSeq,
  last_read_seq: member.lastReadSeq,
  unread_count: member.unreadCount,
  hidden: member.hidden ? 1 : 0,
  muted: member.muted ? 1 : 0,
  activity_at: activityAt,
});

interface AdvanceChatParams {
  chat_id: string;
  seq: number;
  at: number;
  preview: string;
}

interface AdvanceMembersParams {
  chat_id: string;
  seq: number;
  at: number;
  sender_id: string;
  last_seq: number;
}

/** The member read this message before its event arrived: a read-ahead covering its seq, made after it was created. */
const READ_AHEAD = '(read_ahead_seq >= @seq AND read_ahead_at >= @at)';

/** Past every real timestamp: the first page of a chat list starts here. */
const END_OF_TIME = Number.MAX_SAFE_INTEGER;

export class SqliteChatRepository extends ChatRepository {
  private readonly statements;
  /** New messages are applied in shared commits: most of an apply's cost is its commit, and messages come in bursts. */
  private readonly groupCommit: SqliteGroupCommit;

  constructor(private readonly db: SqliteDatabase) {
    super();
    const chatColumns = 'id, kind, pair_key, title, avatar_url, created_by, created_at, last_seq, last_activity_at, last_message';
    this.statements = {
      insertChat: db.prepare(
        `INSERT INTO chats (${chatColumns}) VALUES (@id, @kind, @pair_key, @title, @avatar_url, @created_by, @created_at, @last_seq, @last_activity_at, @last_message) ON CONFLICT DO NOTHING`,
      ),
      insertMember: db.prepare(
        `INSERT INTO chat_members (chat_id, user_id, role, joined_at, last_delivered_seq, last_read_seq, unread_count, hidden, muted, activity_at)
         VALUES (@chat_id, @user_id, @role, @joined_at, @last_delivered_seq, @last_read_seq, @unread_count, @hidden, @muted, @activity_at)
         ON CONFLICT DO NOTHING`,
      ),
      // Point lookup on the primary key.
      chatById: db.prepare<[string], ChatRow>('SELECT * FROM chats WHERE id = ?'),
      // Point lookup on the unique pair_key index.
      chatByPair: db.prepare<[string], ChatRow>('SELECT * FROM chats WHERE pair_key = ?'),
      // Point lookup on the (chat_id, user_id) primary key.
      member: db.prepare<[string, string], MemberRow>('SELECT * FROM chat_members WHERE chat_id = ? AND user_id = ?'),
      // Range scan of the primary key's chat_id prefix: the chat's members only.
      members: db.prepare<[string], MemberRow>('SELECT * FROM chat_members WHERE chat_id = ? ORDER BY joined_at, user_id'),
      // Range scan of chat_members_by_user_activity from the cursor (row-value comparison keeps it one range),
      // then per row a primary-key lookup into chats and a primary-key prefix range over the chat's members:
      // cost grows with the page size, not the number of chats. Raw rows, each chat and its members as JSON:
      // one statement and no row objects, about half the time of a second query for the page's members.
      listForUser: db
        .prepare<[string, number, string, number], [...unknown[]]>(
          `SELECT json_array(c.id, c.kind, c.pair_key, c.title, c.avatar_url, c.created_by, c.created_at, c.last_seq, c.last_activity_at, c.last_message),
            (SELECT json_group_array(json_array(o.user_id, o.role, o.joined_at) ORDER BY o.joined_at, o.user_id) FROM chat_members o WHERE o.chat_id = m.chat_id),
            ${MEMBER_COLUMNS.map((column) => `m.${column}`).join(', ')}
          FROM chat_members m JOIN chats c ON c.id = m.chat_id
          WHERE m.user_id = ? AND m.hidden = 0 AND (m.activity_at, m.chat_id) < (?, ?)
          ORDER BY m.activity_at DESC, m.chat_id DESC
          LIMIT ?`,
        )
        .raw(),
      // Range scan of chat_members_by_user_activity's user_id prefix (both hidden values).
      chatIdsOf: db.prepare<[string], { chat_id: string }>('SELECT chat_id FROM chat_members WHERE user_id = ?').pluck(),
      // Range scan of chat_members_by_user_activity's user_id prefix (the user's chats), then per chat a
      // primary-key point lookup for each candidate: bounded by the user's chats times the candidates.
      contactsAmong: db
        .prepare<[string, string], string>(
          `SELECT DISTINCT o.user_id FROM chat_members m JOIN chat_members o ON o.chat_id = m.chat_id
           WHERE m.user_id = ? AND o.user_id IN (SELECT value FROM json_each(?))`,
        )
        .pluck(),
      // Point update on the chats primary key.
      updateDetails: db.prepare(
        'UPDATE chats SET title = CASE WHEN @set_title THEN @title ELSE title END, avatar_url = CASE WHEN @set_avatar THEN @avatar_url ELSE avatar_url END WHERE id = @id',
      ),
      // Point writes on the (chat_id, user_id) primary key.
      removeMember: db.prepare('DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?'),
      setRole: db.prepare('UPDATE chat_members SET role = ? WHERE chat_id = ? AND user_id = ?'),
      hide: db.prepare('UPDATE chat_members SET hidden = 1, hidden_at = ? WHERE chat_id = ? AND user_id = ?'),
      setMuted: db.prepare('UPDATE chat_members SET muted = ? WHERE chat_id = ? AND user_id = ?'),
      // Point update on the primary key. Unread can only shrink: messages after `seq` stay unread, at most
      // as many as lie between the pointer and the chat's last seq.
      moveRead: db.prepare(`
        UPDATE chat_members SET
          unread_count = CASE WHEN @seq >= @last_seq THEN 0 ELSE MIN(unread_count, @last_seq - @seq) END,
          last_read_seq = @seq, last_read_at = @at,
          last_delivered_seq = MAX(last_delivered_seq, @seq),
          last_delivered_at = CASE WHEN last_delivered_seq < @seq THEN @at ELSE last_delivered_at END
        WHERE chat_id = @chat_id AND user_id = @user_id AND last_read_seq < @seq`),
      // Point update on the primary key: the newest read beyond last_seq, and when it was made.
      readAhead: db.prepare(
        'UPDATE chat_members SET read_ahead_seq = @seq, read_ahead_at = @at WHERE chat_id = @chat_id AND user_id = @user_id AND read_ahead_seq <= @seq',
      ),
      // Point update on the primary key, guarded so the pointer only moves forward.
      moveDelivered: db.prepare(
        'UPDATE chat_members SET last_delivered_seq = @seq, last_delivered_at = @at WHERE chat_id = @chat_id AND user_id = @user_id AND last_delivered_seq < @seq',
      ),
      // Point insert on the chat_applied_messages primary key (after a chats primary-key lookup for the floor):
      // inserts nothing for a seq already applied, so a redelivered event, in whatever order, is a no-op.
      markApplied: db.prepare(
        'INSERT INTO chat_applied_messages (chat_id, seq) SELECT id, @seq FROM chats WHERE id = @chat_id AND applied_floor < @seq ON CONFLICT DO NOTHING',
      ),
      // Point update on the chats primary key. An event older than the newest applied one still counts, but
      // neither the preview nor the activity time goes back. Returns the updated row: the snapshot's chat.
      advanceChat: db.prepare<AdvanceChatParams, ChatRow>(`
        UPDATE chats SET
          last_message = CASE WHEN last_seq < @seq THEN @preview ELSE last_message END,
          last_seq = MAX(last_seq, @seq),
          last_activity_at = MAX(last_activity_at, @at)
        WHERE id = @chat_id
        RETURNING *`),
      // Range update over the chat_id prefix of the members' primary key. Others: one more unread unless their
      // read pointer is already past it, or they read it ahead (a read-ahead made after the message was created).
      // The sender has read up to it: the same rule as moving the read pointer. Returns every member's updated
      // row: the snapshot's members, with no second read.
      advanceMembers: db.prepare<AdvanceMembersParams, MemberRow>(`
        UPDATE chat_members SET
          activity_at = MAX(activity_at, @at),
          -- Only the newest message resurfaces a hidden chat, and only one created after the hide: a late event of an
          -- older message, or of one the member saw before hiding, does not undo a hide.
          hidden = CASE WHEN @seq >= @last_seq AND (hidden_at IS NULL OR @at > hidden_at) THEN 0 ELSE hidden END,
          unread_count = CASE
            WHEN last_read_seq >= @seq THEN unread_count
            WHEN user_id <> @sender_id AND ${READ_AHEAD} THEN unread_count
            WHEN user_id <> @sender_id THEN unread_count + 1
            WHEN @seq >= @last_seq THEN 0
            ELSE MIN(unread_count, @last_seq - @seq) END,
          last_read_at = CASE
            WHEN last_read_seq >= @seq THEN last_read_at
            WHEN user_id = @sender_id THEN @at
            WHEN ${READ_AHEAD} THEN read_ahead_at
            ELSE last_read_at END,
          last_read_seq = CASE WHEN user_id = @sender_id OR ${READ_AHEAD} THEN MAX(last_read_seq, @seq) ELSE last_read_seq END,
          last_delivered_at = CASE
            WHEN last_delivered_seq >= @seq THEN last_delivered_at
            WHEN user_id = @sender_id THEN @at
            WHEN ${READ_AHEAD} THEN read_ahead_at
            ELSE last_delivered_at END,
          last_delivered_seq = CASE WHEN user_id = @sender_id OR ${READ_AHEAD} THEN MAX(last_delivered_seq, @seq) ELSE last_delivered_seq END
        WHERE chat_id = @chat_id
        RETURNING *`),
      // Point update on the primary key, only when the preview shows this very message, it is not already a
      // tombstone (a late edit event must not bring a deleted text back), and, for an edit, the preview does not
      // already show a later edit (two edit events may arrive in either order; ISO times compare as text).
      refreshPreview: db.prepare(`
        UPDATE chats SET last_message = @preview
        WHERE id = @chat_id AND json_extract(last_message, '$.messageId') = @message_id AND NOT json_extract(last_message, '$.deleted')
          AND (@deleted OR COALESCE(json_extract(last_message, '$.editedAt'), '') <= COALESCE(@edited_at, ''))`),
    };
    this.groupCommit = new SqliteGroupCommit(db);
  }

  async createDirectIfAbsent(chat: Chat, members: ChatMember[]): Promise<{ chat: Chat; created: boolean }> {
    const created = this.db.transaction(() => {
      const inserted = this.statements.insertChat.run(chatParams(chat)).changes === 1;
      if (inserted) this.insertMembers(members, chat.lastActivityAt.getTime());
      return inserted;
    })();
    return { chat: toChat(this.statements.chatByPair.get(chat.pairKey!)!), created };
  }

  async createGroup(chat: Chat, members: ChatMember[]): Promise<Chat> {
    this.db.transaction(() => {
      this.statements.insertChat.run(chatParams(chat));
      this.insertMembers(members, chat.lastActivityAt.getTime());
    })();
    return chat;
  }

  async findById(chatId: string): Promise<Chat | null> {
    const row = this.statements.chatById.get(chatId);
    return row ? toChat(row) : null;
  }

  async findByPairKey(pairKey: string): Promise<Chat | null> {
    const row = this.statements.chatByPair.get(pairKey);
    return row ? toChat(row) : null;
  }

  async findMember(chatId: string, userId: string): Promise<ChatMember | null> {
    const row = this.statements.member.get(chatId, userId);
    return row ? toMember(row) : null;
  }

  async listMembers(chatId: string): Promise<ChatMember[]> {
    return this.statements.members.all(chatId).map(toMember);
  }

  async listForUser(userId: string, after: ChatListCursor | null, limit: number): Promise<ChatListPage> {
    const rows = this.statements.listForUser.all(userId, after?.activityAt ?? END_OF_TIME, after?.chatId ?? '', limit + 1);
    const entries = rows.slice(0, limit).map(([chatJson, membersJson, ...memberValues]) => {
      const [id, kind, pair_key, title, avatar_url, created_by, created_at, last_seq, last_activity_at, last_message] = JSON.parse(chatJson as string);
      const members = (JSON.parse(membersJson as string) as [string, MemberRole, number][]).map(([memberId, role, joinedAt]) => ({
        userId: memberId,
        role,
        joinedAt: new Date(joinedAt),
      }));
      return {
        chat: toChat({ id, kind, pair_key, title, avatar_url, created_by, created_at, last_seq, last_activity_at, last_message }),
        member: toMember(memberRow(memberValues)),
        members,
      };
    });
    const last = rows.length > limit ? memberRow(rows[limit - 1].slice(2)) : null;
    return { entries, next: last ? { activityAt: last.activity_at, chatId: last.chat_id } : null };
  }

  async chatIdsOf(userId: string): Promise<string[]> {
    return this.statements.chatIdsOf.all(userId) as unknown as string[];
  }

  async contactsAmong(userId: string, candidateIds: string[]): Promise<string[]> {
    if (candidateIds.length === 0) return [];
    return this.statements.contactsAmong.all(userId, JSON.stringify(candidateIds));
  }

  async updateDetails(chatId: string, changes: { title?: string; avatarUrl?: string | null }): Promise<void> {
    this.statements.updateDetails.run({
      id: chatId,
      set_title: changes.title !== undefined ? 1 : 0,
      title: changes.title ?? null,
      set_avatar: changes.avatarUrl !== undefined ? 1 : 0,
      avatar_url: changes.avatarUrl ?? null,
    });
  }

  async addMembers(chatId: string, members: ChatMember[]): Promise<string[]> {
    return this.db.transaction(() => {
      const chat = this.statements.chatById.get(chatId);
      if (!chat) return [];
      // New members start with everything before them read: they are not owed an unread count for history.
      return members
        .filter((m) => this.statements.insertMember.run(memberParams({ ...m, lastReadSeq: chat.last_seq, lastDeliveredSeq: chat.last_seq }, chat.last_activity_at)).changes === 1)
        .map((m) => m.userId);
    })();
  }

  async removeMember(chatId: string, userId: string): Promise<boolean> {
    return this.statements.removeMember.run(chatId, userId).changes === 1;
  }

  async setRole(chatId: string, userId: string, role: MemberRole): Promise<void> {
    this.statements.setRole.run(role, chatId, userId);
  }

  async hide(chatId: string, userId: string, at: Date): Promise<void> {
    this.statements.hide.run(at.getTime(), chatId, userId);
  }

  async setMuted(chatId: string, userId: string, muted: boolean): Promise<void> {
    this.statements.setMuted.run(muted ? 1 : 0, chatId, userId);
  }

  async moveReadPointer(chatId: string, userId: string, seq: number, at: Date): Promise<ChatMember | null> {
    return this.db.transaction(() => {
      const chat = this.statements.chatById.get(chatId);
      if (!chat) return null;
      // The pointer stops at last_seq: beyond it, it would mark messages not yet sent as read (false receipts,
      // no unread ever again). A client may still read a message pushed to it before Chats applied the event:
      // that part is kept as a read-ahead, which applyNewMessage honours for messages created before `at`.
      if (seq > chat.last_seq) this.statements.readAhead.run({ chat_id: chatId, user_id: userId, seq, at: at.getTime() });
      const target = Math.min(seq, chat.last_seq);
      this.statements.moveRead.run({ chat_id: chatId, user_id: userId, seq: target, last_seq: chat.last_seq, at: at.getTime() });
      const row = this.statements.member.get(chatId, userId);
      return row ? toMember(row) : null;
    })();
  }

  async moveDeliveredPointer(chatId: string, userId: string, seq: number, at: Date): Promise<ChatMember | null> {
    return this.db.transaction(() => {
      const chat = this.statements.chatById.get(chatId);
      if (!chat) return null;
      // Stops at last_seq like the read pointer (a read-ahead moves it further when the message is applied).
      this.statements.moveDelivered.run({ chat_id: chatId, user_id: userId, seq: Math.min(seq, chat.last_seq), at: at.getTime() });
      const row = this.statements.member.get(chatId, userId);
      return row ? toMember(row) : null;
    })();
  }

  async applyNewMessage({ chatId, senderId, preview }: AppliedMessage): Promise<ChatState | null> {
    // One transaction (shared with other messages'): the applied mark and the chat and member updates commit
    // together or not at all.
    return this.groupCommit.run(() => this.applyInTransaction(chatId, senderId, preview));
  }

  private applyInTransaction(chatId: string, senderId: string, preview: LastMessagePreview): ChatState | null {
    const at = Date.parse(preview.createdAt);
    if (this.statements.markApplied.run({ chat_id: chatId, seq: preview.seq }).changes !== 1) return null;
    const chat = this.statements.advanceChat.get({ chat_id: chatId, seq: preview.seq, at, preview: JSON.stringify(preview) })!;
    const members = this.statements.advanceMembers.all({ chat_id: chatId, seq: preview.seq, at, sender_id: senderId, last_seq: chat.last_seq });
    // RETURNING gives rows in no promised order; listMembers' order is (joined_at, user_id).
    members.sort((a, b) => a.joined_at - b.joined_at || (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0));
    return { chat: toChat(chat), members: members.map(toMember) };
  }

  async refreshPreview(chatId: string, preview: LastMessagePreview): Promise<boolean> {
    return (
      this.statements.refreshPreview.run({
        chat_id: chatId,
        message_id: preview.messageId,
        preview: JSON.stringify(preview),
        deleted: preview.deleted ? 1 : 0,
        edited_at: preview.editedAt ?? null,
      }).changes === 1
    );
  }

  private insertMembers(members: ChatMember[], activityAt: number): void {
    for (const member of members) this.statements.insertMember.run(memberParams(member, activityAt));
  }
}
