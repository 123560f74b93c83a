#!/usr/bin/env node
/**
 * Chat list and message history at the HTTP edge of one server process, each beside the bare SQL query on the
 * same SQLite file as the baseline:
 *   - the chat list (first page) of a user who has 1,000 chats;
 *   - a 50-message history page of a 100,000-message chat, newest and deepest (seq 1..50).
 * The data is written straight into the modules' SQLite files (their real migrations), then the built server
 * starts on that DATA_DIR. Targets (issue 4): p99 <= 5 ms; deepest/newest p99 <= 1.5.
 */
const { randomUUID, randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { cpus, loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const { sign } = require('jsonwebtoken');
const { getter, measure, measureWithCpu, startServer, waitReady } = require('./http-bench-kit');

const root = join(__dirname, '..');
const dist = (path) => join(root, 'dist', path);
const { openSqliteDatabase } = require(dist('libs/platform/src/persistence/sqlite-database.js'));
const { CHATS_MIGRATIONS } = require(dist('libs/chats/src/persistence/sqlite/chats.migrations.js'));
const { MESSAGES_MIGRATIONS } = require(dist('libs/messages/src/persistence/sqlite/messages.migrations.js'));

const CHATS = 1000;
const MESSAGES = 100_000;
const PAGE = 50;
const LIST_PAGE = 30;
const WARMUP = 300;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 3000);
const TIMING = { warmup: WARMUP, samples: SAMPLES };

function seed(dataDir) {
  const me = randomUUID();
  const peer = randomUUID();
  const started = Date.now();
  const chatsDb = openSqliteDatabase(join(dataDir, 'chats.sqlite'), CHATS_MIGRATIONS);
  const insertChat = chatsDb.prepare(
    `INSERT INTO chats (id, kind, pair_key, title, avatar_url, created_by, created_at, last_seq, last_activity_at, last_message)
     VALUES (?, 'direct', ?, NULL, NULL, ?, ?, ?, ?, ?)`,
  );
  const insertMember = chatsDb.prepare(
    `INSERT INTO chat_members (chat_id, user_id, role, joined_at, last_delivered_seq, last_read_seq, muted)
     VALUES (?, ?, 'member', ?, ?, ?, 0)`,
  );
  const t0 = Date.now() - CHATS * 60_000;
  let bigChat;
  chatsDb.transaction(() => {
    for (let i = 0; i < CHATS; i++) {
      const id = randomUUID();
      const other = i === 0 ? peer : randomUUID();
      const lastSeq = i === 0 ? MESSAGES : 1 + (i % 40);
      const at = t0 + i * 60_000;
      const preview = JSON.stringify({ messageId: randomUUID(), seq: lastSeq, senderId: other, text: `Last words in chat ${i}`, hasImage: false, deleted: false, createdAt: new Date(at).toISOString() });
      insertChat.run(id, [me, other].sort().join(':'), me, t0, lastSeq, at, preview);
      insertMember.run(id, me, t0, lastSeq, lastSeq - (i % 5));
      insertMember.run(id, other, t0, lastSeq, lastSeq);
      if (i === 0) bigChat = id;
    }
  })();
  chatsDb.close();

  const messagesDb = openSqliteDatabase(join(dataDir, 'messages.sqlite'), MESSAGES_MIGRATIONS);
  const insertMessage = messagesDb.prepare(
    `INSERT INTO messages (chat_id, seq, id, sender_id, client_message_id, text, image, reply_to_id, created_at, edited_at, deleted_at)
     VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, NULL)`,
  );
  messagesDb.transaction(() => {
    for (let seq = 1; seq <= MESSAGES; seq++) {
      const sender = seq % 2 ? me : peer;
      insertMessage.run(bigChat, seq, randomUUID(), sender, randomUUID(), `Message number ${seq} of a long conversation, with some ordinary words in it.`, t0 + seq * 10);
    }
  })();
  messagesDb.pragma('wal_checkpoint(TRUNCATE)');
  messagesDb.close();
  return { me, bigChat, seedMs: Date.now() - started };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const secret = randomBytes(32).toString('hex');
  const port = 20000 + Math.floor(Math.random() * 20000);
  let server;
  try {
    const { me, bigChat, seedMs } = seed(dataDir);
    console.log(`seeded ${CHATS} chats and ${MESSAGES} messages in ${seedMs} ms (${dataDir})`);

    // Baseline: the same statements as the SQLite adapters, on the same files, in this process.
    const Database = require('better-sqlite3');
    const chatsDb = new Database(join(dataDir, 'chats.sqlite'), { readonly: true });
    const messagesDb = new Database(join(dataDir, 'messages.sqlite'), { readonly: true });
    const listSql = chatsDb
      .prepare(
        `WITH page AS (
          SELECT m.chat_id, a.last_activity_at FROM chat_members m JOIN chats a INDEXED BY chats_by_id_activity ON a.id = m.chat_id
          WHERE m.user_id = @user AND (m.hidden_at IS NULL OR a.last_activity_at > m.hidden_at) AND (a.last_activity_at, a.id) < (@at, @chat)
          ORDER BY a.last_activity_at DESC, a.id DESC
          LIMIT @limit)
        SELECT json_array(c.id, c.kind, c.pair_key, c.title, c.avatar_url, c.created_by, c.created_at, c.last_seq, c.last_activity_at, c.last_message, c.members_version),
          (SELECT json_group_array(json_array(o.user_id, o.role, o.joined_at) ORDER BY o.joined_at, o.user_id) FROM chat_members o WHERE o.chat_id = p.chat_id),
          m.chat_id, m.user_id, m.role, m.joined_at, m.last_delivered_seq, m.last_delivered_at, m.last_read_seq, m.last_read_at, m.hidden_at, m.muted
        FROM page p JOIN chats c ON c.id = p.chat_id JOIN chat_members m ON m.chat_id = p.chat_id AND m.user_id = @user
        ORDER BY p.last_activity_at DESC, p.chat_id DESC`,
      )
      .raw();
    const historySql = messagesDb.prepare(`
      SELECT m.* FROM messages m WHERE m.chat_id = @chat AND m.seq < @before
        AND NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.user_id = @viewer AND h.chat_id = m.chat_id AND h.seq = m.seq)
      ORDER BY m.seq DESC LIMIT @limit`);
    const plan = messagesDb.prepare(`EXPLAIN QUERY PLAN ${historySql.source}`).all({ chat: bigChat, before: 51, viewer: me, limit: PAGE + 1 });
    const listPlan = chatsDb.prepare(`EXPLAIN QUERY PLAN ${listSql.source}`).all({ user: me, at: Number.MAX_SAFE_INTEGER, chat: '', limit: LIST_PAGE + 1 });

    const sql = {
      list: await measure(async () => listSql.all({ user: me, at: Number.MAX_SAFE_INTEGER, chat: '', limit: LIST_PAGE + 1 }), TIMING),
      newest: await measure(async () => historySql.all({ chat: bigChat, before: Number.MAX_SAFE_INTEGER, viewer: me, limit: PAGE + 1 }), TIMING),
      deepest: await measure(async () => historySql.all({ chat: bigChat, before: 51, viewer: me, limit: PAGE + 1 }), TIMING),
    };
    chatsDb.close();
    messagesDb.close();

    server = startServer(dataDir, port, secret);
    const url = `http://127.0.0.1:${port}`;
    await waitReady(url, 30_000);
    const token = sign({ sub: me, sid: 'bench', typ: 'access' }, secret, { algorithm: 'HS256', audience: 'relay-chat', issuer: 'relay-chat-auth', expiresIn: 3600 });
    const get = getter(port, token);

    // Sanity: the pages are what they claim to be.
    const list = JSON.parse(await get(`/api/v1/chats?limit=${LIST_PAGE}`));
    const newestPage = JSON.parse(await get(`/api/v1/chats/${bigChat}/messages?limit=${PAGE}`));
    const deepestPage = JSON.parse(await get(`/api/v1/chats/${bigChat}/messages?limit=${PAGE}&before=51`));
    if (list.items.length !== LIST_PAGE || !list.nextCursor) throw new Error('chat list page is not full');
    if (newestPage.items.length !== PAGE || newestPage.items[PAGE - 1].seq !== MESSAGES) throw new Error('newest page is wrong');
    if (deepestPage.items.length !== PAGE || deepestPage.items[0].seq !== 1 || deepestPage.hasOlder) throw new Error('deepest page is wrong');

    const edge = {
      list: await measureWithCpu(server.pid, () => get(`/api/v1/chats?limit=${LIST_PAGE}`), TIMING),
      newest: await measureWithCpu(server.pid, () => get(`/api/v1/chats/${bigChat}/messages?limit=${PAGE}`), TIMING),
      deepest: await measureWithCpu(server.pid, () => get(`/api/v1/chats/${bigChat}/messages?limit=${PAGE}&before=51`), TIMING),
    };

    const f = (n) => n.toFixed(3).padStart(8);
    const rows = [
      [`chat list, ${LIST_PAGE} of ${CHATS} chats`, 'list'],
      [`history newest ${PAGE} of ${MESSAGES}`, 'newest'],
      [`history deepest ${PAGE} of ${MESSAGES}`, 'deepest'],
    ];
    // p99 of sub-millisecond work is mostly scheduling noise on a busy machine: say how busy it was.
    console.log(`\n${SAMPLES} sequential requests each (after ${WARMUP} warm-up), one server process, keep-alive HTTP; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`);
    console.log(`${'scenario'.padEnd(34)} ${'sql p50'.padStart(8)} ${'sql p99'.padStart(8)} ${'http p50'.padStart(8)} ${'http p99'.padStart(8)} ${'http/sql p99'.padStart(13)} ${'server CPU ms/req'.padStart(18)}  target`);
    for (const [label, key] of rows) {
      const ratio = edge[key].p99 / sql[key].p99;
      const verdict = edge[key].p99 <= 5 ? 'ok (p99 <= 5 ms)' : 'MISSED (p99 <= 5 ms)';
      console.log(`${label.padEnd(34)} ${f(sql[key].p50)} ${f(sql[key].p99)} ${f(edge[key].p50)} ${f(edge[key].p99)} ${ratio.toFixed(1).padStart(12)}x ${f(edge[key].cpuPerRequest).padStart(18)}  ${verdict}`);
    }
    const depthRatio = edge.deepest.p99 / edge.newest.p99;
    const sqlDepthRatio = sql.deepest.p99 / sql.newest.p99;
    console.log(`deepest/newest p99: http ${depthRatio.toFixed(2)}, sql ${sqlDepthRatio.toFixed(2)}  ${depthRatio <= 1.5 ? 'ok (<= 1.5)' : 'MISSED (<= 1.5)'}`);
    console.log(`query plans: history → ${plan.map((p) => p.detail).join(' | ')}`);
    console.log(`             chat list → ${listPlan.map((p) => p.detail).join(' | ')}`);
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
