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
describe('web app: keyboard only, grouping, long threads (single)', () => {
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
    const firstLoaded = await ann.evaluate(() => document.querySelector('[role=listitem]')!.getAttribute('data-seq'));
    expect(firstLoaded).toMatch(/^\d+$/);
    await ann.keyboard.press('Home');
    expect(await ann.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe(firstLoaded);
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

  it('a long thread draws only the rows near the view, and scrolling, older pages, Home/End and jumps still work', async () => {
    const tag = randomBytes(3).toString('hex');
    const ann = await newPage();
    await signInThroughUi(ann, cluster.url, `ann-long-${tag}@example.com`);
    const ben = await newPage();
    await signInThroughUi(ben, cluster.url, `ben-long-${tag}@example.com`);
    const annId = (await (await ann.request.get('/api/v1/users/me')).json()).id as string;
    const chat = await (await ben.request.post('/api/v1/chats/direct', { data: { userId: annId }, headers: write })).json();
    // 400 messages (seq 1-400), both writing: eight pages of history and far more rows than the list draws at once.
    const TOTAL = 400;
    const ids: string[] = [];
    for (let i = 1; i <= TOTAL; i++) {
      const res = await (i % 3 ? ben : ann).request.post(`/api/v1/chats/${chat.id}/messages`, {
        data: { clientMessageId: `long-${tag}-${i}`, text: `line ${i}${i % 7 ? '' : ' with a longer body that wraps onto a second line in the bubble '.repeat(3)}` },
        headers: write,
      });
      expect(res.status()).toBe(201);
      ids.push((await res.json()).id);
    }
    // Read up to the end: no "new messages" divider, so the whole thread is one day's section under one pill.
    expect((await ann.request.post(`/api/v1/chats/${chat.id}/read`, { data: { seq: TOTAL }, headers: write })).status()).toBeLessThan(300);
    await ann.goto(`/chats?c=${chat.id}`);
    await ann.locator('[data-testid=message][data-seq="400"]').waitFor();
    const list = ann.getByTestId('message-list');
    const drawn = () => ann.locator('[data-testid=message]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));

    // Scrolling up loads every older page; the message that was on top stays where it was each time.
    for (let round = 0; round < 20 && (await ann.locator('[data-testid=message][data-seq="1"]').count()) === 0; round++) {
      await list.evaluate((el) => (el.scrollTop = 0));
      // The virtualizer draws the rows of the new position at its next render: the rows drawn before it (far below,
      // after a jump to the top) are not candidates for the message on screen.
      await list.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      // The first message on screen (rows above the view are drawn too, and may go when the page comes in).
      const topSeq = await list.evaluate((el) => {
        const top = el.getBoundingClientRect().top;
        const row = Array.from(el.querySelectorAll('[data-testid=message]')).find((m) => m.getBoundingClientRect().top >= top);
        return Number(row?.getAttribute('data-seq'));
      });
      if (topSeq === 1) break;
      const anchor = ann.locator(`[data-testid=message][data-seq="${topSeq}"]`);
      const y0 = (await anchor.boundingBox())!.y;
      await ann.waitForFunction((seq) => Number(document.querySelector('[data-testid=message]')?.getAttribute('data-seq')) < seq, topSeq);
      await ann.waitForTimeout(100);
      const y1 = (await anchor.boundingBox())!.y;
      // `|| 0`: a move of -0.3 px rounds to -0, which toEqual tells from 0.
      expect({ round, topSeq, moved: Math.round(y1 - y0) || 0 }).toEqual({ round, topSeq, moved: 0 });
    }
    // All 400 loaded, few drawn: the top of the thread, in order, numbered from the first.
    const top = await drawn();
    expect(top[0]).toBe(1);
    expect(top).toEqual(Array.from({ length: top.length }, (_, i) => i + 1));
    expect(top.length).toBeLessThan(100);
    expect(await ann.locator('[data-testid=message]').first().getAttribute('aria-posinset')).toBe('1');

    // Scrolled through to the bottom by hand, every message passes by once, in order, with no gap.
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      for (const seq of await drawn()) seen.add(seq);
      const atBottom = await list.evaluate((el) => {
        el.scrollTop += el.clientHeight * 0.8;
        return el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      });
      if (atBottom) {
        await ann.waitForTimeout(100);
        for (const seq of await drawn()) seen.add(seq);
        break;
      }
      await ann.waitForTimeout(30);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    await ann.locator('[data-testid=message][data-seq="400"]').waitFor();
    // In the middle of the day the day's pill still shows at the top (its row is far above, not drawn).
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await ann.locator('[data-testid=day-separator][data-floating=true] > span').waitFor();

    // Home and End reach the first and last message of the thread, drawn or not.
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await ann.locator('[data-testid=message][data-seq="400"]').focus();
    await ann.keyboard.press('Home');
    await ann.waitForFunction(() => document.activeElement?.getAttribute('data-seq') === '1');
    expect(await focused(ann)).toMatchObject({ kind: 'message', text: 'line 1' });
    await ann.keyboard.press('End');
    await ann.waitForFunction(() => document.activeElement?.getAttribute('data-seq') === '400');
    await ann.keyboard.press('ArrowUp');
    expect(await ann.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe('399');

    // A quote of a message far above (loaded, not drawn) jumps to it: scrolled into the view, focused, flashed.
    const res = await ben.request.post(`/api/v1/chats/${chat.id}/messages`, { data: { clientMessageId: `long-${tag}-reply`, text: 'about line 5', replyToId: ids[4] }, headers: write });
    expect(res.status()).toBe(201);
    await ann.locator('[data-testid=message]', { hasText: 'about line 5' }).getByTestId('reply-quote').click();
    await ann.locator('[data-testid=message][data-seq="5"].flash').waitFor();
    expect(await ann.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe('5');
    const inView = await ann.evaluate(() => {
      const a = document.querySelector('[data-testid=message][data-seq="5"]')!.getBoundingClientRect();
      const b = document.querySelector('[data-testid=message-list]')!.getBoundingClientRect();
      return a.top >= b.top && a.bottom <= b.bottom;
    });
    expect(inView).toBe(true);
    expect((await drawn()).length).toBeLessThan(100);
  });
});
