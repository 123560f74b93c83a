import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { Cluster } from './harness/cluster';
import { codeFromMailbox, DESKTOP, launchChromium, screenshot, signInThroughUi } from './harness/browser';
import { randomClientIp } from './harness/sign-in';

jest.setTimeout(150_000);

const write = { 'x-requested-with': 'XMLHttpRequest' };

/** What has the focus, in words a failing assertion can show: the message's text, or the control's name. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { kind: 'body' };
    const item = el.closest('[role=listitem]');
    return {
      kind: el.getAttribute('role') === 'listitem' ? 'message' : item ? 'in-message' : 'control',
      label: el.getAttribute('aria-label') ?? '',
      testId: el.getAttribute('data-testid') ?? '',
      text: (item ?? el).querySelector('[data-testid=bubble-text]')?.textContent ?? (item ?? el).textContent?.trim().slice(0, 60) ?? '',
    };
  });

/** Press `key` until `done` holds (at most `max` times): a keyboard user's way to reach a control. */
async function pressUntil(page: Page, key: string, done: () => Promise<boolean>, max = 15): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    if (await done()) return;
  }
  throw new Error(`${key} ×${max} did not get there; focus is on ${JSON.stringify(await focused(page))}`);
}

/**
 * The thread with the keyboard only, in chromium: sign in, open a chat, the message list as one Tab stop with
 * arrow keys, reply and react from a message's actions, the image viewer and the info panel giving focus back.
 * Also what the eye sees of it: messages grouped by sender (one name, one time, one tail) and the day pill never
 * over the "new messages" divider. One deployment mode: this is about the page, not the server.
 */
