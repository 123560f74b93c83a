import { randomUUID } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { eventually } from './harness/probe-deployment';
import { Device, PushServiceStandIn } from './harness/push-service';
import { signIn, SignedIn } from './harness/sign-in';
import { SmtpCapture } from './harness/smtp';
import { connectSocket } from './harness/socket-client';
import { Json, userApi } from './harness/user-api';

/**
 * Web Push for real: the test is the push service (a local HTTPS endpoint, allowed by WEB_PUSH_ENDPOINT_HOSTS). Each
 * push it gets is checked as a push service would (VAPID JWT signed with the key the header names) and decrypted
 * with the device's keys as the browser would (RFC 8291), so what the server sends is what a browser would show.
 */
describe.each(DEPLOYMENT_MODES)('Web Push (%s)', (mode) => {
  let cluster: Cluster;
  let smtp: SmtpCapture;
  let service: PushServiceStandIn;
  const sessions = new Map<string, SignedIn>();
  let devices: Record<'bob' | 'bob2' | 'cy' | 'cy2', Device>;
  const { call, ok } = userApi(() => cluster.url, (name) => sessions.get(name)!.accessToken);

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    service = await PushServiceStandIn.start();
    devices = { bob: service.device('bob'), bob2: service.device('bob2'), cy: service.device('cy'), cy2: service.device('cy2') };
    cluster = await Cluster.start(mode, { env: { SMTP_URL: smtp.url, WEB_PUSH_ENDPOINT_HOSTS: '127.0.0.1', NODE_EXTRA_CA_CERTS: service.caFile, OTP_RESEND_COOLDOWN_SECONDS: '1' } });
    for (const name of ['ada', 'bob', 'cy']) sessions.set(name, await signIn(cluster, `${name}@push.test`, smtp));
    // Bob's second device: a second session, once the resend cooldown since his first code has passed.
    await eventually(async () => {
      sessions.set('bob2', await signIn(cluster, 'bob@push.test', smtp));
    }, 10_000);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await service?.stop();
    await smtp?.stop();
  });

  const idOf = (name: string) => sessions.get(name)!.user.id;
  const send = (name: string, chatId: string, text: string): Promise<Json> => ok(name, 'POST', `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), text });

  it('encrypts for the device, signs with the server key, and sends only to members with no live connection, never in a muted chat unless it mentions them', async () => {
    const { publicKey } = await (await fetch(`${cluster.url}/api/v1/push/public-key`)).json();
    const { bob, cy } = devices;
    expect(await call('bob', 'PUT', '/push/subscription', bob.subscription)).toEqual({ status: 204, body: null });
    expect((await call('cy', 'PUT', '/push/subscription', cy.subscription)).status).toBe(204);
    // Refused: a URL that is not a push service this server sends to (the server would POST there), and bad keys.
    expect(await call('bob', 'PUT', '/push/subscription', { ...bob.subscription, endpoint: 'https://intranet.example/hook' })).toMatchObject({ status: 400, body: { code: 'PUSH.ENDPOINT_REFUSED' } });
    expect(await call('bob', 'PUT', '/push/subscription', { ...bob.subscription, keys: { p256dh: 'x', auth: 'y' } })).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });

    const direct = await ok('ada', 'POST', '/chats/direct', { userId: idOf('bob') });
    const first = await send('ada', direct.id, 'Are you there?');
    const push = await service.next(bob, (p) => p.messageId === first.id);
    expect(push.payload).toEqual({ chatId: direct.id, messageId: first.id, seq: first.seq, title: sessions.get('ada')!.user.displayName, body: 'Are you there?' });
    expect(push.vapid).toMatchObject({ publicKey, audience: service.origin, subject: 'mailto:admin@localhost' });
    expect(push.vapid.expiresAt * 1000).toBeGreaterThan(Date.now());
    expect(push.ttl).toBeGreaterThan(0);
    expect(push.urgency).toBe('high');

    // While Bob has a live connection, the message reaches him there and no push is sent.
    const socket = await connectSocket(cluster.url, { token: sessions.get('bob')!.accessToken });
    const arrived = new Promise<string>((resolve) => socket.on('message:new', (message) => resolve(message.id)));
    const live = await send('ada', direct.id, 'You are online');
    expect(await arrived).toBe(live.id);
    socket.close();
    const group = await ok('ada', 'POST', '/chats/groups', { title: 'Trip', memberIds: [idOf('bob'), idOf('cy')] });
    // Gone again: the next message is pushed (with the group in its title), and the one before never was.
    const back = await send('ada', group.id, 'Tickets booked');
    expect((await service.next(bob, (p) => p.messageId === back.id)).payload).toMatchObject({ chatId: group.id, title: `${sessions.get('ada')!.user.displayName} in Trip`, body: 'Tickets booked' });
    expect(service.pushesTo(bob).map((p) => p.payload.messageId)).not.toContain(live.id);

    // Muted: nothing for Bob from that chat; Cy, not muted, is the marker that the message was handled.
    await ok('bob', 'POST', `/chats/${group.id}/mute`, { muted: true });
    const quiet = await send('ada', group.id, 'Shh');
    await service.next(cy, (p) => p.messageId === quiet.id);
    const after = await send('ada', direct.id, 'Still here');
    await service.next(bob, (p) => p.messageId === after.id);
    expect(service.pushesTo(bob).map((p) => p.payload.messageId)).not.toContain(quiet.id);

    // A mention gets through a mute: Bob, muted and mentioned, gets it (his name shown as it is now); Cy, muted too
    // and not mentioned, does not (a message to Cy alone, after it, is the marker).
    await ok('cy', 'POST', `/chats/${group.id}/mute`, { muted: true });
    const mention = await send('ada', group.id, `@[${idOf('bob')}] bring the tickets`);
    expect((await service.next(bob, (p) => p.messageId === mention.id)).payload).toMatchObject({
      title: `${sessions.get('ada')!.user.displayName} mentioned you in Trip`,
      body: `@${sessions.get('bob')!.user.displayName} bring the tickets`,
    });
    const toCy = await ok('ada', 'POST', '/chats/direct', { userId: idOf('cy') });
    const marker = await send('ada', toCy.id, 'marker');
    await service.next(cy, (p) => p.messageId === marker.id);
    expect(service.pushesTo(cy).map((p) => p.payload.messageId)).not.toContain(mention.id);
    // Never to the sender's own devices.
    expect(service.received.filter((p) => p.payload.messageId === first.id).map((p) => p.device)).toEqual(['bob']);
    expect(service.rejected).toEqual([]);
  }, 60_000);

  it('forgets a subscription the push service says is gone, and ends a device\'s pushes when it signs out', async () => {
    const { bob, bob2, cy2: cy } = devices;
    expect((await call('bob2', 'PUT', '/push/subscription', bob2.subscription)).status).toBe(204);
    expect((await call('cy', 'PUT', '/push/subscription', cy.subscription)).status).toBe(204);
    const group = await ok('ada', 'POST', '/chats/groups', { title: 'Gone', memberIds: [idOf('bob'), idOf('cy')] });

    // Bob's first device: its subscription expired at the push service.
    bob.status = 410;
    const m1 = await send('ada', group.id, 'one');
    await service.next(bob2, (p) => p.messageId === m1.id);
    await eventually(() => expect(bob.refused).toBe(1));
    // Once forgotten, a message reaches Bob's other device and nothing is tried for the gone one: Cy's and bob2's
    // pushes arrive while the old endpoint stays silent (a try would be answered 410 and show as a refused device).
    bob.status = 201;
    let probe: Json;
    for (let i = 0; ; i++) {
      probe = await send('ada', group.id, `probe ${i}`);
      await service.next(bob2, (p) => p.messageId === probe.id);
      await service.next(cy, (p) => p.messageId === probe.id);
      if (!service.pushesTo(bob).some((p) => p.payload.messageId === probe.id)) break;
      if (i > 20) throw new Error('the gone subscription was never forgotten');
    }
    const settled = await send('ada', group.id, 'settled');
    await service.next(bob2, (p) => p.messageId === settled.id);
    await service.next(cy, (p) => p.messageId === settled.id);
    expect(service.pushesTo(bob).map((p) => p.payload.messageId)).not.toContain(settled.id);

    // Signing out ends the session and its subscription with it.
    const signedOut = await fetch(`${cluster.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: sessions.get('bob2')!.refreshToken }),
    });
    expect(signedOut.status).toBe(204);
    const last = await send('ada', group.id, 'after sign-out');
    await service.next(cy, (p) => p.messageId === last.id);
    expect(service.pushesTo(bob2).map((p) => p.payload.messageId)).not.toContain(last.id);
    expect(service.rejected).toEqual([]);
  }, 60_000);
});
