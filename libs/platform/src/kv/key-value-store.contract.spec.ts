import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { REDIS_URL, requireRedis } from '../../../../test/harness/services';
import { KeyValueStore } from './key-value-store';
import { MemoryKeyValueStore } from './memory-key-value-store';
import { RedisKeyValueStore } from './redis-key-value-store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Adapter {
  name: string;
  create(): Promise<{ store: KeyValueStore; cleanup(): Promise<void> }>;
}

const ADAPTERS: Adapter[] = [
  {
    name: 'memory',
    create: async () => {
      const store = new MemoryKeyValueStore(20);
      return { store, cleanup: () => store.close() };
    },
  },
  {
    name: 'redis',
    create: async () => {
      await requireRedis();
      // A namespace of its own on the shared Redis, removed afterwards.
      const namespace = `t${randomBytes(5).toString('hex')}`;
      const store = RedisKeyValueStore.connect(REDIS_URL, namespace, 1000);
      return {
        store,
        cleanup: async () => {
          await store.close();
          const redis = new Redis(REDIS_URL);
          const keys = await redis.keys(`${namespace}:*`);
          if (keys.length) await redis.del(...keys);
          redis.disconnect();
        },
      };
    },
  },
];

/** One behaviour for the KeyValueStore port, whichever adapter the configuration picks. */
describe.each(ADAPTERS)('KeyValueStore contract ($name)', (adapter) => {
  let store: KeyValueStore;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ store, cleanup } = await adapter.create());
  });

  afterAll(async () => {
    await cleanup?.();
  });

  it('sets, gets and deletes', async () => {
    expect(await store.get('absent')).toBeNull();
    await store.set('k1', 'v1');
    expect(await store.get('k1')).toBe('v1');
    expect(await store.ttlMs('k1')).toBeNull();
    await store.set('k1', 'v2');
    expect(await store.get('k1')).toBe('v2');
    await store.delete('k1');
    expect(await store.get('k1')).toBeNull();
    await store.delete('never-set');
  });

  it('expires a value after its TTL and reports the time left', async () => {
    await store.set('short', 'soon gone', 800);
    const left = await store.ttlMs('short');
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(800);
    expect(await store.get('short')).toBe('soon gone');
    await sleep(950);
    expect(await store.get('short')).toBeNull();
    expect(await store.ttlMs('short')).toBeNull();
  });

  it('sets if absent only, and an expired key counts as absent', async () => {
    expect(await store.setIfAbsent('lock', 'first', 800)).toBe(true);
    expect(await store.setIfAbsent('lock', 'second', 800)).toBe(false);
    expect(await store.get('lock')).toBe('first');
    await sleep(950);
    expect(await store.setIfAbsent('lock', 'third', 1000)).toBe(true);
    expect(await store.get('lock')).toBe('third');
  });

  it('lets exactly one of many concurrent setIfAbsent calls win', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('race', String(i), 5000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('increments within a fixed window that later increments do not extend', async () => {
    expect(await store.increment('hits', 1000)).toBe(1);
    await sleep(300);
    expect(await store.increment('hits', 1000)).toBe(2);
    expect(await store.increment('hits', 1000, 5)).toBe(7);
    const left = await store.ttlMs('hits');
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(710); // the window started at the first increment, not the last
    await sleep(850);
    expect(await store.get('hits')).toBeNull();
    expect(await store.increment('hits', 1000)).toBe(1);
  });

  it('counts every one of many concurrent increments', async () => {
    const values = await Promise.all(Array.from({ length: 25 }, () => store.increment('burst', 5000)));
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('takes a value once (read and delete in one step)', async () => {
    await store.set('code', '123456', 5000);
    const taken = await Promise.all([store.take('code'), store.take('code'), store.take('code')]);
    expect(taken.filter((value) => value !== null)).toEqual(['123456']);
    expect(await store.get('code')).toBeNull();
    expect(await store.take('absent')).toBeNull();
  });

  it('keeps sets: adds, removes, lists, and expires the whole set after its TTL (refreshed by each add)', async () => {
    expect(await store.setMembers('members')).toEqual([]);
    await store.addToSet('members', ['a', 'b'], 800);
    await store.addToSet('members', ['b', 'c'], 800);
    expect((await store.setMembers('members')).sort()).toEqual(['a', 'b', 'c']);
    await store.removeFromSet('members', ['a', 'absent']);
    expect((await store.setMembers('members')).sort()).toEqual(['b', 'c']);
    await sleep(500);
    await store.addToSet('members', [], 800); // only the expiry moves
    await sleep(500);
    expect((await store.setMembers('members')).sort()).toEqual(['b', 'c']);
    await sleep(450);
    expect(await store.setMembers('members')).toEqual([]);
    await store.removeFromSet('members', ['b']);
    await store.addToSet('members', [], 800);
    expect(await store.setMembers('members')).toEqual([]);
  });

  it('does not hand out an expired value through take', async () => {
    await store.set('stale', 'x', 100);
    await sleep(200);
    expect(await store.take('stale')).toBeNull();
  });
});
