import { randomInt, randomUUID } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { eventually } from './harness/probe-deployment';
import { seedUsers } from './harness/seed';
import { ChatSocket, connectSocket, request } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';
import { Json, userApi } from './harness/user-api';
import type { MessageDto, NewMessagePayload, SyncResult } from '../libs/contracts/src';

/** Acked sends: what the server promised to keep. */
interface Acked {
  chatId: string;
  senderId: string;
  clientMessageId: string;
  id: string;
  seq: number;
}

const ROUNDS = 6;

/**
 * Nothing acked is ever lost: kill -9 the process (one process) or the messages and chats roles (split) at random
 * moments during bursts of sends, start them again, and check that every acked message is stored once with its
 * seq, that every chat's last seq, preview and unread counts are what its messages say, and that a client that
 * followed live and caught up after each crash holds exactly the history.
 */
describe.each(DEPLOYMENT_MODES)('crash safety (%s)', (mode) => {
  let cluster: Cluster;
  let people: { id: string; email: string; displayName: string }[];
  const token = (userId: string) => mintAccessToken(cluster.jwtSecret, userId);

  beforeAll(async () => {
    cluster = await Cluster.start(mode, { env: { WS_SEND_BURST: '1000', WS_SEND_PER_SECOND: '1000', USER_SEND_LIMIT: '100000' } });
    people = seedUsers(cluster.dataDir, ['ann', 'ben', 'cat', 'dan', 'eve'].map((name) => ({ email: `${name}@crash.test`, displayName: name })));
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  const { call: api, ok } = userApi(() => cluster.url, token, 8_000);

  /** Every message of a chat, oldest first, through history pages. */
  const historyOf = async (userId: string, chatId: string): Promise<MessageDto[]> => {
    const all: MessageDto[] = [];
    for (;;) {
      const page = await ok(userId, 'GET', `/chats/${chatId}/messages?after=${all.length ? all[all.length - 1].seq : 0}&limit=100`);
      all.push(...page.items);
      if (!page.hasNewer) return all;
    }
  };

  /** A client that follows live and, after every reconnect, syncs from the last seq it holds in each chat. */
  class FollowingClient {
    readonly held = new Map<string, Map<number, string>>();
    private socket: ChatSocket | null = null;

    constructor(private readonly userId: string, private readonly chatIds: string[]) {}

    async connect(): Promise<void> {
      this.socket?.close();
      const socket = await connectSocket(cluster.url, { token: token(this.userId) });
      socket.on('message:new', (message: NewMessagePayload) => this.hold(message));
      this.socket = socket;
      await this.sync();
    }

    async sync(): Promise<void> {
      for (;;) {
        const chats = this.chatIds.map((chatId) => ({ chatId, lastSeq: this.contiguous(chatId) }));
        const ack = await request<SyncResult>(this.socket!, 'sync', { chats });
        if (!ack.ok) throw new Error(`sync refused: ${JSON.stringify(ack.error)}`);
        for (const synced of ack.data.chats) for (const message of synced.messages) this.hold(message);
        if (ack.data.chats.every((c) => c.complete)) return;
      }
    }

    close(): void {
      this.socket?.close();
    }

    private hold(message: MessageDto): void {
      const chat = this.held.get(message.chatId) ?? new Map<number, string>();
      const before = chat.get(message.seq);
      if (before && before !== message.id) throw new Error(`two messages at seq ${message.seq} of ${message.chatId}`);
      chat.set(message.seq, message.id);
      this.held.set(message.chatId, chat);
    }

    private contiguous(chatId: string): number {
      const chat = this.held.get(chatId);
      let seq = 0;
      while (chat?.has(seq + 1)) seq++;
      return seq;
    }
  }

  /** Processes a crash takes down: the whole server, or the two roles a message passes through. */
  const victims = (): string[] => {
    if (mode === 'single') return ['all'];
    const roles = [['messages'], ['chats'], ['messages', 'chats']][randomInt(0, 3)];
    return roles;
  };

  it(`keeps every acked message, once, and every counter, across ${ROUNDS} kill -9 during bursts of sends`, async () => {
    const [ann, ben, cat, dan, eve] = people.map((p) => p.id);
    const chats: { id: string; members: string[] }[] = [];
    for (const [a, b] of [[ann, ben], [cat, dan], [eve, ann]]) chats.push({ id: (await ok(a, 'POST', '/chats/direct', { userId: b })).id, members: [a, b] });
    const group = await ok(ann, 'POST', '/chats/groups', { title: 'Crash', memberIds: [ben, cat, dan, eve] });
    chats.push({ id: group.id, members: [ann, ben, cat, dan, eve] });

    const follower = new FollowingClient(ann, chats.filter((c) => c.members.includes(ann)).map((c) => c.id));
    await follower.connect();
    const acked: Acked[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      let sending = true;
      const sender = async (userId: string) => {
        while (sending) {
          const mine = chats.filter((c) => c.members.includes(userId));
          const chat = mine[randomInt(0, mine.length)];
          const clientMessageId = randomUUID();
          try {
            const reply = await api(userId, 'POST', `/chats/${chat.id}/messages`, { clientMessageId, text: `r${round} ${clientMessageId.slice(0, 8)}` });
            if (reply.status === 201) acked.push({ chatId: chat.id, senderId: userId, clientMessageId, id: reply.body.id, seq: reply.body.seq });
          } catch {
            // The server died under this request: not acked, so nothing was promised.
          }
        }
      };
      const senders = [ann, ben, cat, dan, eve].map(sender);
      await new Promise((resolve) => setTimeout(resolve, randomInt(150, 700)));
      const down = victims();
      await Promise.all(down.map((name) => cluster.process(name).kill()));
      sending = false;
      await Promise.all(senders);
      for (const name of down) await cluster.process(name).start();
      await follower.connect();
    }
    expect(acked.length).toBeGreaterThan(ROUNDS * 5);

    // Stored once each, with the seq acked, and no gap.
    for (const chat of chats) {
      const history = await historyOf(chat.members[0], chat.id);
      expect(history.map((m) => m.seq)).toEqual(history.map((_, i) => i + 1));
      expect(new Set(history.map((m) => m.clientMessageId + m.senderId)).size).toBe(history.length);
      const byId = new Map(history.map((m) => [m.id, m]));
      for (const sent of acked.filter((a) => a.chatId === chat.id)) expect(byId.get(sent.id)).toMatchObject({ seq: sent.seq, clientMessageId: sent.clientMessageId });
    }

    // Every chat's list state is what its messages say, once the outboxes have been relayed.
    for (const chat of chats) {
      const history = await historyOf(chat.members[0], chat.id);
      const last = history[history.length - 1];
      for (const member of chat.members) {
        // Nobody marked anything read: a member's pointer is their own latest message (a group's creation line,
        // which brings everyone in, counts as read by all: readOnArrival).
        const ownLast = readUpTo(history, member);
        await eventually(async () => {
          const summary = await ok(member, 'GET', `/chats/${chat.id}`);
          expect({ member, lastSeq: summary.lastSeq, preview: summary.lastMessage?.messageId, lastReadSeq: summary.lastReadSeq, unread: summary.unreadCount }).toEqual({
            member,
            lastSeq: last.seq,
            preview: last.id,
            lastReadSeq: ownLast,
            unread: last.seq - ownLast,
          });
        }, 20_000);
      }
      const states: Json[] = await ok(chat.members[0], 'GET', `/chats/${chat.id}/read-states`);
      for (const state of states) expect(state.lastReadSeq).toBe(readUpTo(history, state.userId));
    }

    // The client that followed live and caught up after each crash holds exactly the history.
    await follower.sync();
    for (const chatId of follower.held.keys()) {
      const history = await historyOf(ann, chatId);
      expect([...follower.held.get(chatId)!.entries()].sort((a, b) => a[0] - b[0])).toEqual(history.map((m) => [m.seq, m.id]));
    }
    follower.close();
  }, 240_000);
});

/** Where a member's read pointer stands when nobody marked anything read: their own last message, or the line that brought them in. */
function readUpTo(history: Json[], member: string): number {
  return Math.max(0, ...history.filter((m) => m.senderId === member || m.system?.type === 'created').map((m) => m.seq));
}
