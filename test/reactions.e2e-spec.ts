import { randomUUID } from 'node:crypto';
import { MAX_REACTION_KINDS } from '../libs/contracts/src';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { ChatSocket, connectSocket, EventLog, request } from './harness/socket-client';
import { mintAccessToken } from './harness/tokens';
import { Json, userApi } from './harness/user-api';

jest.setTimeout(60_000);

/** A path segment for an emoji (REST takes it URL-encoded). */
const emojiPath = (emoji: string) => encodeURIComponent(emoji);

describe.each(DEPLOYMENT_MODES)('reactions (%s)', (mode) => {
  let cluster: Cluster;
  let ann: string;
  let ben: string;
  let cat: string;
  const sockets: ChatSocket[] = [];
  const token = (userId: string) => mintAccessToken(cluster.jwtSecret, userId);
  const { call: api, ok } = userApi(() => cluster.url, token);

  beforeAll(async () => {
    cluster = await Cluster.start(mode);
    [ann, ben, cat] = seedUsers(cluster.dataDir, ['ann', 'ben', 'cat'].map((name) => ({ email: `${name}@reactions.test`, displayName: name }))).map((p) => p.id);
  }, 90_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await cluster?.stop();
  });

  async function device(userId: string): Promise<{ socket: ChatSocket; log: EventLog }> {
    const socket = await connectSocket(cluster.url, { token: token(userId) });
    sockets.push(socket);
    return { socket, log: new EventLog(socket) };
  }

  const send = (userId: string, chatId: string, text: string): Promise<Json> => ok(userId, 'POST', `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text });

  it('toggles reactions over REST and the socket, live to every device, in history and in catch-up; kept by an edit, gone with a deletion', async () => {
    const group = await ok(ann, 'POST', '/chats/groups', { title: 'Reactions', memberIds: [ben] });
    const annDevice = await device(ann);
    const benPhone = await device(ben);
    const benLaptop = await device(ben);

    const message = await send(ann, group.id, 'who is in for lunch?');
    expect(message.reactions).toEqual([]);
    // The cursor a client holds after loading the chat, before anyone reacted.
    const loaded = await ok(ben, 'GET', `/chats/${group.id}/messages`);
    // (The group's first line is its creation; the message comes after it.)
    expect(loaded.items.find((m: Json) => m.id === message.id)).toMatchObject({ reactions: [] });

    // Ben reacts over REST: the answer, and a frame to each device of both members.
    const thumbs = await ok(ben, 'PUT', `/messages/${message.id}/reactions/${emojiPath('👍')}`);
    expect(thumbs.reactions).toEqual([{ emoji: '👍', count: 1, userIds: [ben] }]);
    for (const { log } of [annDevice, benPhone, benLaptop]) {
      expect(await log.waitFor('message:reactions', (p) => p.messageId === message.id)).toMatchObject({
        chatId: group.id,
        seq: message.seq,
        reactions: [{ emoji: '👍', count: 1, userIds: [ben] }],
      });
    }

    // Ann over the socket, with the text form of the heart: stored as the emoji form, one reaction.
    const heart = await request<Json>(annDevice.socket, 'message:react', { messageId: message.id, emoji: '❤', on: true });
    expect(heart).toMatchObject({ ok: true, data: { reactions: [{ emoji: '👍', count: 1 }, { emoji: '❤️', count: 1, userIds: [ann] }] } });
    const heartFrame = await benLaptop.log.waitFor('message:reactions', (p) => p.reactions.length === 2);
    const thumbsFrame = benLaptop.log.of('message:reactions')[0];
    expect(heartFrame.version).toBeGreaterThan(thumbsFrame.version);

    // Each emoji once per member: adding again, or over the other path, changes nothing (and announces nothing).
    expect((await ok(ben, 'PUT', `/messages/${message.id}/reactions/${emojiPath('👍')}`)).reactions[0]).toEqual({ emoji: '👍', count: 1, userIds: [ben] });
    expect(await request<Json>(benPhone.socket, 'message:react', { messageId: message.id, emoji: '👍', on: true })).toMatchObject({ ok: true, data: { reactions: [{ count: 1 }, { count: 1 }] } });

    // Bad input is a clear error, never a 500; a stranger learns nothing.
    expect(await api(ben, 'PUT', `/messages/${message.id}/reactions/ab`)).toMatchObject({ status: 400, body: { code: 'REACTION.INVALID' } });
    expect(await api(ben, 'PUT', `/messages/${message.id}/reactions/${emojiPath('👍👍')}`)).toMatchObject({ status: 400, body: { code: 'REACTION.INVALID' } });
    expect(await api(ben, 'PUT', `/messages/${message.id}/reactions/${emojiPath('👍'.repeat(40))}`)).toMatchObject({ status: 400 });
    expect(await request(benPhone.socket, 'message:react', { messageId: message.id, emoji: '<b>', on: true })).toMatchObject({ ok: false, error: { code: 'REACTION.INVALID' } });
    expect(await request(benPhone.socket, 'message:react', { messageId: message.id, emoji: '👍', on: 'yes' })).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
    expect(await api(cat, 'PUT', `/messages/${message.id}/reactions/${emojiPath('👍')}`)).toMatchObject({ status: 404, body: { code: 'MESSAGE.NOT_FOUND' } });
    expect(await api(ben, 'PUT', `/messages/${randomUUID()}/reactions/${emojiPath('👍')}`)).toMatchObject({ status: 404, body: { code: 'MESSAGE.NOT_FOUND' } });

    // History carries them; so does catch-up from the cursor of the page loaded before anyone reacted.
    const both = [{ emoji: '👍', count: 1, userIds: [ben] }, { emoji: '❤️', count: 1, userIds: [ann] }];
    expect((await ok(ben, 'GET', `/chats/${group.id}/messages`)).items.find((m: Json) => m.id === message.id).reactions).toEqual(both);
    expect((await ok(ben, 'GET', `/messages/${message.id}`)).reactions).toEqual(both);
    const synced: Json = await request(benPhone.socket, 'sync', { chats: [{ chatId: group.id, lastSeq: message.seq, changeCursor: loaded.changeCursor }] });
    expect(synced.ok).toBe(true);
    expect(synced.data.chats[0].messages).toEqual([]);
    expect(synced.data.chats[0].changed).toMatchObject([{ id: message.id, reactions: both, editedAt: null }]);
    const afterReactions = synced.data.chats[0].changeCursor;

    // An edit keeps them, and says so in its frame.
    await ok(ann, 'PATCH', `/messages/${message.id}`, { text: 'who is in for lunch at one?' });
    expect(await benLaptop.log.waitFor('message:edited', (m) => m.id === message.id)).toMatchObject({ reactions: both });

    // Ben takes his back (twice: the second changes nothing).
    expect((await ok(ben, 'DELETE', `/messages/${message.id}/reactions/${emojiPath('👍')}`)).reactions).toEqual([both[1]]);
    expect((await ok(ben, 'DELETE', `/messages/${message.id}/reactions/${emojiPath('👍')}`)).reactions).toEqual([both[1]]);
    await annDevice.log.waitFor('message:reactions', (p) => p.reactions.length === 1);

    // Deleted for everyone: its reactions go, and it takes no more.
    await ok(ann, 'DELETE', `/messages/${message.id}`);
    expect(await benPhone.log.waitFor('message:deleted', (m) => m.id === message.id)).toMatchObject({ reactions: [] });
    expect(await api(ben, 'PUT', `/messages/${message.id}/reactions/${emojiPath('👍')}`)).toMatchObject({ status: 410, body: { code: 'MESSAGE.DELETED' } });
    expect(await request(benPhone.socket, 'message:react', { messageId: message.id, emoji: '👍', on: true })).toMatchObject({ ok: false, error: { code: 'MESSAGE.DELETED' } });
    expect((await ok(ben, 'GET', `/chats/${group.id}/messages`)).items.find((m: Json) => m.id === message.id)).toMatchObject({ deletedAt: expect.any(String), reactions: [] });
    const later: Json = await request(benPhone.socket, 'sync', { chats: [{ chatId: group.id, lastSeq: message.seq, changeCursor: afterReactions }] });
    expect(later.data.chats[0].changed).toMatchObject([{ id: message.id, deletedAt: expect.any(String), reactions: [] }]);
  });

  it(`takes at most ${MAX_REACTION_KINDS} different emojis on a message; members still join those`, async () => {
    const group = await ok(ann, 'POST', '/chats/groups', { title: 'Many', memberIds: [ben] });
    const message = await send(ann, group.id, 'react to me');
    const emojis = Array.from({ length: MAX_REACTION_KINDS + 1 }, (_, i) => String.fromCodePoint(0x1f600 + i));
    for (const emoji of emojis.slice(0, MAX_REACTION_KINDS)) await ok(ann, 'PUT', `/messages/${message.id}/reactions/${emojiPath(emoji)}`);
    expect(await api(ben, 'PUT', `/messages/${message.id}/reactions/${emojiPath(emojis[MAX_REACTION_KINDS])}`)).toMatchObject({
      status: 409,
      body: { code: 'REACTION.TOO_MANY' },
    });
    const joined = await ok(ben, 'PUT', `/messages/${message.id}/reactions/${emojiPath(emojis[0])}`);
    expect(joined.reactions).toHaveLength(MAX_REACTION_KINDS);
    expect(joined.reactions[0]).toEqual({ emoji: emojis[0], count: 2, userIds: [ann, ben] });
  });
});
