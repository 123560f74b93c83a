#!/usr/bin/env node
/**
 * The floor for any chat that stores what it sends: a bare Socket.IO relay (the wire protocol of relay-server.js,
 * so the load generator drives both unchanged) that persists each message in SQLite before it fans out.
 *
 * Per message, in one transaction: the chat row takes the next seq, the preview and the activity time; the message
 * is inserted with that seq; the other member's unread count goes up by one. Then the sender gets its ack and
 * both members' rooms get message:new. Nothing else: no token check, no validation, no framework.
 *
 * Built as a careful hand-written server would be, so that it is a fair floor and not a straw man:
 * - one database file, WAL, synchronous=NORMAL (durable across a process crash; a power cut may lose the last
 *   commits, as in the full stack);
 * - group commit: the writes asked for in one event-loop turn share one IMMEDIATE transaction, and each sender
 *   hears back only after that transaction has committed (the idea of the platform's SqliteGroupCommit);
 * - checkpoints on a worker thread (PASSIVE every 250 ms, RESTART past 64 MB of WAL), as the full stack does, so
 *   no commit copies the WAL into the database file on the event loop.
 * The schema keeps what the full stack's stores need for the same message: messages clustered by (chat, seq) with
 * unique indexes on the message id and on (chat, sender, client message id) for idempotent sends.
 *
 * Self-contained on purpose (plain JS, better-sqlite3 and socket.io only): it must not move when the app does.
 * Members come from the handshake's { userId, peerId } (1:1 chats, as the bench pairs users); a chat's rows are made
 * with its first message.
 * Usage: node persisting-relay-server.js <port> [database file]   (default: a fresh file in a temp directory)
 */
const { createServer } = require('node:http');
const { randomUUID } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Worker } = require('node:worker_threads');
const Database = require('better-sqlite3');
const { Server } = require('socket.io');

const port = Number(process.argv[2]);
const tempDir = process.argv[3] ? null : mkdtempSync(join(tmpdir(), 'bench-persisting-relay-'));
const file = process.argv[3] ?? join(tempDir, 'relay.sqlite');
const PREVIEW_LENGTH = 120;
const MAX_BATCH = 128;

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0'); // the worker below checkpoints
db.exec(`
  CREATE TABLE IF NOT EXISTS chats (
    id TEXT PRIMARY KEY,
    last_seq INTEGER NOT NULL DEFAULT 0,
    last_message_id TEXT,
    last_sender_id TEXT,
    last_preview TEXT,
    last_activity_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS chat_members (
    chat_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    unread_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, user_id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS messages (
    chat_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    client_message_id TEXT NOT NULL,
    text TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, seq)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX IF NOT EXISTS messages_by_id ON messages (id);
  CREATE UNIQUE INDEX IF NOT EXISTS messages_by_client_id ON messages (chat_id, sender_id, client_message_id);
`);

const insertChat = db.prepare('INSERT OR IGNORE INTO chats (id, last_activity_at) VALUES (?, ?)');
const insertMember = db.prepare('INSERT OR IGNORE INTO chat_members (chat_id, user_id) VALUES (?, ?)');
const nextSeq = db.prepare(
  'UPDATE chats SET last_seq = last_seq + 1, last_message_id = ?, last_sender_id = ?, last_preview = ?, last_activity_at = ? WHERE id = ? RETURNING last_seq',
);
const insertMessage = db.prepare('INSERT INTO messages (chat_id, seq, id, sender_id, client_message_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
const bumpUnread = db.prepare('UPDATE chat_members SET unread_count = unread_count + 1 WHERE chat_id = ? AND user_id = ?');

/** The three writes of one message; returns the message as the members receive it. */
function storeMessage(senderId, peerId, payload) {
  const id = randomUUID();
  const createdAt = Date.now();
  const text = String(payload.text ?? '');
  const preview = text.slice(0, PREVIEW_LENGTH);
  let row = nextSeq.get(id, senderId, preview, createdAt, payload.chatId);
  if (!row) {
    // The chat's first message makes its rows (the bench pairs users; the full stack makes them when a chat opens).
    insertChat.run(payload.chatId, createdAt);
    insertMember.run(payload.chatId, senderId);
    insertMember.run(payload.chatId, peerId);
    row = nextSeq.get(id, senderId, preview, createdAt, payload.chatId);
  }
  insertMessage.run(payload.chatId, row.last_seq, id, senderId, payload.clientMessageId, text, createdAt);
  bumpUnread.run(payload.chatId, peerId);
  return { id, chatId: payload.chatId, seq: row.last_seq, senderId, clientMessageId: payload.clientMessageId, text, createdAt: new Date(createdAt).toISOString() };
}

/**
 * Group commit: writes queued in one turn run in one IMMEDIATE transaction (at most MAX_BATCH at a time); the
 * callbacks run after the commit. If one write throws, the batch rolls back and each write runs again alone, so
 * only the failing one fails.
 */
let queue = [];
function commitLater(work, done) {
  if (queue.push({ work, done }) === 1) setImmediate(flush);
}
const runBatch = db.transaction((batch) => batch.map((write) => write.work()));
function flush() {
  const batch = queue.splice(0, MAX_BATCH);
  if (queue.length > 0) setImmediate(flush);
  if (batch.length === 0) return;
  let results;
  try {
    results = runBatch.immediate(batch);
  } catch {
    for (const write of batch) {
      let result;
      try {
        result = db.transaction(write.work).immediate();
      } catch (error) {
        write.done(error);
        continue;
      }
      write.done(null, result);
    }
    return;
  }
  batch.forEach((write, i) => write.done(null, results[i]));
}

/** Checkpoints off the event loop, as the full stack's BackgroundCheckpointer does (simplified: one file). */
const CHECKPOINTER = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 0');
const restartAtFrames = Math.ceil((64 * 1024 * 1024) / (db.pragma('page_size', { simple: true }) + 24));
(function tick() {
  let due = 250;
  try {
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
    if (log >= restartAtFrames && db.pragma('wal_checkpoint(RESTART)')[0].busy === 1) due = 1;
  } catch {}
  setTimeout(tick, due);
})();
`;
const checkpointer = new Worker(CHECKPOINTER, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), file } });
checkpointer.on('error', (error) => console.error('persisting relay checkpointer:', error));

const httpServer = createServer();
const io = new Server(httpServer, { path: '/socket.io', serveClient: false });

io.on('connection', (socket) => {
  const { userId, peerId } = socket.handshake.auth;
  if (typeof userId !== 'string' || typeof peerId !== 'string') return void socket.disconnect(true);
  socket.join(`user:${userId}`);
  socket.on('message:send', (payload, ack) => {
    const reply = typeof ack === 'function' ? ack : () => undefined;
    if (!payload || typeof payload.chatId !== 'string' || typeof payload.clientMessageId !== 'string') {
      return reply({ ok: false, error: { code: 'COMMON.VALIDATION', message: 'chatId and clientMessageId are required' } });
    }
    commitLater(
      () => storeMessage(userId, peerId, payload),
      (error, message) => {
        if (error) return reply({ ok: false, error: { code: 'RELAY.STORE_FAILED', message: String(error.message ?? error) } });
        reply({ ok: true, data: message });
        io.to([`user:${userId}`, `user:${peerId}`]).emit('message:new', message);
      },
    );
  });
});

function shutdown() {
  io.close();
  void checkpointer.terminate().then(() => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    process.exit(0);
  });
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

httpServer.listen(port, '127.0.0.1', () => process.send?.('ready'));