describe('web app: keyboard only, grouping (single)', () => {
  let cluster: Cluster;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [browser, cluster] = await Promise.all([launchChromium(), Cluster.start('single', { env: { SERVE_WEB: 'true', USER_SEND_LIMIT: '1000' } })]);
  }, 90_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: cluster.url, extraHTTPHeaders: { 'x-forwarded-for': randomClientIp() } });
    contexts.push(context);
    return context.newPage();
  }

  it('reads, replies, reacts, opens the image and the info with the keyboard, focus where it belongs at each step', async () => {
    const tag = randomBytes(3).toString('hex');

    // Ann signs in with the keyboard alone: the email field has the focus, Enter submits each step.
    const ann = await newPage();
    const annEmail = `ann-${tag}@example.com`;
    await ann.goto('/sign-in');
    await ann.keyboard.type(annEmail);
    await ann.keyboard.press('Enter');
    const code = await codeFromMailbox(cluster.url, annEmail);
    await ann.getByLabel('6-digit code').waitFor();
    await ann.waitForFunction(() => document.activeElement?.getAttribute('name') === 'code');
    await ann.keyboard.type(code);
    await ann.keyboard.press('Enter');
    await ann.getByLabel('Your name').waitFor();
    await ann.waitForFunction(() => document.activeElement?.getAttribute('name') === 'displayName');
    await ann.keyboard.press('Enter');
    await ann.waitForURL('**/chats');
    const annId = (await (await ann.request.get('/api/v1/users/me')).json()).id as string;

    // Ben makes a group with her: she writes first, then he sends a run of messages within a minute (one group),
    // a photo among them, enough to scroll.
    const ben = await newPage();
    await signInThroughUi(ben, cluster.url, `ben-${tag}@example.com`);
    const benName = (await (await ben.request.get('/api/v1/users/me')).json()).displayName as string;
    const created = await ben.request.post('/api/v1/chats/groups', { data: { title: `Trail ${tag}`, memberIds: [annId] }, headers: write });
    expect(created.status()).toBe(201);
    const chatId = (await created.json()).id as string;
    const post = async (page: Page, data: Record<string, unknown>) => {
      const res = await page.request.post(`/api/v1/chats/${chatId}/messages`, { data: { clientMessageId: randomBytes(8).toString('hex'), ...data }, headers: write });
      expect(res.status()).toBe(201);
    };
    // Ann's earlier messages make the thread longer than its first page: an older page loads while she is in it.
    for (let i = 1; i <= 20; i++) await post(ann, { text: `early ${i}` });
    await post(ann, { text: 'ann first' });
    for (let i = 1; i <= 12; i++) await post(ben, { text: `b${i}` });
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 200, g: 80, b: 40 } } }).png().toBuffer();
    const upload = await ben.request.post('/api/v1/uploads', { multipart: { file: { name: 'view.png', mimeType: 'image/png', buffer: png } }, headers: write });
    expect(upload.status()).toBe(201);
    await post(ben, { imageKey: (await upload.json()).key });
    for (let i = 13; i <= 24; i++) await post(ben, { text: `b${i}` });

    // Open the chat from the list with Tab and Enter, after a reload: only the newest page of the thread is loaded
    // then (the messages that came live while the list was open would all be there).
    await ann.reload();
    const row = `[data-testid=chat-item][data-chat-id="${chatId}"]`;
    await ann.locator(row).waitFor();
    await pressUntil(ann, 'Tab', () => ann.evaluate((sel) => document.activeElement === document.querySelector(sel), row), 20);
    await ann.keyboard.press('Enter');
    await ann.getByTestId('thread-title').filter({ hasText: `Trail ${tag}` }).waitFor();
    await ann.locator('[data-testid=message]', { hasText: 'b24' }).waitFor();

    // Grouping: Ann's message, then Ben's 25 as one group: his name once (on the first), the time and the tail
    // once (on the last); the others show their time beside the bubble on hover or focus only.
    const benGroup = ann.locator('[data-testid=message][data-mine=false]');
    expect(await benGroup.count()).toBe(25);
    expect(await ann.getByTestId('author').allInnerTexts()).toEqual([benName]);
    expect(await benGroup.first().getByTestId('author').count()).toBe(1);
    expect(await benGroup.locator('[data-testid=message-time]').count()).toBe(1);
    expect(await benGroup.last().locator('[data-testid=message-time]').count()).toBe(1);
    expect(await benGroup.locator('[data-testid=bubble-tail]').count()).toBe(1);
    expect(await benGroup.last().locator('[data-testid=bubble-tail]').count()).toBe(1);
    expect(await benGroup.locator('[data-testid=hover-time]').count()).toBe(24);
    expect(await benGroup.first().getByTestId('hover-time').evaluate((el) => getComputedStyle(el.parentElement!).opacity)).toBe('0');

    // The day pill never covers the divider: with the divider anywhere near the top, their boxes do not meet.
    const divider = ann.getByTestId('new-messages-divider');
    await divider.waitFor();
    for (const offset of [0, 8, 20, 40, 70]) {
      const overlap = await ann.evaluate((y) => {
        const list = document.querySelector('[data-testid=message-list]')!;
        const line = document.getElementById('new-divider')!;
        list.scrollTop += line.getBoundingClientRect().top - list.getBoundingClientRect().top - y;
        const d = line.getBoundingClientRect();
        return Array.from(document.querySelectorAll('[data-testid=day-separator] > span')).some((pill) => {
          const p = pill.getBoundingClientRect();
          return p.bottom > d.top && p.top < d.bottom && p.height > 0;
        });
      }, offset);
      expect({ offset, overlap }).toEqual({ offset, overlap: false });
    }
    await screenshot(ann, 'single-thread-groups-divider');

    // Into the list from the composer (where opening the chat put the focus): one stop, on the newest message.
    expect(await ann.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('composer');
    await pressUntil(ann, 'Shift+Tab', async () => (await focused(ann)).kind !== 'control' || (await focused(ann)).label === 'Chat info');
    expect(await focused(ann)).toMatchObject({ kind: 'message', text: 'b24' });

    // Tab goes through this message's controls only, then out of the list: no other message is a stop.
    const visited: { kind: string; text: string; label: string }[] = [];
    for (let i = 0; i < 12; i++) {
      await ann.keyboard.press('Tab');
      const now = await focused(ann);
      if (now.kind === 'control') break;
      visited.push(now as any);
    }
    expect(visited.length).toBeGreaterThan(0);
    expect(visited.every((v) => v.kind === 'in-message' && v.text === 'b24')).toBe(true);
    expect(visited.map((v) => v.label)).toEqual(expect.arrayContaining(['React', 'Reply', 'Delete for me']));
    expect((await focused(ann)).kind).toBe('control');
    // Back in, with Shift+Tab: the message itself, not its last control.
    await ann.keyboard.press('Shift+Tab');
    expect(await focused(ann)).toMatchObject({ kind: 'message', text: 'b24' });

    // Arrows move between messages; Home and End go to the first and the last.
    await ann.keyboard.press('ArrowUp');
    expect(await focused(ann)).toMatchObject({ kind: 'message', text: 'b23' });
    await ann.keyboard.press('ArrowUp');
    expect(await focused(ann)).toMatchObject({ kind: 'message', text: 'b22' });
    await ann.keyboard.press('ArrowDown');
    expect(await focused(ann)).toMatchObject({ kind: 'message', text: 'b23' });
    // Home: the first message loaded; the page above it comes in (scrolled to the top) and the focus stays put.
    await ann.keyboard.press('Home');
    const firstLoaded = await ann.evaluate(() => document.activeElement === document.querySelector('[role=listitem]') && document.activeElement!.getAttribute('data-seq'));
    expect(firstLoaded).toMatch(/^\d+$/);
    expect((await focused(ann)).text).toMatch(/^early \d+$/);
    await ann.getByTestId('system-message').first().waitFor();
    expect(await ann.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe(firstLoaded);
    await ann.keyboard.press('Home');
    expect(await ann.evaluate(() => document.activeElement === document.querySelector('[role=listitem]'))).toBe(true);
    expect(await ann.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('system-message');
    await ann.keyboard.press('End');
    expect(await focused(ann)).toMatchObject({ kind: 'message', text: 'b24' });

    // Reply: Enter goes into the message's actions, Tab to Reply, Enter; the composer takes the focus.
    await ann.keyboard.press('ArrowUp');
    await ann.keyboard.press('Enter');
    expect(await focused(ann)).toMatchObject({ kind: 'in-message', label: 'React', text: 'b23' });
    await pressUntil(ann, 'Tab', async () => (await focused(ann)).label === 'Reply', 5);
    await ann.keyboard.press('Enter');
    await ann.getByTestId('reply-bar').waitFor();
    expect(await ann.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('composer');
    await ann.keyboard.type('on my way');
    await ann.keyboard.press('Enter');
    const reply = ann.locator('[data-testid=message][data-mine=true]', { hasText: 'on my way' });
    await reply.getByTestId('reply-quote').filter({ hasText: 'b23' }).waitFor();

    // React: back into the list lands on the message she was on; its picker takes the focus and gives it back.
    await pressUntil(ann, 'Shift+Tab', async () => (await focused(ann)).kind !== 'control' || (await focused(ann)).label === 'Chat info');
    expect(await focused(ann)).toMatchObject({ kind: 'message', text: 'b23' });
    await ann.keyboard.press('Enter');
    await ann.keyboard.press('Enter');
    expect(await focused(ann)).toMatchObject({ label: 'React with 👍', text: 'b23' });
    await ann.keyboard.press('Enter');
    const b23 = ann.locator('[data-testid=message]', { hasText: 'b23' }).filter({ hasNot: ann.getByTestId('reply-quote') });
    await b23.locator('[data-testid=reaction][data-emoji="👍"][data-count="1"][aria-pressed=true]').waitFor();
    expect(await focused(ann)).toMatchObject({ kind: 'in-message', label: 'React', text: 'b23' });
    await ann.keyboard.press('Escape');
    expect(await focused(ann)).toMatchObject({ kind: 'message', text: 'b23' });

    // The photo: Tab from its message reaches it (named for who sent it); the viewer takes the focus and, closed
    // with Escape, gives it back.
    await pressUntil(ann, 'ArrowUp', () => ann.evaluate(() => !!document.activeElement?.querySelector('[data-testid=message-image]')), 20);
    await ann.keyboard.press('Tab');
    expect(await focused(ann)).toMatchObject({ kind: 'in-message', label: `Open photo from ${benName}`, testId: 'message-image' });
    expect(await ann.evaluate(() => document.activeElement?.querySelector('img')?.alt)).toBe(`Photo from ${benName}`);
    await ann.keyboard.press('Enter');
    await ann.getByTestId('image-viewer').waitFor();
    expect(await ann.getByTestId('image-viewer').getAttribute('alt')).toBe(`Photo from ${benName}`);
    expect(await focused(ann)).toMatchObject({ label: 'Close image' });
    await ann.keyboard.press('Escape');
    await ann.getByTestId('image-viewer').waitFor({ state: 'detached' });
    expect(await focused(ann)).toMatchObject({ kind: 'in-message', testId: 'message-image' });

    // The info panel: Escape to the message, Shift+Tab to the header's button; the panel takes the focus and gives
    // it back when closed.
    await ann.keyboard.press('Escape');
    expect((await focused(ann)).kind).toBe('message');
    await ann.keyboard.press('Shift+Tab');
    expect(await focused(ann)).toMatchObject({ kind: 'control', label: 'Chat info' });
    await ann.keyboard.press('Enter');
    await ann.getByTestId('chat-info').waitFor();
    expect(await focused(ann)).toMatchObject({ testId: 'close-chat-info' });
    await ann.keyboard.press('Escape');
    await ann.getByTestId('chat-info').waitFor({ state: 'detached' });
    expect(await focused(ann)).toMatchObject({ kind: 'control', label: 'Chat info' });

    // The composer's hidden file input is no stop of its own: from the thread's list, Tab reaches the attach
    // button and then the message field.
    await ann.getByTestId('composer').focus();
    await ann.keyboard.press('Shift+Tab');
    expect(await focused(ann)).toMatchObject({ label: 'Attach a photo or file' });
    await ann.keyboard.press('Shift+Tab');
    expect(await ann.evaluate(() => document.activeElement?.getAttribute('type'))).not.toBe('file');
  });
});
