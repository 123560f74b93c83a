import { randomUUID } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { mintAccessToken } from './harness/tokens';
import * as corpus from './support/image-corpus';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Reply {
  status: number;
  body: Json;
}

/** Chats follows Messages through events: list state is eventually consistent, so poll for it. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const withoutRequestId = ({ requestId: _ignored, ...rest }: Json) => rest;

describe.each(DEPLOYMENT_MODES)('Conversations over real HTTP (%s)', (mode) => {
  let cluster: Cluster;
  let ada: string, bob: string, cy: string, eve: string;
  const tokens = new Map<string, string>();

  const call = async (user: string, method: string, path: string, body?: unknown): Promise<Reply> => {
    const response = await fetch(`${cluster.url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(user)}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const ok = async (user: string, method: string, path: string, body?: unknown): Promise<Json> => {
    const reply = await call(user, method, path, body);
    if (reply.status >= 300) throw new Error(`${method} ${path} → ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const send = (user: string, chatId: string, text: string, extra: Record<string, unknown> = {}) =>
    ok(user, 'POST', `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text, ...extra });
  const summaryOf = async (user: string, chatId: string) => ok(user, 'GET', `/chats/${chatId}`);
  const listIds = async (user: string) => (await ok(user, 'GET', '/chats?limit=100')).items.map((c: Json) => c.id);
  /** Waits until Chats has applied every message up to `seq` in this chat. */
  const settled = (user: string, chatId: string, seq: number) =>
    eventually(async () => {
      const summary = await summaryOf(user, chatId);
      expect(summary.lastSeq).toBe(seq);
      return summary;
    });

  beforeAll(async () => {
    cluster = await Cluster.start(mode);
    [ada, bob, cy, eve] = seedUsers(cluster.dataDir, [
      { email: 'ada@example.com', displayName: 'Ada' },
      { email: 'bob@example.com', displayName: 'Bob' },
      { email: 'cy@example.com', displayName: 'Cy' },
      { email: 'eve@example.com', displayName: 'Eve' },
    ]).map((u) => u.id);
    for (const id of [ada, bob, cy, eve]) tokens.set(id, mintAccessToken(cluster.jwtSecret, id));
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('opens one 1:1 chat per pair, also under concurrent requests and through the seed alias', async () => {
    const opened = await Promise.all([
      ...Array.from({ length: 4 }, () => call(ada, 'POST', '/chats/direct', { userId: cy })),
      call(cy, 'POST', '/chats/direct', { userId: ada }),
      call(cy, 'POST', '/chat/new', { otherUserId: ada }),
    ]);
    expect(opened.every((r) => r.status < 300)).toBe(true);
    expect(new Set(opened.map((r) => r.body.id)).size).toBe(1);
    expect(opened[0].body).toMatchObject({ kind: 'direct', otherUserId: cy, unreadCount: 0, lastMessage: null });
    expect(opened[4].body.otherUserId).toBe(ada);

    const self = await call(ada, 'POST', '/chats/direct', { userId: ada });
    expect(self).toMatchObject({ status: 400, body: { code: 'CHAT.INVALID_MEMBERS' } });
    const nobody = await call(ada, 'POST', '/chats/direct', { userId: randomUUID() });
    expect(nobody).toMatchObject({ status: 404, body: { code: 'USER.NOT_FOUND' } });
  });

  it('sends, replies, edits, deletes for everyone and for me in a 1:1 chat', async () => {
    const chat = await ok(ada, 'POST', '/chats/direct', { userId: bob });
    const first = await send(ada, chat.id, 'Hello Bob');
    expect(first).toMatchObject({ seq: 1, senderId: ada, text: 'Hello Bob', replyTo: null, editedAt: null, deletedAt: null, seen: false });

    const reply = await send(bob, chat.id, 'Hi Ada', { replyToId: first.id });
    expect(reply).toMatchObject({ seq: 2, senderId: bob, replyTo: { id: first.id, seq: 1, senderId: ada, text: 'Hello Bob', deleted: false } });

    // The sender is the signed-in user; a smuggled senderId is refused, not honoured.
    const smuggled = await call(bob, 'POST', `/chats/${chat.id}/messages`, { clientMessageId: randomUUID(), text: 'x', senderId: ada });
    expect(smuggled).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
    expect(await call(ada, 'POST', `/chats/${chat.id}/messages`, { clientMessageId: randomUUID(), text: '   ' })).toMatchObject({ status: 400, body: { code: 'MESSAGE.EMPTY' } });
    expect(await call(ada, 'POST', `/chats/${chat.id}/messages`, { clientMessageId: randomUUID(), text: 'x'.repeat(4001) })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION.FAILED' },
    });
    expect((await call(ada, 'POST', `/chats/${chat.id}/messages`, { clientMessageId: randomUUID(), text: 'x'.repeat(4000) })).status).toBe(201);
    // Ids in the path are checked at the edge like the socket's: inside one process Messages takes a send as it is.
    expect(await call(ada, 'POST', `/chats/${'c'.repeat(65)}/messages`, { clientMessageId: randomUUID(), text: 'x' })).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
    expect(await call(ada, 'POST', `/chats/${'c'.repeat(65)}/read`, { seq: 1 })).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });

    const edited = await ok(ada, 'PATCH', `/messages/${first.id}`, { text: 'Hello Bob!' });
    expect(edited.text).toBe('Hello Bob!');
    expect(Date.parse(edited.editedAt)).toBeGreaterThan(0);
    expect(await call(bob, 'PATCH', `/messages/${first.id}`, { text: 'not mine' })).toMatchObject({ status: 403, body: { code: 'MESSAGE.NOT_SENDER' } });
    expect(await call(bob, 'DELETE', `/messages/${first.id}`)).toMatchObject({ status: 403, body: { code: 'MESSAGE.NOT_SENDER' } });

    // Delete for everyone leaves a tombstone in both histories and in the reply's preview.
    const tomb = await ok(ada, 'DELETE', `/messages/${first.id}`);
    expect(tomb).toMatchObject({ id: first.id, seq: 1, text: null, image: null });
    expect(tomb.deletedAt).not.toBeNull();
    expect(await call(ada, 'PATCH', `/messages/${first.id}`, { text: 'revive' })).toMatchObject({ status: 410, body: { code: 'MESSAGE.DELETED' } });
    const bobView = await ok(bob, 'GET', `/chats/${chat.id}/messages`);
    expect(bobView.items.map((m: Json) => m.seq)).toEqual([1, 2, 3]);
    expect(bobView.items[0]).toMatchObject({ text: null, deletedAt: tomb.deletedAt });
    expect(bobView.items[1].replyTo).toMatchObject({ id: first.id, text: null, deleted: true });

    // Delete for me: gone from Bob's history only.
    await ok(bob, 'POST', `/messages/${reply.id}/hide`);
    expect((await ok(bob, 'GET', `/chats/${chat.id}/messages`)).items.map((m: Json) => m.seq)).toEqual([1, 3]);
    expect((await ok(ada, 'GET', `/chats/${chat.id}/messages`)).items.map((m: Json) => m.seq)).toEqual([1, 2, 3]);
    expect(await call(bob, 'GET', `/messages/${reply.id}`)).toMatchObject({ status: 404, body: { code: 'MESSAGE.NOT_FOUND' } });

    // The chat list previews the latest message; deleting the latest one turns the preview into a tombstone.
    const last = await send(bob, chat.id, 'latest');
    await eventually(async () => expect((await summaryOf(ada, chat.id)).lastMessage).toMatchObject({ messageId: last.id, text: 'latest', deleted: false }));
    await ok(bob, 'DELETE', `/messages/${last.id}`);
    await eventually(async () => expect((await summaryOf(ada, chat.id)).lastMessage).toMatchObject({ messageId: last.id, text: null, deleted: true }));
  });

  it('sends an uploaded image with or without a caption, and removes its file when deleted for everyone', async () => {
    const upload = async (user: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(await corpus.png())], { type: 'image/png' }), 'photo.png');
      const response = await fetch(`${cluster.url}/api/v1/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${tokens.get(user)}` } });
      expect(response.status).toBe(201);
      return (await response.json()) as Json;
    };
    const chat = await ok(ada, 'POST', '/chats/direct', { userId: bob });
    const captioned = await upload(ada);
    const withCaption = await send(ada, chat.id, 'Look at this', { imageKey: captioned.key });
    expect(withCaption).toMatchObject({ text: 'Look at this', image: { key: captioned.key, url: captioned.url, thumbnailUrl: captioned.thumbnailUrl } });

    const bare = await upload(ada);
    const imageOnly = await ok(ada, 'POST', `/chats/${chat.id}/messages`, { clientMessageId: randomUUID(), imageKey: bare.key });
    expect(imageOnly).toMatchObject({ text: null, image: { key: bare.key } });
    await eventually(async () => expect((await summaryOf(bob, chat.id)).lastMessage).toMatchObject({ messageId: imageOnly.id, text: null, hasImage: true }));

    // Only the uploader can attach an upload; an unknown key answers the same.
    const stolen = await call(bob, 'POST', `/chats/${chat.id}/messages`, { clientMessageId: randomUUID(), imageKey: captioned.key });
    const unknown = await call(bob, 'POST', `/chats/${chat.id}/messages`, { clientMessageId: randomUUID(), imageKey: '0123456789abcdef0123456789abcdef.webp' });
    expect(stolen).toMatchObject({ status: 404, body: { code: 'MEDIA.NOT_FOUND' } });
    expect(withoutRequestId(stolen.body)).toEqual(withoutRequestId(unknown.body));

    // One upload, one message: a retry of the same send gets it again, another message does not (deleting the
    // first for everyone would remove the file under the second). A refused send frees it.
    const again = await ok(ada, 'POST', `/chats/${chat.id}/messages`, { clientMessageId: imageOnly.clientMessageId, imageKey: bare.key });
    expect(again.id).toBe(imageOnly.id);
    const reused = await call(ada, 'POST', `/chats/${chat.id}/messages`, { clientMessageId: randomUUID(), imageKey: bare.key });
    expect(reused).toMatchObject({ status: 404, body: { code: 'MEDIA.NOT_FOUND' } });
    const spare = await upload(ada);
    const refused = await call(ada, 'POST', `/chats/${randomUUID()}/messages`, { clientMessageId: randomUUID(), imageKey: spare.key });
    expect(refused).toMatchObject({ status: 404, body: { code: 'CHAT.NOT_FOUND' } });
    expect(await send(ada, chat.id, 'second try', { imageKey: spare.key })).toMatchObject({ image: { key: spare.key } });

    // Delete for everyone: a tombstone without the image, and the file itself goes.
    expect((await fetch(`${cluster.url}${captioned.url}`)).status).toBe(200);
    const tomb = await ok(ada, 'DELETE', `/messages/${withCaption.id}`);
    expect(tomb).toMatchObject({ text: null, image: null });
    await eventually(async () => expect((await fetch(`${cluster.url}${captioned.url}`)).status).toBe(404));
    expect((await fetch(`${cluster.url}${bare.url}`)).status).toBe(200);

    // The seed alias takes the image as multipart in the field `image`.
    const form = new FormData();
    form.append('chatId', chat.id);
    form.append('text', 'via the alias');
    form.append('image', new Blob([new Uint8Array(await corpus.png())], { type: 'image/png' }), 'p.png');
    const alias = await fetch(`${cluster.url}/api/v1/message`, { method: 'POST', body: form, headers: { authorization: `Bearer ${tokens.get(bob)}` } });
    expect(alias.status).toBe(201);
    expect(await alias.json()).toMatchObject({ senderId: bob, text: 'via the alias', image: { mimeType: 'image/webp' } });
  });

  it('keeps unread counters and read pointers, and reports seen in 1:1 chats', async () => {
    const chat = await ok(bob, 'POST', '/chats/direct', { userId: cy });
    for (const text of ['one', 'two', 'three']) await send(bob, chat.id, text);
    const cyView = await settled(cy, chat.id, 3);
    expect(cyView).toMatchObject({ unreadCount: 3, lastReadSeq: 0 });
    expect((await summaryOf(bob, chat.id)).unreadCount).toBe(0);

    const delivered = await ok(cy, 'POST', `/chats/${chat.id}/delivered`, { seq: 3 });
    expect(delivered).toMatchObject({ userId: cy, lastDeliveredSeq: 3, lastReadSeq: 0 });
    const read = await ok(cy, 'POST', `/chats/${chat.id}/read`, { seq: 2 });
    expect(read).toMatchObject({ lastReadSeq: 2, lastDeliveredSeq: 3 });
    expect(read.lastReadAt).not.toBeNull();
    // The chat list hears of the pointer through Messages' event.
    await eventually(async () => expect((await summaryOf(cy, chat.id)).unreadCount).toBe(1));
    // Pointers never move back.
    expect((await ok(cy, 'POST', `/chats/${chat.id}/read`, { seq: 1 })).lastReadSeq).toBe(2);

    const history = await ok(bob, 'GET', `/chats/${chat.id}/messages`);
    expect(history.items.map((m: Json) => [m.seq, m.seen])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(history.items[0].seenAt).toBe(read.lastReadAt);
    const states = await ok(bob, 'GET', `/chats/${chat.id}/read-states`);
    expect(states.find((s: Json) => s.userId === cy)).toMatchObject({ lastReadSeq: 2, lastDeliveredSeq: 3 });

    // A pointer stops at the newest message: nothing not yet sent can show as seen.
    expect(await ok(cy, 'POST', `/chats/${chat.id}/read`, { seq: 1_000_000 })).toMatchObject({ lastReadSeq: 3, lastDeliveredSeq: 3 });
    await eventually(async () => expect((await summaryOf(cy, chat.id)).unreadCount).toBe(0));
    // Replying implies having read: the sender's own counter stays at zero.
    await send(cy, chat.id, 'four');
    await settled(bob, chat.id, 4);
    expect((await summaryOf(cy, chat.id)).unreadCount).toBe(0);
    expect((await summaryOf(bob, chat.id)).unreadCount).toBe(1);
  });

  it('hides a chat for me until a new message resurfaces it, and mutes it', async () => {
    const chat = await ok(ada, 'POST', '/chats/direct', { userId: bob });
    await send(bob, chat.id, 'before hiding');
    await ok(ada, 'POST', `/chats/${chat.id}/hide`);
    expect(await listIds(ada)).not.toContain(chat.id);
    expect(await listIds(bob)).toContain(chat.id);

    const muted = await ok(ada, 'POST', `/chats/${chat.id}/mute`, { muted: true });
    expect(muted.muted).toBe(true);
    await send(bob, chat.id, 'are you there?');
    const back = await eventually(async () => {
      const list = await ok(ada, 'GET', '/chats?limit=100');
      const found = list.items.find((c: Json) => c.id === chat.id);
      expect(found?.lastMessage?.text).toBe('are you there?');
      return found;
    });
    expect(back).toMatchObject({ muted: true });
    expect((await ok(ada, 'POST', `/chats/${chat.id}/mute`, { muted: false })).muted).toBe(false);
  });

  it('runs a group with three people: members, admins, readBy, leave', async () => {
    const group = await ok(ada, 'POST', '/chats/groups', { title: 'Trip', memberIds: [bob] });
    expect(group).toMatchObject({ kind: 'group', title: 'Trip', otherUserId: null });
    expect(group.members.find((m: Json) => m.userId === ada).role).toBe('admin');

    expect(await call(bob, 'PATCH', `/chats/${group.id}`, { title: 'Mine' })).toMatchObject({ status: 403, body: { code: 'CHAT.NOT_ADMIN' } });
    expect(await call(bob, 'POST', `/chats/${group.id}/members`, { memberIds: [cy] })).toMatchObject({ status: 403, body: { code: 'CHAT.NOT_ADMIN' } });
    const renamed = await ok(ada, 'PATCH', `/chats/${group.id}`, { title: 'Trip 2026' });
    expect(renamed.title).toBe('Trip 2026');
    const withCy = await ok(ada, 'POST', `/chats/${group.id}/members`, { memberIds: [cy] });
    expect(withCy.members.map((m: Json) => m.userId).sort()).toEqual([ada, bob, cy].sort());

    // The timeline's lines (created, renamed, cy added) come first; the line that added cy is read for cy. Messages
    // writes them as it applies Chats' events (docs/message-path.md), so a send right after the REST answer could
    // come before the last of them: the test waits for them first.
    await eventually(async () => expect((await ok(ada, 'GET', `/chats/${group.id}/messages`)).items.map((m: Json) => m.system?.type)).toEqual(['created', 'renamed', 'members-added']));
    const hello = await send(ada, group.id, 'Hello all');
    const fromBob = await send(bob, group.id, 'Hey');
    expect(fromBob.seq).toBe(hello.seq + 1);
    await settled(cy, group.id, fromBob.seq);
    expect((await summaryOf(cy, group.id)).unreadCount).toBe(2);
    await ok(cy, 'POST', `/chats/${group.id}/read`, { seq: hello.seq });
    const page = await ok(ada, 'GET', `/chats/${group.id}/messages`);
    expect(page.items.filter((m: Json) => m.system).map((m: Json) => m.system.type)).toEqual(['created', 'renamed', 'members-added']);
    expect(page.items.find((m: Json) => m.id === hello.id).readBy.sort()).toEqual([bob, cy].sort());
    // Ada's pointer moved to her own message when she sent it, not past Bob's.
    expect(page.items.find((m: Json) => m.id === fromBob.id).readBy).toEqual([]);
    await ok(ada, 'POST', `/chats/${group.id}/read`, { seq: fromBob.seq });
    const reread = await ok(bob, 'GET', `/chats/${group.id}/messages`);
    expect(reread.items.find((m: Json) => m.id === fromBob.id).readBy).toEqual([ada]);
    expect(page.items[0].seen).toBeUndefined();

    const promoted = await ok(ada, 'POST', `/chats/${group.id}/admins/${bob}`);
    expect(promoted.members.find((m: Json) => m.userId === bob).role).toBe('admin');
    await ok(bob, 'DELETE', `/chats/${group.id}/admins/${ada}`);
    expect(await call(bob, 'DELETE', `/chats/${group.id}/admins/${bob}`)).toMatchObject({ status: 400, body: { code: 'CHAT.INVALID_MEMBERS' } });

    const withoutCy = await ok(bob, 'DELETE', `/chats/${group.id}/members/${cy}`);
    expect(withoutCy.members.map((m: Json) => m.userId)).not.toContain(cy);
    // Messages applies the removal from Chats' event (docs/message-path.md: the removed member's window).
    await eventually(async () => expect(await call(cy, 'GET', `/chats/${group.id}/messages`)).toMatchObject({ status: 404, body: { code: 'CHAT.NOT_FOUND' } }));

    // The last admin leaves: the longest-standing member becomes admin.
    expect((await call(bob, 'POST', `/chats/${group.id}/leave`)).status).toBe(204);
    const after = await summaryOf(ada, group.id);
    expect(after.members).toEqual([expect.objectContaining({ userId: ada, role: 'admin' })]);
    expect(await call(bob, 'GET', `/chats/${group.id}`)).toMatchObject({ status: 404, body: { code: 'CHAT.NOT_FOUND' } });

    const direct = await ok(ada, 'POST', '/chats/direct', { userId: bob });
    expect(await call(ada, 'POST', `/chats/${direct.id}/leave`)).toMatchObject({ status: 400, body: { code: 'CHAT.NOT_GROUP' } });
  });

  it('paginates history newest, before, after and around, with no gap and no duplicate', async () => {
    const group = await ok(ada, 'POST', '/chats/groups', { title: 'Long', memberIds: [bob, cy] });
    // Seq 1 is the group's creation (a system line); the 23 messages follow it.
    const sent: Json[] = [];
    for (let i = 1; i <= 23; i++) sent.push(await send(i % 2 ? ada : bob, group.id, `message ${i}`));
    expect(sent.map((m) => m.seq)).toEqual(Array.from({ length: 23 }, (_, i) => i + 2));

    const backwards: number[] = [];
    let page = await ok(cy, 'GET', `/chats/${group.id}/messages?limit=5`);
    expect(page).toMatchObject({ hasOlder: true, hasNewer: false });
    for (;;) {
      backwards.unshift(...page.items.map((m: Json) => m.seq));
      if (!page.hasOlder) break;
      page = await ok(cy, 'GET', `/chats/${group.id}/messages?limit=5&before=${page.items[0].seq}`);
      expect(page.hasNewer).toBe(true);
    }
    expect(backwards).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));

    const forwards: number[] = [];
    let after = 0;
    for (;;) {
      const next = await ok(cy, 'GET', `/chats/${group.id}/messages?limit=7&after=${after}`);
      forwards.push(...next.items.map((m: Json) => m.seq));
      if (!next.hasNewer) break;
      after = next.items[next.items.length - 1].seq;
    }
    expect(forwards).toEqual(backwards);

    const around = await ok(cy, 'GET', `/chats/${group.id}/messages?limit=6&around=${sent[9].id}`);
    expect(around.items.map((m: Json) => m.seq)).toEqual([8, 9, 10, 11, 12, 13]);
    expect(around).toMatchObject({ hasOlder: true, hasNewer: true });
    expect(await call(cy, 'GET', `/chats/${group.id}/messages?before=5&after=2`)).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });

    // The seed alias reads the newest page.
    const alias = await ok(cy, 'GET', `/message/${group.id}`);
    expect(alias.items[alias.items.length - 1].seq).toBe(24);
  });

  it('stores one message for a client message id sent 5 times concurrently', async () => {
    const chat = await ok(ada, 'POST', '/chats/direct', { userId: cy });
    const before = (await ok(ada, 'GET', `/chats/${chat.id}/messages`)).items.length;
    const clientMessageId = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => call(ada, 'POST', `/chats/${chat.id}/messages`, { clientMessageId, text: 'exactly once' })),
    );
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(replies.map((r) => r.body.seq)).size).toBe(1);
    const history = await ok(ada, 'GET', `/chats/${chat.id}/messages`);
    expect(history.items).toHaveLength(before + 1);
    expect(history.items.filter((m: Json) => m.clientMessageId === clientMessageId)).toHaveLength(1);
    const cyView = await settled(cy, chat.id, replies[0].body.seq);
    expect(cyView.unreadCount).toBe(history.items.length);

    // The seed alias: JSON body with chatId, idempotent when it carries a clientMessageId.
    const viaAlias = await Promise.all([1, 2].map(() => ok(ada, 'POST', '/message', { chatId: chat.id, text: 'alias', clientMessageId: 'alias-1' })));
    expect(viaAlias[0].id).toBe(viaAlias[1].id);
  });

  it('paginates the chat list by latest activity with a cursor', async () => {
    const chats = [];
    for (const other of [bob, cy, eve]) chats.push(await ok(ada, 'POST', '/chats/direct', { userId: other }));
    const [withBob, withCy, withEve] = chats;
    const first = await send(eve, withEve.id, 'first');
    await settled(ada, withEve.id, first.seq);
    const latest = await send(cy, withCy.id, 'latest');
    await settled(ada, withCy.id, latest.seq);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: Json = await ok(ada, 'GET', `/chats?limit=2${query}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c: Json) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 2)).toEqual([withCy.id, withEve.id]);
    expect(seen).toContain(withBob.id);
    const times = await Promise.all(seen.map(async (id) => Date.parse((await summaryOf(ada, id)).lastActivityAt)));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const all = await ok(ada, 'GET', '/chat/all');
    expect(all.items.map((c: Json) => c.id).sort()).toEqual([...seen].sort());
    expect(await call(ada, 'GET', '/chats?cursor=garbage')).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
  });

  it('documents the chat and message routes in Swagger with their error codes', async () => {
    const document = await (await fetch(`${cluster.url}/docs-json`)).json();
    const routes = [
      ['post', '/api/v1/chats/direct'],
      ['post', '/api/v1/chats/groups'],
      ['get', '/api/v1/chats'],
      ['patch', '/api/v1/chats/{id}'],
      ['post', '/api/v1/chats/{id}/read'],
      ['get', '/api/v1/chats/{id}/read-states'],
      ['post', '/api/v1/chats/{id}/messages'],
      ['get', '/api/v1/chats/{id}/messages'],
      ['patch', '/api/v1/messages/{id}'],
      ['delete', '/api/v1/messages/{id}'],
      ['post', '/api/v1/messages/{id}/hide'],
      ['post', '/api/v1/chat/new'],
      ['get', '/api/v1/chat/all'],
      ['post', '/api/v1/message'],
      ['get', '/api/v1/message/{chatId}'],
    ];
    for (const [method, path] of routes) {
      const operation = document.paths[path]?.[method];
      expect({ route: `${method} ${path}`, documented: Boolean(operation) }).toEqual({ route: `${method} ${path}`, documented: true });
      expect(Object.keys(operation.responses).some((status) => Number(status) >= 400)).toBe(true);
    }
    expect(JSON.stringify(document.paths['/api/v1/chats/{id}/messages'].get.responses['404'])).toContain('CHAT.NOT_FOUND');
    expect(document.components.schemas.MessageResponse.properties.seq.example).toBe(42);
  });

  it('refuses a non-member on every chat and message route exactly like a missing one, and leaks nothing', async () => {
    const group = await ok(ada, 'POST', '/chats/groups', { title: 'Private', memberIds: [bob] });
    const secret = await send(ada, group.id, 'secret plan');
    const evesOwn = await ok(eve, 'POST', '/chats/direct', { userId: cy });
    await settled(bob, group.id, secret.seq);
    const stateBefore = { chat: await summaryOf(ada, group.id), history: await ok(ada, 'GET', `/chats/${group.id}/messages`) };

    const chatRoutes = (id: string): [string, string, unknown?][] => [
      ['GET', `/chats/${id}`],
      ['PATCH', `/chats/${id}`, { title: 'Hijacked' }],
      ['POST', `/chats/${id}/members`, { memberIds: [eve] }],
      ['DELETE', `/chats/${id}/members/${bob}`],
      ['POST', `/chats/${id}/admins/${eve}`],
      ['DELETE', `/chats/${id}/admins/${ada}`],
      ['POST', `/chats/${id}/leave`],
      ['POST', `/chats/${id}/hide`],
      ['POST', `/chats/${id}/mute`, { muted: true }],
      ['POST', `/chats/${id}/read`, { seq: 1 }],
      ['POST', `/chats/${id}/delivered`, { seq: 1 }],
      ['GET', `/chats/${id}/read-states`],
      ['POST', `/chats/${id}/messages`, { clientMessageId: 'eve-1', text: 'let me in' }],
      ['GET', `/chats/${id}/messages`],
      ['GET', `/chats/${id}/messages?after=0`],
      ['GET', `/chats/${id}/messages?around=${secret.id}`],
      ['GET', `/message/${id}`],
      ['POST', '/message', { chatId: id, text: 'let me in' }],
    ];
    const messageRoutes = (id: string): [string, string, unknown?][] => [
      ['GET', `/messages/${id}`],
      ['PATCH', `/messages/${id}`, { text: 'defaced' }],
      ['DELETE', `/messages/${id}`],
      ['POST', `/messages/${id}/hide`],
      // Replying from Eve's own chat to a message of a chat she is not in.
      ['POST', `/chats/${evesOwn.id}/messages`, { clientMessageId: randomUUID(), text: 'quote', replyToId: id }],
    ];

    const missingChat = randomUUID();
    const missingMessage = randomUUID();
    const pairs = [
      ...chatRoutes(group.id).map((route, i) => [route, chatRoutes(missingChat)[i]]),
      ...messageRoutes(secret.id).map((route, i) => [route, messageRoutes(missingMessage)[i]]),
    ] as [[string, string, unknown?], [string, string, unknown?]][];
    for (const [[method, path, body], [, missingPath, missingBody]] of pairs) {
      const real = await call(eve, method, path, body);
      const missing = await call(eve, method, missingPath, missingBody);
      expect({ route: `${method} ${path}`, status: real.status }).toEqual({ route: `${method} ${path}`, status: missing.status });
      expect(withoutRequestId(real.body)).toEqual(withoutRequestId(missing.body));
      expect(real.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(real.body)).not.toContain('secret plan');
    }

    // Nothing changed and nothing reached Eve.
    const history = await ok(ada, 'GET', `/chats/${group.id}/messages`);
    expect(history.items).toEqual(stateBefore.history.items);
    const chatAfter = await summaryOf(ada, group.id);
    expect(chatAfter.members).toEqual(stateBefore.chat.members);
    expect(chatAfter.title).toBe('Private');
    expect(await listIds(eve)).not.toContain(group.id);
    const evesHistory = await ok(eve, 'GET', `/chats/${evesOwn.id}/messages`);
    expect(JSON.stringify(evesHistory)).not.toContain(secret.id);
  });
});

// Split only by nature: in one process the in-process transport has no broker to keep events across a crash.
describe('Chats crashes while Messages events are in flight (split, RabbitMQ)', () => {
  let cluster: Cluster;
  let ada: string, bob: string;
  const tokens = new Map<string, string>();
  const api = async (user: string, method: string, path: string, body?: unknown): Promise<Json> => {
    const response = await fetch(`${cluster.url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(user)}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
    return json;
  };

  beforeAll(async () => {
    cluster = await Cluster.start('split');
    [ada, bob] = seedUsers(cluster.dataDir, [
      { email: 'ada@example.com', displayName: 'Ada' },
      { email: 'bob@example.com', displayName: 'Bob' },
    ]).map((u) => u.id);
    for (const id of [ada, bob]) tokens.set(id, mintAccessToken(cluster.jwtSecret, id));
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('applies every message.created exactly once after a SIGKILL and restart of the chats process', async () => {
    const chat = await api(ada, 'POST', '/chats/direct', { userId: bob });
    const sent = await Promise.all(
      Array.from({ length: 30 }, (_, i) => api(ada, 'POST', `/chats/${chat.id}/messages`, { clientMessageId: `burst-${i}`, text: `burst ${i}` })),
    );
    expect(sent.map((m) => m.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // A crash with events unacknowledged: RabbitMQ redelivers them to the restarted process.
    await cluster.process('chats').kill();
    await cluster.process('chats').start();

    const summary = await eventually(async () => {
      const current = await api(bob, 'GET', `/chats/${chat.id}`);
      expect(current.lastSeq).toBe(30);
      return current;
    }, 30_000);
    expect(summary.unreadCount).toBe(30);
    expect(summary.lastMessage).toMatchObject({ seq: 30, text: sent.find((m) => m.seq === 30).text });
    // Retries of the whole burst re-publish every event; the stored state does not move.
    await Promise.all(sent.map((m) => api(ada, 'POST', `/chats/${chat.id}/messages`, { clientMessageId: m.clientMessageId, text: 'ignored' })));
    await new Promise((r) => setTimeout(r, 1000));
    expect(await api(bob, 'GET', `/chats/${chat.id}`)).toMatchObject({ lastSeq: 30, unreadCount: 30 });
  });
});
