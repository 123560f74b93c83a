import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { randomClientIp } from './harness/sign-in';
import { codeFromMailbox, DESKTOP, launchChromium, PHONE, screenshot, signInThroughUi } from './harness/browser';

jest.setTimeout(240_000);

/** A real PNG with a known shape, so the thumbnail box's aspect ratio can be checked. */
async function makePng(width: number, height: number): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'web-e2e-')), 'photo.png');
  const png = await sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 220 } } }).png().toBuffer();
  writeFileSync(file, png);
  return file;
}

const bubbleTexts = (page: Page) => page.getByTestId('bubble-text').allInnerTexts();
const lastMessage = (page: Page) => page.getByTestId('message').last();

/**
 * The edit bar shows at once, and the composer takes the old text just after (an effect): filling before that
 * would have the effect move the caret to the end and the new text appended to the old.
 */
async function startedEditing(page: Page, oldText: string): Promise<void> {
  await page.getByTestId('edit-bar').waitFor();
  await page.waitForFunction((text) => (document.querySelector('[data-testid=composer]') as HTMLTextAreaElement | null)?.value === text, oldText);
}

describe.each(DEPLOYMENT_MODES)('web app (%s)', (mode) => {
  let cluster: Cluster;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    // A short resend cooldown lets one person sign in on a second device within the test. Every browser here talks
    // to the server straight from this machine (no X-Forwarded-For: the mailbox hint is for direct local visitors
    // only), so they share one address: its per-minute sign-in budget is raised. The history test seeds 100
    // messages from one person in a few seconds: the per-user send budget is raised too.
    cluster = await Cluster.start(mode, { env: { SERVE_WEB: 'true', OTP_RESEND_COOLDOWN_SECONDS: '2', AUTH_RATE_LIMIT_PER_MINUTE: '1000', USER_SEND_LIMIT: '1000' } });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  async function newPage(viewport: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const context = await browser.newContext({ viewport, baseURL: cluster.url, colorScheme });
    contexts.push(context);
    return context.newPage();
  }

  it('serves the app on the API port without shadowing the server routes', async () => {
    for (const path of ['/', '/sign-in', '/chats', '/chats?c=abc', '/settings', '/some/client/route']) {
      const res = await fetch(`${cluster.url}${path}`, { headers: { accept: 'text/html' } });
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({ path, status: 200, type: expect.stringContaining('text/html') });
    }
    const api = await fetch(`${cluster.url}/api/v1/users/me`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
    expect((await fetch(`${cluster.url}/health/ready`, { headers: { accept: 'text/html' } })).headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${cluster.url}/api/v1/nope`, { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await fetch(`${cluster.url}/missing-asset.js`, { headers: { accept: 'text/html' } })).status).toBe(404);
    const mailbox = await (await fetch(`${cluster.url}/dev/mailbox`)).text();
    expect(mailbox).toContain('Mailbox');
  });

  it('two people sign in through the captured mail and chat live: text, image, typing, ticks, unread, reply, edit, delete, offline outbox', async () => {
    const tag = randomBytes(3).toString('hex');
    const aliceEmail = `alice-${tag}@example.com`;
    const bobEmail = `bob-${tag}@example.com`;
    const alice = await newPage(DESKTOP);
    const bob = await newPage(PHONE);

    // Sign-in screen: the embedded default tells where the code is.
    await alice.goto('/sign-in');
    await alice.getByTestId('mailbox-hint').waitFor();
    if (mode === 'single') {
      await screenshot(alice, `${mode}-sign-in-desktop`);
      await bob.goto('/sign-in');
      await bob.getByTestId('mailbox-hint').waitFor();
      await screenshot(bob, `${mode}-sign-in-phone`);
    }
    // A wrong code is a clear error, not a crash.
    await alice.getByLabel('Email').fill(aliceEmail);
    await alice.getByRole('button', { name: 'Send me a code' }).click();
    await alice.getByText(/Resend in \d+s/).waitFor();
    await alice.getByLabel('6-digit code').fill('000000');
    await alice.getByRole('button', { name: 'Sign in' }).click();
    await expect(alice.getByTestId('sign-in-error').innerText()).resolves.toMatch(/not right|expired|wrong/i);

    // Then the right code from the captured mail (a wrong try does not burn it).
    await alice.getByLabel('6-digit code').fill(await codeFromMailbox(cluster.url, aliceEmail));
    await alice.getByRole('button', { name: 'Sign in' }).click();
    // A new account is asked for a name, offered the one made from the email; Alice keeps it.
    expect(await alice.getByLabel('Your name').inputValue()).toBe(`alice-${tag}`);
    await alice.getByRole('button', { name: 'Continue' }).click();
    await alice.waitForURL('**/chats');
    await alice.getByTestId('chat-list').waitFor();
    await signInThroughUi(bob, cluster.url, bobEmail);
    // No token is readable by scripts: cookies are HttpOnly, nothing in storage.
    expect(await alice.evaluate(() => document.cookie)).toBe('');
    expect(await alice.evaluate(() => JSON.stringify(localStorage))).not.toMatch(/eyJ/);

    // Alice finds Bob, a stranger, by his exact email (the default, private directory) and opens a chat.
    await alice.getByTestId('new-chat').click();
    await alice.getByTestId('people-search').fill(bobEmail);
    await alice.getByTestId('person').first().click();
    await alice.getByTestId('composer').waitFor();
    expect(alice.url()).toContain('/chats?c=');

    // Text, live to Bob's list with an unread badge; Alice's ticks say delivered (Bob's socket got it).
    await alice.getByTestId('composer').fill('Hello Bob');
    await alice.getByTestId('composer').press('Enter');
    await bob.getByTestId('unread-badge').filter({ hasText: '1' }).waitFor();
    expect(await bob.getByTestId('chat-preview').first().innerText()).toBe('Hello Bob');
    // Screen readers hear it; Alice is shown online.
    expect(await bob.getByTestId('live-region').innerText()).toContain('Hello Bob');
    await bob.getByTestId('chat-item').first().getByTestId('online-dot').waitFor();
    await alice.locator('[data-testid=ticks][data-status=delivered]').first().waitFor();
    await alice.getByTestId('composer').fill('Are you there?');
    await alice.getByTestId('composer').press('Enter');
    await bob.getByTestId('unread-badge').filter({ hasText: '2' }).waitFor();
    if (mode === 'single') await screenshot(bob, `${mode}-chat-list-phone`);

    // Bob opens the chat (phone: one pane); Alice's ticks go to read and the badge goes away.
    await bob.getByTestId('chat-item').first().click();
    await bob.getByTestId('new-messages-divider').waitFor();
    await expect(bubbleTexts(bob)).resolves.toEqual(['Hello Bob', 'Are you there?']);
    await alice.locator('[data-testid=ticks][data-status=read]').nth(1).waitFor();

    // Typing shows on Alice's side while Bob types.
    await bob.getByTestId('composer').pressSequentially('Hi Al', { delay: 30 });
    await alice.getByTestId('thread-status').filter({ hasText: 'typing' }).waitFor();
    await alice.getByTestId('chat-typing').filter({ hasText: 'typing' }).waitFor();

    // Reply with a quote; Shift+Enter makes a new line.
    await bob.getByTestId('composer').fill('');
    // A phone has no hover: a tap on the bubble shows its actions.
    await bob.getByTestId('bubble').first().click();
    await bob.getByTestId('action-reply').first().click();
    await bob.getByTestId('reply-bar').waitFor();
    await bob.getByTestId('composer').pressSequentially('Hi Alice');
    await bob.getByTestId('composer').press('Shift+Enter');
    await bob.getByTestId('composer').pressSequentially('second line');
    await bob.getByTestId('composer').press('Enter');
    const reply = alice.getByTestId('message').filter({ hasText: 'second line' });
    await reply.waitFor();
    expect(await reply.getByTestId('bubble-text').innerText()).toBe('Hi Alice\nsecond line');
    expect(await reply.getByTestId('reply-quote').innerText()).toContain('Hello Bob');
    await reply.getByTestId('reply-quote').click();
    await alice.locator('.flash[data-testid=message]').filter({ hasText: 'Hello Bob' }).waitFor();

    // An image: picked, previewed, uploaded with progress, sent; Bob sees a fixed-ratio thumbnail and the viewer.
    await alice.getByTestId('file-input').setInputFiles(await makePng(640, 480));
    await alice.getByTestId('upload-preview').waitFor();
    await alice.getByTestId('upload-status').filter({ hasText: 'Ready to send' }).waitFor();
    await alice.getByTestId('composer').fill('A photo');
    await alice.getByTestId('send').click();
    const bobImage = bob.getByTestId('message-image').last();
    await bobImage.waitFor();
    const box = (await bobImage.boundingBox())!;
    expect(Math.abs(box.width / box.height - 640 / 480)).toBeLessThan(0.02);
    await bobImage.click();
    await bob.getByTestId('image-viewer').waitFor();
    await bob.keyboard.press('Escape');
    await expect(bob.getByTestId('image-viewer').count()).resolves.toBe(0);
    if (mode === 'single') {
      await screenshot(alice, `${mode}-thread-desktop`);
      await screenshot(bob, `${mode}-thread-phone`);
    }

    // Edit: Bob sees the new text and the marker.
    const hello = alice.getByTestId('message').filter({ hasText: 'Hello Bob' }).first();
    await hello.hover();
    await hello.getByTestId('action-edit').click();
    await startedEditing(alice, 'Hello Bob');
    await alice.getByTestId('composer').fill('Hello Bob!');
    await alice.getByTestId('composer').press('Enter');
    const edited = bob.getByTestId('message').filter({ hasText: 'Hello Bob!' }).first();
    await edited.getByTestId('edited').waitFor();
    // The reply quoting it shows the new text too, on both sides, without a reload.
    for (const page of [alice, bob]) {
      await page.getByTestId('message').filter({ hasText: 'second line' }).getByTestId('reply-quote').filter({ hasText: 'Hello Bob!' }).waitFor();
    }

    // Delete: a tombstone on both sides.
    const gone = alice.getByTestId('message').filter({ hasText: 'Are you there?' });
    await gone.hover();
    await gone.getByTestId('action-delete').click();
    await alice.getByTestId('confirm-ok').click();
    await bob.getByTestId('tombstone').waitFor();
    await alice.getByTestId('tombstone').waitFor();
    await expect(bob.getByTestId('bubble-text').filter({ hasText: 'Are you there?' }).count()).resolves.toBe(0);

    // Offline: Bob writes five messages with no network; they wait in the outbox, then go once each, in order.
    await bob.context().setOffline(true);
    await bob.getByTestId('connection-banner').filter({ hasText: 'offline' }).waitFor();
    for (let i = 1; i <= 5; i++) {
      await bob.getByTestId('composer').fill(`offline ${i}`);
      await bob.getByTestId('composer').press('Enter');
    }
    await expect(bob.locator('[data-testid=message][data-pending=pending]').count()).resolves.toBe(5);
    // Kept for a reload: only what Bob wrote, in order, and nothing that looks like a token.
    const stored = await bob.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith('relay.outbox.')).map(([, v]) => v));
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0]!).map((e: { text: string }) => e.text)).toEqual(['offline 1', 'offline 2', 'offline 3', 'offline 4', 'offline 5']);
    expect(stored[0]).not.toMatch(/eyJ|token/i);
    // Meanwhile Alice writes: Bob catches it up after reconnecting (no gap).
    await alice.getByTestId('composer').fill('while you were away');
    await alice.getByTestId('composer').press('Enter');
    await lastMessage(alice).getByTestId('bubble-text').filter({ hasText: 'while you were away' }).waitFor();
    await bob.context().setOffline(false);
    await bob.getByTestId('connection-banner').waitFor({ state: 'detached' });
    const offlineTexts = ['offline 1', 'offline 2', 'offline 3', 'offline 4', 'offline 5'];
    await alice.getByTestId('message').filter({ hasText: 'offline 5' }).waitFor();
    await bob.getByTestId('bubble-text').filter({ hasText: 'while you were away' }).waitFor();
    await expect(bob.locator('[data-testid=message][data-pending]').count()).resolves.toBe(0);
    expect(await bob.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('relay.outbox.')))).toEqual([]);
    for (const page of [alice, bob]) {
      const texts = (await bubbleTexts(page)).filter((t) => t.startsWith('offline '));
      expect(texts).toEqual(offlineTexts);
    }
    // A reload keeps exactly one of each (the outbox is empty, the server has them once).
    await bob.reload();
    await bob.getByTestId('composer').waitFor();
    await bob.getByTestId('bubble-text').filter({ hasText: 'offline 5' }).waitFor();
    expect((await bubbleTexts(bob)).filter((t) => t.startsWith('offline '))).toEqual(offlineTexts);

    // Back on Bob's list (phone), Alice's chat shows no unread; profile and devices.
    await bob.getByTestId('back').click();
    await bob.getByTestId('chat-list').waitFor();
    await expect(bob.getByTestId('unread-badge').count()).resolves.toBe(0);
    await alice.goto('/settings');
    await alice.getByTestId('sessions').locator('li').first().waitFor();
    await alice.getByTestId('display-name').fill(`Alice ${tag}`);
    await alice.getByRole('button', { name: 'Save' }).click();
    await alice.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    // A new photo: uploaded, then shown as the avatar.
    await alice.getByTestId('avatar-input').setInputFiles(await makePng(300, 300));
    await alice.locator('[data-testid=profile] img[src*="/media/"]').waitFor();
    await expect(alice.getByTestId('sessions').getByText('this device').count()).resolves.toBe(1);
    // Alice on a second device; she revokes it from here and it is signed out there.
    const alicePhone = await newPage(PHONE);
    await signInThroughUi(alicePhone, cluster.url, aliceEmail);
    await alice.reload();
    await alice.getByTestId('sessions').locator('li').nth(1).waitFor();
    expect(await alice.getByTestId('sessions').locator('li').count()).toBe(2);
    await alice.getByTestId('sessions').locator('li').filter({ hasNotText: 'this device' }).getByRole('button', { name: 'Revoke' }).click();
    await alice.getByTestId('sessions').locator('li').nth(1).waitFor({ state: 'detached' });
    await alicePhone.waitForURL('**/sign-in');
    if (mode === 'single') await screenshot(alice, `${mode}-settings-desktop`);
    await alice.getByTestId('logout').click();
    await alice.waitForURL('**/sign-in');
    expect((await alice.request.get('/api/v1/users/me')).status()).toBe(401);
  });

  it('history: deep link, "new messages" divider, infinite scroll without jumps, jump to a far quote and back; groups and chat order; refresh on 401', async () => {
    const tag = randomBytes(3).toString('hex');
    const carol = await newPage(DESKTOP);
    const dave = await newPage(DESKTOP, 'dark');
    await signInThroughUi(carol, cluster.url, `carol-${tag}@example.com`);
    await signInThroughUi(dave, cluster.url, `dave-${tag}@example.com`);
    const write = { 'x-requested-with': 'XMLHttpRequest' };
    const daveId = (await (await dave.request.get('/api/v1/users/me')).json()).id as string;
    const chat = await (await carol.request.post('/api/v1/chats/direct', { data: { userId: daveId }, headers: write })).json();
    const ids: string[] = [];
    for (let i = 1; i <= 100; i++) {
      const res = await carol.request.post(`/api/v1/chats/${chat.id}/messages`, { data: { clientMessageId: `seed-${tag}-${i}`, text: `m ${i}` }, headers: write });
      expect(res.status()).toBeLessThan(300);
      ids.push((await res.json()).id);
    }
    expect((await dave.request.post(`/api/v1/chats/${chat.id}/read`, { data: { seq: 60 }, headers: write })).status()).toBeLessThan(300);

    // A deep link opens the chat at the first unread, under the divider.
    await dave.goto(`/chats?c=${chat.id}`);
    const divider = dave.getByTestId('new-messages-divider');
    await divider.waitFor();
    const afterDivider = dave.locator('[data-testid=new-messages-divider] + [data-testid=thread-section] [data-testid=message]').first();
    expect(await afterDivider.getAttribute('data-seq')).toBe('61');
    // It stays on screen while the page above it loads (no jump when older messages arrive).
    await dave.waitForFunction(() => document.querySelectorAll('[data-testid=message]').length > 40);
    await dave.waitForTimeout(300);
    const listBox = (await dave.getByTestId('message-list').boundingBox())!;
    const dividerBox = (await divider.boundingBox())!;
    expect(dividerBox.y).toBeGreaterThanOrEqual(listBox.y);
    expect(dividerBox.y).toBeLessThan(listBox.y + listBox.height / 2);
    if (mode === 'single') await screenshot(dave, `${mode}-history-dark-desktop`);

    // Scrolling up loads older pages; what was on screen stays where it was.
    const list = dave.getByTestId('message-list');
    for (let round = 0; round < 5 && (await dave.locator('[data-testid=message][data-seq="1"]').count()) === 0; round++) {
      const before = await dave.getByTestId('message').count();
      const topSeq = await dave.getByTestId('message').first().getAttribute('data-seq');
      await list.evaluate((el) => (el.scrollTop = 0));
      const anchor = dave.locator(`[data-testid=message][data-seq="${topSeq}"]`);
      const y0 = (await anchor.boundingBox())!.y;
      await dave.waitForFunction((n) => document.querySelectorAll('[data-testid=message]').length > n, before);
      await dave.waitForTimeout(50);
      const y1 = (await anchor.boundingBox())!.y;
      expect(Math.abs(y1 - y0)).toBeLessThan(4);
    }
    const seqs = (await dave.getByTestId('message').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq')))));
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    // Jump to latest.
    await dave.getByTestId('jump-latest').click();
    await dave.locator('[data-testid=message][data-seq="100"]').waitFor();
    await expect(dave.locator('[data-testid=message][data-seq="100"]').isVisible()).resolves.toBe(true);

    // A reply to the very first message; after a reload only the newest page is loaded, so the quote
    // fetches a window around it (around=), and "jump to latest" comes back.
    await carol.request.post(`/api/v1/chats/${chat.id}/messages`, { data: { clientMessageId: `seed-${tag}-reply`, text: 'About m 1', replyToId: ids[0] }, headers: write });
    await dave.getByTestId('reply-quote').last().waitFor();
    await dave.reload();
    await dave.getByTestId('reply-quote').last().waitFor();
    expect(await dave.locator('[data-testid=message][data-seq="1"]').count()).toBe(0);
    await dave.getByTestId('reply-quote').last().click();
    await dave.locator('[data-testid=message][data-seq="1"].flash').waitFor();
    await dave.getByTestId('jump-latest').click();
    await dave.getByTestId('bubble-text').filter({ hasText: 'About m 1' }).waitFor();

    // Keyboard: Tab reaches the chat list with a visible focus ring; Enter opens the chat.
    await dave.goto('/chats');
    await dave.getByTestId('chat-item').first().waitFor();
    let onChat = false;
    for (let i = 0; i < 8 && !onChat; i++) {
      await dave.keyboard.press('Tab');
      onChat = await dave.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'chat-item');
    }
    expect(onChat).toBe(true);
    expect(await dave.evaluate(() => getComputedStyle(document.activeElement!).boxShadow)).not.toBe('none');
    await dave.keyboard.press('Enter');
    await dave.getByTestId('composer').waitFor();
    expect(dave.url()).toContain(`c=${chat.id}`);

    // A new group goes to the top of Dave's list; a message in the 1:1 chat brings that back on top.
    await carol.goto('/chats');
    await carol.getByTestId('new-group').click();
    await carol.getByLabel('Group name').fill(`Weekend ${tag}`);
    await carol.getByTestId('people-search').fill(`dave-${tag}@example.com`);
    await carol.getByTestId('person').first().click();
    await carol.getByRole('button', { name: /Create group/ }).click();
    await carol.getByTestId('composer').fill('Who is in?');
    await carol.getByTestId('composer').press('Enter');
    await dave.getByTestId('chat-title').first().filter({ hasText: `Weekend ${tag}` }).waitFor();
    await carol.getByTestId('chat-item').filter({ hasText: `dave-${tag}` }).click();
    await carol.getByTestId('composer').fill('Back here');
    await carol.getByTestId('composer').press('Enter');
    await dave.getByTestId('chat-title').first().filter({ hasText: `carol-${tag}` }).waitFor();

    // An expired access cookie is refreshed behind the scenes; with no session left, sign-in.
    await dave.context().clearCookies({ name: 'access' });
    await dave.reload();
    await dave.getByTestId('chat-list').waitFor();
    expect(dave.url()).toContain('/chats');
    await dave.context().clearCookies();
    // The app redirects while the page is still loading: wait for the navigation to start, not to "load". The
    // page being left may redirect first (a call of its own met the 401), which aborts the reload: either way
    // the app must end on sign-in.
    await dave.reload({ waitUntil: 'commit' }).catch((error: Error) => {
      if (!error.message.includes('ERR_ABORTED')) throw error;
    });
    await dave.waitForURL('**/sign-in');
  });

  it('a gateway restart shows "reconnecting" (not "offline"), keeps what was typed meanwhile, and catches up once', async () => {
    const tag = randomBytes(3).toString('hex');
    const erin = await newPage(DESKTOP);
    const frank = await newPage(PHONE);
    await signInThroughUi(erin, cluster.url, `erin-${tag}@example.com`);
    await signInThroughUi(frank, cluster.url, `frank-${tag}@example.com`);
    const frankId = (await (await frank.request.get('/api/v1/users/me')).json()).id as string;
    const chat = await (await erin.request.post('/api/v1/chats/direct', { data: { userId: frankId }, headers: { 'x-requested-with': 'XMLHttpRequest' } })).json();
    await erin.goto(`/chats?c=${chat.id}`);
    await frank.goto(`/chats?c=${chat.id}`);
    await erin.getByTestId('composer').fill('before restart');
    await erin.getByTestId('composer').press('Enter');
    await frank.getByTestId('bubble-text').filter({ hasText: 'before restart' }).waitFor();

    const gateway = cluster.process(mode === 'single' ? 'all' : 'gateway');
    await gateway.stop();
    const banner = frank.getByTestId('connection-banner');
    await banner.waitFor();
    expect(await banner.getAttribute('data-state')).toBe('reconnecting');
    expect(await banner.innerText()).toMatch(/Reconnecting/);
    await erin.getByTestId('connection-banner').waitFor();
    await erin.getByTestId('composer').fill('during restart');
    await erin.getByTestId('composer').press('Enter');
    await erin.locator('[data-testid=message][data-pending=pending]').waitFor();

    await gateway.start();
    await erin.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 45_000 });
    await frank.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 45_000 });
    await frank.getByTestId('bubble-text').filter({ hasText: 'during restart' }).waitFor();
    await expect(erin.locator('[data-testid=message][data-pending]').count()).resolves.toBe(0);
    for (const page of [erin, frank]) await expect(bubbleTexts(page)).resolves.toEqual(['before restart', 'during restart']);
    // Still signed in: a restart is not a sign-out.
    expect(frank.url()).toContain('/chats');
  });
});

// Connection state recovery off: the server replays nothing after a reconnect, so what the client shows after
// one comes from its own catch-up (`sync`) alone. With recovery on, a short absence would hide a broken sync.
describe.each(DEPLOYMENT_MODES)('web app catch-up without connection state recovery (%s)', (mode) => {
  let cluster: Cluster;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    cluster = await Cluster.start(mode, { env: { SERVE_WEB: 'true', WS_RECOVERY_MS: '0' } });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, baseURL: cluster.url, extraHTTPHeaders: { 'x-forwarded-for': randomClientIp() } });
    contexts.push(context);
    return context.newPage();
  }

  it('after reconnecting, shows the edits and deletions made while it was offline, once each, without a reload', async () => {
    const tag = randomBytes(3).toString('hex');
    const gina = await newPage(DESKTOP);
    const hal = await newPage(PHONE);
    await signInThroughUi(gina, cluster.url, `gina-${tag}@example.com`);
    await signInThroughUi(hal, cluster.url, `hal-${tag}@example.com`);
    const halId = (await (await hal.request.get('/api/v1/users/me')).json()).id as string;
    const chat = await (await gina.request.post('/api/v1/chats/direct', { data: { userId: halId }, headers: { 'x-requested-with': 'XMLHttpRequest' } })).json();
    await gina.goto(`/chats?c=${chat.id}`);
    await hal.goto(`/chats?c=${chat.id}`);
    for (const text of ['lunch at noon?', 'wrong chat, sorry']) {
      await gina.getByTestId('composer').fill(text);
      await gina.getByTestId('composer').press('Enter');
      await hal.getByTestId('bubble-text').filter({ hasText: text }).waitFor();
    }

    // Hal's socket is gone and this server keeps nothing to recover it with: only sync can tell him.
    await hal.context().setOffline(true);
    await hal.getByTestId('connection-banner').filter({ hasText: 'offline' }).waitFor();
    const lunch = gina.getByTestId('message').filter({ hasText: 'lunch at noon?' });
    await lunch.hover();
    await lunch.getByTestId('action-edit').click();
    await startedEditing(gina, 'lunch at noon?');
    await gina.getByTestId('composer').fill('lunch at one?');
    await gina.getByTestId('composer').press('Enter');
    await gina.getByTestId('message').filter({ hasText: 'lunch at one?' }).getByTestId('edited').waitFor();
    const wrong = gina.getByTestId('message').filter({ hasText: 'wrong chat, sorry' });
    await wrong.hover();
    await wrong.getByTestId('action-delete').click();
    await gina.getByTestId('confirm-ok').click();
    await gina.getByTestId('tombstone').waitFor();
    await gina.getByTestId('composer').fill('see above');
    await gina.getByTestId('composer').press('Enter');
    await lastMessage(gina).getByTestId('bubble-text').filter({ hasText: 'see above' }).waitFor();
    // Still the old state on Hal's screen while he is away.
    await expect(bubbleTexts(hal)).resolves.toEqual(['lunch at noon?', 'wrong chat, sorry']);

    await hal.context().setOffline(false);
    await hal.getByTestId('connection-banner').waitFor({ state: 'detached' });
    await hal.getByTestId('bubble-text').filter({ hasText: 'see above' }).waitFor();
    await hal.getByTestId('message').filter({ hasText: 'lunch at one?' }).getByTestId('edited').waitFor();
    await hal.getByTestId('tombstone').waitFor();
    await expect(bubbleTexts(hal)).resolves.toEqual(['lunch at one?', 'see above']);
    await expect(hal.getByTestId('message').count()).resolves.toBe(3);
  });
});
