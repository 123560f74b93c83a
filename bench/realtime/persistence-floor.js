#!/usr/bin/env node
/**
 * The persistence floor of one chat message: the writes the full stack makes for it (Messages' insert with the
 * sender's pointers and the outbox event, Chats' merge of the event: last seq, preview, the sender's pointers, and
 * the relay's removal of the event), through the real SQLite repositories from dist/, in a process of its own, with
 * no sockets, no transport and no framework. What it costs per message bounds the full stack's rate from above:
 * a rate that needs more than a second of CPU per second cannot be kept, whatever the rest of the stack does.
 *
 * Two ways: each message's insert committing alone (an idle server), and the inserts of a burst sharing a commit as
 * the repositories' group commit does (a busy one). Chats' merges commit deferred in both, as in the server.
 * Checkpoints run on the background checkpointer's thread, as in the server, so the CPU counted is the main
 * thread's (the event loop's), read from /proc. Prints one JSON line: CPU µs per message for each.
 * Usage: node persistence-floor.js [messages]
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { randomUUID } = require('node:crypto');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { mainThreadCpuMs } = require('../proc-cpu');

const dist = join(__dirname, '../../dist/libs');
const { openSqliteDatabase } = require(join(dist, 'platform/src/persistence/sqlite-database.js'));
const { BackgroundCheckpointer } = require(join(dist, 'platform/src/persistence/background-checkpointer.js'));
const { MESSAGES_MIGRATIONS } = require(join(dist, 'messages/src/persistence/sqlite/messages.migrations.js'));
const { SqliteMessageRepository } = require(join(dist, 'messages/src/persistence/sqlite/sqlite-message.repository.js'));
const { newMessageId } = require(join(dist, 'messages/src/domain/message.js'));
const { CHATS_MIGRATIONS } = require(join(dist, 'chats/src/persistence/sqlite/chats.migrations.js'));
const { SqliteChatRepository } = require(join(dist, 'chats/src/persistence/sqlite/sqlite-chat.repository.js'));

const MESSAGES = Number(process.argv[2] ?? 20_000);
const CHATS = 500; // as the realtime bench: 1,000 users in 500 1:1 chats
const BURST = 16;

async function openStores() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
  const messagesDb = openSqliteDatabase(join(dir, 'messages.sqlite'), MESSAGES_MIGRATIONS);
  const chatsDb = openSqliteDatabase(join(dir, 'chats.sqlite'), CHATS_MIGRATIONS);
  const checkpointers = [messagesDb, chatsDb].map((db) => BackgroundCheckpointer.start(db));
  const messages = new SqliteMessageRepository(messagesDb);
  const chats = new SqliteChatRepository(chatsDb);
  const pairs = [];
  for (let i = 0; i < CHATS; i++) {
    const [a, b, id, now] = [randomUUID(), randomUUID(), randomUUID(), new Date()];
    const member = (userId) => ({ chatId: id, userId, role: 'member', joinedAt: now, lastDeliveredSeq: 0, lastDeliveredAt: null, lastReadSeq: 0, lastReadAt: null, hiddenAt: null, muted: false });
    await chats.createDirectIfAbsent(
      { id, kind: 'direct', pairKey: [a, b].sort().join(':'), title: null, avatarUrl: null, createdBy: a, createdAt: now, lastSeq: 0, lastActivityAt: now, lastMessage: null, membersVersion: 1 },
      [member(a), member(b)],
    );
    await messages.applyMembership({ chatId: id, kind: 'direct', version: 1, memberIds: [a, b] });
    pairs.push({ id, a, b });
  }
  const close = async () => {
    await Promise.all(checkpointers.map((checkpointer) => checkpointer.stop()));
    messagesDb.close();
    chatsDb.close();
    rmSync(dir, { recursive: true, force: true });
  };
  // The membership events the chats recorded are not part of a message's cost.
  await chats.outbox.remove((await chats.outbox.pending(CHATS)).map((e) => e.id));
  return { messages, chats, pairs, close };
}

/** The writes of message i, as the Messages service, Chats' activity handler and the outbox relay make them. */
async function writeMessage({ messages, chats, pairs }, i) {
  const pair = pairs[i % pairs.length];
  const announce = (stored, members) => [
    { pattern: 'message.created', payload: { message: { id: stored.id, seq: stored.seq }, memberIds: members.map((m) => m.userId), unreadCounts: members.map((m) => stored.seq - m.lastReadSeq) } },
  ];
  const { message } = await messages.insertNext(
    { id: newMessageId(), chatId: pair.id, senderId: i % 2 ? pair.a : pair.b, clientMessageId: randomUUID(), text: `load ${i}`, image: null, replyToId: null, createdAt: new Date() },
    announce,
  );
  // Not awaited, as in the server: nobody waits on Chats' merge but the relay, and it commits deferred (with Chats'
  // next writes, or alone after the group commit's MAX_DEFER_MS), so under load one commit carries many messages.
  const merged = chats.applyMessage(pair.id, message.senderId, {
    messageId: message.id, seq: message.seq, senderId: message.senderId, text: message.text, hasImage: false, deleted: false, createdAt: message.createdAt.toISOString(), editedAt: null,
  });
  return { merged };
}

/**
 * The relay's part: read what the burst recorded and remove it once handed over. The removal waits for the next
 * commit of other writes (the group commit's runDeferred), as in the server, so the caller does not wait for it:
 * it commits with the next burst.
 */
async function relayOutbox({ messages }) {
  const pending = await messages.outbox.pending(256);
  return { removed: messages.outbox.remove(pending.map((e) => e.id)) };
}

/** CPU µs per message, writing `burst` messages at once (they share commits) and waiting for them before the next. */
async function measure(burst) {
  const stores = await openStores();
  try {
    const merges = [];
    for (let i = 0; i < 500; i++) merges.push((await writeMessage(stores, i)).merged); // warm-up: JIT, statement caches, first pages
    await Promise.all(merges.splice(0));
    await (await relayOutbox(stores)).removed;
    const before = mainThreadCpuMs();
    let relayed = { removed: Promise.resolve() };
    for (let i = 0; i < MESSAGES; i += burst) {
      for (const { merged } of await Promise.all(Array.from({ length: burst }, (_, j) => writeMessage(stores, i + j)))) merges.push(merged);
      await relayed.removed; // committed with this burst
      relayed = await relayOutbox(stores);
    }
    await Promise.all([relayed.removed, ...merges]);
    return ((mainThreadCpuMs() - before) * 1000) / MESSAGES;
  } finally {
    await stores.close();
  }
}

(async () => {
  const alone = await measure(1);
  const grouped = await measure(BURST);
  process.stdout.write(`${JSON.stringify({ messages: MESSAGES, aloneUsPerMessage: alone, groupedUsPerMessage: grouped, burst: BURST })}\n`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
