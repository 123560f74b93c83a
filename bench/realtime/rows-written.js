/**
 * Rows a server writes for one action, seen from outside: every table of every SQLite file in its data directory is
 * read before and after (read-only connections beside the server's; WAL lets them read while it writes), and the
 * rows that differ are counted. It knows no schema, so it keeps measuring whatever shape the modules' stores take.
 *
 * Per table, an insert adds a row, a delete removes one and an update does both, so max(added, removed) counts each
 * of them once. A row written and then removed between the two reads (a relayed outbox entry, say) is not seen.
 */
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const Database = require('better-sqlite3');

/** Every row of every table, as JSON strings counted per table: `${file}/${table}` -> Map(row -> count). */
function snapshot(dataDir) {
  const tables = new Map();
  for (const file of readdirSync(dataDir).filter((name) => name.endsWith('.sqlite'))) {
    const db = new Database(join(dataDir, file), { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      db.transaction(() => {
        const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all();
        for (const name of names) {
          const rows = new Map();
          for (const row of db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).raw().iterate()) {
            const key = JSON.stringify(row);
            rows.set(key, (rows.get(key) ?? 0) + 1);
          }
          tables.set(`${file}/${name}`, rows);
        }
      })();
    } finally {
      db.close();
    }
  }
  return tables;
}

/** Rows written between two snapshots, in total and per table (tables with none left out). */
function rowsWritten(before, after) {
  const perTable = {};
  let total = 0;
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const [a, b] = [before.get(name) ?? new Map(), after.get(name) ?? new Map()];
    let added = 0;
    let removed = 0;
    for (const [row, count] of b) added += Math.max(0, count - (a.get(row) ?? 0));
    for (const [row, count] of a) removed += Math.max(0, count - (b.get(row) ?? 0));
    const written = Math.max(added, removed);
    if (written > 0) perTable[name] = written;
    total += written;
  }
  return { total, perTable };
}

/** Reads until two reads `gapMs` apart agree, at most until `deadline`; returns the last read. */
async function stableSnapshot(dataDir, gapMs, deadline) {
  let last = snapshot(dataDir);
  for (;;) {
    await new Promise((r) => setTimeout(r, gapMs));
    const now = snapshot(dataDir);
    if (rowsWritten(last, now).total === 0 || Date.now() > deadline) return now;
    last = now;
  }
}

/**
 * Waits until the stores are still (no row changes for a second: earlier work still being applied would count
 * otherwise), runs `action`, then reads until two reads 300 ms apart agree (the server applies some writes after
 * it answers, from events), each wait at most `timeoutMs`; returns the rows written.
 */
async function measureRowsWritten(dataDir, action, timeoutMs = 120_000) {
  const before = await stableSnapshot(dataDir, 1000, Date.now() + timeoutMs);
  await action();
  const deadline = Date.now() + timeoutMs;
  let last = rowsWritten(before, snapshot(dataDir));
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = rowsWritten(before, snapshot(dataDir));
    if ((now.total === last.total && now.total > 0) || Date.now() > deadline) return now;
    last = now;
  }
}

module.exports = { measureRowsWritten };
