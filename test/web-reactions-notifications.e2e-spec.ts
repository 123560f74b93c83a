import { randomBytes, randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, screenshot } from './harness/browser';
import { useWebApp } from './harness/web-suite';

jest.setTimeout(120_000);

const write = { 'x-requested-with': 'XMLHttpRequest' };
const chatRow = (page: Page, chatId: string) => page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`);

interface Note { title: string; body: string; tag: string }
const notes = (page: Page): Promise<Note[]> => page.evaluate(() => ((window as any).__notes as Note[]).map(({ title, body, tag }) => ({ title, body, tag })));
const waitForNote = (page: Page, body: string) => page.waitForFunction((b) => ((window as any).__notes as Note[]).some((n) => n.body === b), body);
const waitForTitle = (page: Page, title: string) => page.waitForFunction((t) => document.title === t, title);

// One deployment: what this suite shows is the web app's; the API e2e suite covers both deployment modes.
describe('web app: reactions, links, long words, unread in the tab, desktop notifications (single)', () => {
  const app = useWebApp();
  // A link opened in a new tab lands here instead of the internet.
  const person = (name: string, tag: string, notifications: boolean) =>
    app.person(name, tag, { notifications, prepare: (context) => context.route('https://example.com/**', (route) => route.fulfill({ contentType: 'text/plain', body: 'example' })) });

  it('counts unread in the title and favicon, notifies for chats not on screen but never muted ones, reacts live, links safely and wraps long words', async () => {
    const tag = randomBytes(3).toString('hex');
    const ann = await person('ann', tag, false);
    const ben = await person('ben', tag, true);
    const say = async (chatId: string, text: string) =>
      (await (await ann.page.request.post(`/api/v1/chats/${chatId}/messages`, { data: { clientMessageId: randomUUID(), text }, headers: write })).json()) as { id: string; seq: number };

    const direct = (await (await ann.page.request.post('/api/v1/chats/direct', { data: { userId: ben.id }, headers: write })).json()).id as string;
    const quiet = (await (await ann.page.request.post('/api/v1/chats/groups', { data: { title: `Quiet ${tag}`, memberIds: [ben.id] }, headers: write })).json()).id as string;
    await chatRow(ben.page, quiet).waitFor();
    expect((await ben.page.request.post(`/api/v1/chats/${quiet}/mute`, { data: { muted: true }, headers: write })).status()).toBe(200);
    await chatRow(ben.page, quiet).getByTestId('chat-muted').waitFor();
    expect(await ben.page.title()).toBe('Relay Chat');

    // Ben is on his chat list: a message in a chat not on screen is counted in the tab and notified.
    await say(direct, 'hello ben');
    await waitForTitle(ben.page, '(1) Relay Chat');
    expect(await ben.page.locator('link#app-favicon').getAttribute('data-unread')).toBe('1');
    expect(await ben.page.locator('link#app-favicon').getAttribute('href')).toMatch(/^data:image\/png;base64,/);
    await waitForNote(ben.page, 'hello ben');

    // Nothing for the muted group (nor in the count); the marker after it proves its notification would have come.
    await say(quiet, 'quiet one');
    const marker = await say(direct, 'marker');
    await waitForNote(ben.page, 'marker');
    expect((await notes(ben.page)).map((n) => n.body)).toEqual(['hello ben', 'marker']);
    expect((await notes(ben.page))[1]).toMatchObject({ tag: `chat-${direct}`, title: expect.stringContaining('ann') });
    await waitForTitle(ben.page, '(2) Relay Chat');

    // Read on another device (here: the API): the title and the favicon follow.
    expect((await ben.page.request.post(`/api/v1/chats/${direct}/read`, { data: { seq: marker.seq }, headers: write })).status()).toBe(200);
    await waitForTitle(ben.page, 'Relay Chat');
    expect(await ben.page.locator('link#app-favicon').getAttribute('data-unread')).toBe('0');

    // Clicking the notification opens its chat.
    await ben.page.evaluate((b) => ((window as any).__notes as { body: string; onclick: () => void }[]).find((n) => n.body === b)!.onclick(), 'marker');
    await ben.page.waitForURL(`**/chats?c=${direct}`);
    await ben.page.getByTestId('thread-title').waitFor();

    // With the chat open and the tab hidden, a new message still notifies.
    await ben.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await say(direct, 'while you were away');
    await waitForNote(ben.page, 'while you were away');
    await ben.page.evaluate(() => {
      delete (document as any).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
    });

    // Ann reacts from the picker; Ben sees it live, with who reacted, and after a reload; his tap adds his own.
    await ann.page.goto(`/chats?c=${direct}`);
    const annFirst = ann.page.getByTestId('message').filter({ hasText: 'hello ben' });
    await annFirst.getByTestId('bubble').hover();
    await annFirst.getByTestId('action-react').click();
    await annFirst.locator('[data-testid=pick-reaction][data-emoji="👍"]').click();
    const benThumbs = ben.page.getByTestId('message').filter({ hasText: 'hello ben' }).locator('[data-testid=reaction][data-emoji="👍"]');
    await benThumbs.and(ben.page.locator('[data-count="1"]')).waitFor();
    expect(await benThumbs.getAttribute('title')).toContain('ann');
    expect(await benThumbs.getAttribute('aria-pressed')).toBe('false');
    await ben.page.reload();
    await benThumbs.and(ben.page.locator('[data-count="1"]')).waitFor();
    await benThumbs.click();
    await benThumbs.and(ben.page.locator('[data-count="2"][aria-pressed="true"]')).waitFor();
    await annFirst.locator('[data-testid=reaction][data-emoji="👍"][data-count="2"]').waitFor();

    // A URL is a link to a new tab that learns nothing of the chat; javascript: stays text.
    await say(direct, 'docs at https://example.com/guide and javascript:alert(1)');
    const linkBubble = ben.page.getByTestId('bubble-text').filter({ hasText: 'javascript:alert(1)' });
    await linkBubble.waitFor();
    const links = linkBubble.locator('a');
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute('href')).toBe('https://example.com/guide');
    expect(await links.first().getAttribute('target')).toBe('_blank');
    expect(await links.first().getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(await ben.page.locator('a[href^="javascript"]').count()).toBe(0);
    const [opened] = await Promise.all([ben.context.waitForEvent('page'), links.first().click()]);
    await opened.waitForLoadState();
    expect(opened.url()).toBe('https://example.com/guide');
    expect(await opened.evaluate(() => window.opener)).toBeNull();
    await opened.close();

    // A 500-character word stays inside its bubble, on a desktop and on a phone.
    const word = `${'a'.repeat(250)}${'b'.repeat(250)}`;
    await say(direct, word);
    const longBubble = ben.page.getByTestId('message').filter({ hasText: word }).getByTestId('bubble');
    await longBubble.waitFor();
    for (const viewport of [DESKTOP, PHONE]) {
      await ben.page.setViewportSize(viewport);
      await longBubble.scrollIntoViewIfNeeded();
      const fits = await longBubble.evaluate((bubble) => {
        const list = document.querySelector('[data-testid=message-list]')!.getBoundingClientRect();
        const box = bubble.getBoundingClientRect();
        const text = bubble.querySelector('[data-testid=bubble-text]')!;
        return { inside: box.left >= list.left && box.right <= list.right + 0.5, textFits: text.scrollWidth <= text.clientWidth + 1, width: box.width, listWidth: list.width };
      });
      expect({ viewport: viewport.width, ...fits }).toMatchObject({ inside: true, textFits: true });
      expect(fits.width).toBeLessThan(fits.listWidth);
      await screenshot(ben.page, `single-long-word-${viewport.width}`);
    }
  });
});
