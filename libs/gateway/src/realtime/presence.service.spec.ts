import { AppConfig, EnvironmentVariables } from '@chat/platform';
import { MemoryKeyValueStore } from '@chat/platform/kv/memory-key-value-store';
import { PresenceService } from './presence.service';

const TTL_MS = 3000;
const config = new AppConfig(Object.assign(new EnvironmentVariables(), { PRESENCE_TTL_MS: TTL_MS }));

describe('PresenceService', () => {
  let store: MemoryKeyValueStore;
  let presence: PresenceService;

  beforeEach(async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    store = new MemoryKeyValueStore();
    presence = new PresenceService(store, config);
    await presence.beat();
  });
  afterEach(async () => {
    await store.close();
    jest.useRealTimers();
  });

  it('is online while any device is connected, and offline with lastSeen after the last one', async () => {
    expect(await presence.states(['u1'])).toEqual([{ userId: 'u1', online: false, lastSeen: null }]);
    expect(await presence.connected('u1')).toBe(true);
    expect(await presence.connected('u1')).toBe(false); // second device: no new "online"
    expect(await presence.disconnected('u1')).toBeNull();
    expect(await presence.states(['u1'])).toEqual([{ userId: 'u1', online: true, lastSeen: null }]);
    const offline = await presence.disconnected('u1');
    expect(offline).toMatchObject({ userId: 'u1', online: false });
    expect(await presence.states(['u1'])).toEqual([{ userId: 'u1', online: false, lastSeen: offline!.lastSeen }]);
  });

  it('ignores a disconnect it never counted', async () => {
    expect(await presence.disconnected('u2')).toBeNull();
    expect(await presence.connected('u2')).toBe(true);
    expect(await presence.states(['u2'])).toEqual([{ userId: 'u2', online: true, lastSeen: null }]);
  });

  describe('several gateways', () => {
    let other: PresenceService;
    let third: PresenceService;

    beforeEach(async () => {
      other = new PresenceService(store, config);
      third = new PresenceService(store, config);
      await other.beat();
      await third.beat();
    });

    it('is online while a device is connected on any gateway; going offline is said by the last one', async () => {
      expect(await presence.connected('u1')).toBe(true);
      expect(await other.connected('u1')).toBe(false); // online already, through the first gateway
      expect(await third.states(['u1'])).toEqual([{ userId: 'u1', online: true, lastSeen: null }]);
      expect(await presence.disconnected('u1')).toBeNull();
      expect(await third.states(['u1'])).toEqual([{ userId: 'u1', online: true, lastSeen: null }]);
      expect(await other.disconnected('u1')).toMatchObject({ userId: 'u1', online: false });
    });

    it("takes a dead gateway's users offline once its heartbeat expires, said once, and online again when they come back", async () => {
      await other.connected('u1'); // u1 only on the gateway that dies
      await other.connected('u2');
      await presence.connected('u2'); // u2 also connected elsewhere
      const beatAll = async (gateways: PresenceService[]) => (await Promise.all(gateways.map((g) => g.beat()))).flat();

      // `other` stops beating (killed); the survivors keep going, a third of the TTL apart.
      jest.advanceTimersByTime(TTL_MS / 3);
      expect(await beatAll([presence, third])).toEqual([]);
      expect((await third.states(['u1']))[0].online).toBe(true);
      const offline = [];
      for (let beats = 0; beats < 3; beats++) {
        jest.advanceTimersByTime(TTL_MS / 3);
        offline.push(...(await beatAll([presence, third])));
      }
      // Within 4/3 of the TTL of the last beat: offline, said once (by one survivor), u2 still online elsewhere.
      expect(offline).toEqual([{ userId: 'u1', online: false, lastSeen: expect.any(String) }]);
      expect(await third.states(['u1', 'u2'])).toEqual([
        { userId: 'u1', online: false, lastSeen: offline[0].lastSeen },
        { userId: 'u2', online: true, lastSeen: null },
      ]);
      expect(await beatAll([presence, third])).toEqual([]);

      // The gateway restarts (a new one) and the user reconnects.
      const restarted = new PresenceService(store, config);
      await restarted.beat();
      expect(await restarted.connected('u1')).toBe(true);
      expect(await third.states(['u1'])).toEqual([{ userId: 'u1', online: true, lastSeen: null }]);
    });

    it('writes on its next heartbeat what it could not write while the store was away', async () => {
      const addToSet = jest.spyOn(store, 'addToSet').mockRejectedValueOnce(new Error('store away'));
      await expect(other.connected('u4')).rejects.toThrow('store away');
      addToSet.mockRestore();
      expect((await presence.states(['u4']))[0].online).toBe(false);
      await other.beat();
      expect((await presence.states(['u4']))[0].online).toBe(true);

      const removeFromSet = jest.spyOn(store, 'removeFromSet').mockRejectedValueOnce(new Error('store away'));
      await expect(other.disconnected('u4')).rejects.toThrow('store away');
      removeFromSet.mockRestore();
      expect(await other.beat()).toEqual([{ userId: 'u4', online: false, lastSeen: expect.any(String) }]);
      expect((await presence.states(['u4']))[0].online).toBe(false);
    });

    it('registers its users again when it was taken for dead while the store was away', async () => {
      await other.connected('u3');
      jest.advanceTimersByTime(TTL_MS + 1);
      expect(await presence.beat()).toEqual([{ userId: 'u3', online: false, lastSeen: expect.any(String) }]);
      await other.beat(); // back in touch: still holding u3's socket
      expect(await presence.states(['u3'])).toEqual([{ userId: 'u3', online: true, lastSeen: null }]);
    });
  });
});
