import { MemoryKeyValueStore } from '@chat/platform/kv/memory-key-value-store';
import { PresenceService } from './presence.service';

describe('PresenceService', () => {
  let store: MemoryKeyValueStore;
  let presence: PresenceService;

  beforeEach(() => {
    store = new MemoryKeyValueStore();
    presence = new PresenceService(store);
  });
  afterEach(() => store.close());

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

  it('never goes below zero devices (a disconnect without a counted connect)', async () => {
    await presence.disconnected('u2');
    expect(await presence.connected('u2')).toBe(true);
    expect(await presence.states(['u2'])).toEqual([{ userId: 'u2', online: true, lastSeen: null }]);
  });
});
