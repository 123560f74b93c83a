import { eventually } from '../../../../test/harness/probe-deployment';
import { openSqliteDatabase, SqliteDatabase } from '../persistence/sqlite-database';
import type { BusClient } from '../transport/bus-client';
import { OutboxRelay } from './outbox-relay';
import { SQLITE_OUTBOX_TABLE, SqliteOutbox } from './sqlite-outbox';

/** A transport that records what it was handed and fails the patterns it is told to. */
function fakeBus() {
  const delivered: { pattern: string; payload: unknown }[] = [];
  const failing = new Set<string>();
  const bus = {
    async deliver(pattern: string, payload: unknown) {
      if (failing.has(pattern)) throw new Error(`${pattern} refused`);
      delivered.push({ pattern, payload });
    },
  };
  return { bus: bus as unknown as BusClient, delivered, failing };
}

describe('OutboxRelay', () => {
  let db: SqliteDatabase;
  let outbox: SqliteOutbox;
  let relay: OutboxRelay | undefined;

  beforeEach(() => {
    db = openSqliteDatabase(':memory:', [{ version: 1, sql: SQLITE_OUTBOX_TABLE }]);
    outbox = new SqliteOutbox(db);
  });
  afterEach(async () => {
    await relay?.stop();
    db.close();
  });

  const record = (...patterns: string[]) => db.transaction(() => outbox.record(patterns.map((pattern, i) => ({ pattern, payload: { i } }))))();

  it('relays what an earlier run left, in recording order, and removes only what was handed over', async () => {
    record('a', 'b', 'c');
    const { bus, delivered } = fakeBus();
    relay = new OutboxRelay('test', outbox, bus, { pollMs: 50 });
    relay.start();
    await eventually(() => expect(delivered.map((e) => e.pattern)).toEqual(['a', 'b', 'c']));
    await eventually(async () => expect(await outbox.pending(10)).toEqual([]));
  });

  it('relays at once when kicked after a commit', async () => {
    const { bus, delivered } = fakeBus();
    relay = new OutboxRelay('test', outbox, bus, { pollMs: 60_000 });
    relay.start();
    record('after-commit');
    relay.kick();
    await eventually(() => expect(delivered.map((e) => e.pattern)).toEqual(['after-commit']));
  });

  it('reads once for the kicks of one commit: every send of a group commit kicks, and the first pass sees them all', async () => {
    const { bus, delivered } = fakeBus();
    const reads = jest.spyOn(outbox, 'pending');
    relay = new OutboxRelay('test', outbox, bus, { pollMs: 60_000 });
    relay.start();
    await eventually(() => expect(reads).toHaveBeenCalledTimes(1));
    await new Promise((resolve) => setImmediate(resolve));
    reads.mockClear();

    record('m1', 'm2', 'm3');
    for (let i = 0; i < 3; i++) relay.kick();
    await eventually(() => expect(delivered.map((e) => e.pattern)).toEqual(['m1', 'm2', 'm3']));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads).toHaveBeenCalledTimes(1);

    // A kick once that pass has read is another commit's, and gets a pass of its own.
    record('m4');
    relay.kick();
    await eventually(() => expect(delivered.map((e) => e.pattern)).toEqual(['m1', 'm2', 'm3', 'm4']));
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it("hands a later commit's events over while earlier deliveries are still under way, and each of them once", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const delivered: string[] = [];
    const bus = {
      async deliver(pattern: string) {
        if (pattern === 'slow') await released;
        delivered.push(pattern);
      },
    } as unknown as BusClient;
    relay = new OutboxRelay('test', outbox, bus, { pollMs: 20 });
    relay.start();
    try {
      record('slow');
      relay.kick();
      await new Promise((resolve) => setTimeout(resolve, 60)); // polls pass over 'slow' while it is in flight
      record('fast');
      relay.kick();
      await eventually(() => expect(delivered).toEqual(['fast']));
      // 'fast' is removed once handed over (in a later turn than its delivery); 'slow', still in flight, stays.
      await eventually(async () => expect((await outbox.pending(10)).map((e) => e.pattern)).toEqual(['slow']));
    } finally {
      release(); // also on a failure above, so that stopping the relay does not wait for 'slow' forever
    }
    await eventually(async () => expect(await outbox.pending(10)).toEqual([]));
    expect(delivered).toEqual(['fast', 'slow']);
  });

  it('keeps an event the transport refused and hands it over again once it takes it; the others go on', async () => {
    const { bus, delivered, failing } = fakeBus();
    failing.add('stuck');
    relay = new OutboxRelay('test', outbox, bus, { pollMs: 20 });
    relay.start();
    record('stuck', 'fine');
    await eventually(() => expect(delivered.map((e) => e.pattern)).toEqual(['fine']));
    expect((await outbox.pending(10)).map((e) => e.pattern)).toEqual(['stuck']);
    failing.delete('stuck');
    await eventually(() => expect(delivered.map((e) => e.pattern)).toEqual(['fine', 'stuck']));
    await eventually(async () => expect(await outbox.pending(10)).toEqual([]));
  });

  it('gives a poison event up after its tries, so it cannot hold the outbox forever', async () => {
    const { bus, delivered, failing } = fakeBus();
    failing.add('poison');
    relay = new OutboxRelay('test', outbox, bus, { pollMs: 10, maxTries: 3 });
    relay.start();
    record('poison');
    await eventually(async () => expect(await outbox.pending(10)).toEqual([]));
    expect(delivered).toEqual([]);
  });

  it('reports what waits and how late it is', async () => {
    const { bus, failing } = fakeBus();
    failing.add('late');
    const reports: [string, number][] = [];
    relay = new OutboxRelay('test', outbox, bus, { pollMs: 20 });
    relay.observe({ setOutboxPending: (module, count) => reports.push([module, count]), setOutboxRelayLag: () => undefined });
    relay.start();
    record('late');
    await eventually(() => expect(reports).toContainEqual(['test', 1]));
    failing.delete('late');
    await eventually(() => expect(reports[reports.length - 1]).toEqual(['test', 0]));
  });
});
