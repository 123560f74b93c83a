import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Cluster } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { randomClientIp } from './harness/sign-in';
import { DESKTOP, launchChromium, screenshot, signInThroughUi } from './harness/browser';

jest.setTimeout(180_000);

const write = { 'x-requested-with': 'XMLHttpRequest' };

// One deployment mode: what is under test here is the web app (the API's search runs in both modes in search.e2e-spec).
describe('web app: message search (single)', () => {
  let cluster: Cluster;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    // 300 sends in a few seconds from one person: above the default per-user send limit.
    cluster = await Cluster.start('single', { env: { SERVE_WEB: 'true', USER_SEND_LIMIT: '1000' } });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  it('finds a message 300 back, marks the word, and opens the chat at it', async () => {
    const tag = randomBytes(3).toString('hex');
    const needle = `needle${tag}`;
    const [bob] = seedUsers(cluster.dataDir, [{ email: `bob-${tag}@example.com`, displayName: `Bob ${tag}` }]);
    context = await browser.newContext({ viewport: DESKTOP, baseURL: cluster.url, extraHTTPHeaders: { 'x-forwarded-for': randomClientIp() } });
    const page: Page = await context.newPage();
    await signInThroughUi(page, cluster.url, `ann-${tag}@example.com`);

    const chatId = (await (await page.request.post('/api/v1/chats/direct', { data: { userId: bob.id }, headers: write })).json()).id as string;
    const sendText = async (i: number, text: string) => {
      const reply = await page.request.post(`/api/v1/chats/${chatId}/messages`, { data: { clientMessageId: `s-${tag}-${i}`, text }, headers: write });
      if (reply.status() !== 201) throw new Error(`send ${i} → ${reply.status()} ${await reply.text()}`);
      return (await reply.json()) as { id: string; seq: number };
    };
    const target = await sendText(0, `The ${needle} is in this haystack`);
    // The other 299 in parallel batches: their order does not matter, only that they come after the target.
    for (let from = 1; from < 300; from += 30) {
      await Promise.all(Array.from({ length: Math.min(30, 300 - from) }, (_, k) => sendText(from + k, `filler message ${from + k}`)));
    }

    await page.goto('/chats');
    await page.getByTestId('message-search').fill(needle.toUpperCase());
    const result = page.locator(`[data-testid=search-result][data-message-id="${target.id}"]`);
    await result.waitFor();
    // The matched word is an element of its own (never HTML from the server), with the text as written.
    expect(await result.getByTestId('search-match').allTextContents()).toEqual([needle]);
    expect(await page.getByTestId('search-result').count()).toBe(1);

    await result.click();
    await page.waitForURL(`**/chats?c=${chatId}`);
    const bubble = page.locator(`[id="m-${target.id}"]`);
    await bubble.waitFor();
    // Scrolled into view inside the message list (the jump), not merely somewhere in the page.
    await page.waitForFunction((id) => {
      const el = document.getElementById(`m-${id}`);
      const list = document.querySelector('[data-testid=message-list]');
      if (!el || !list) return false;
      const a = el.getBoundingClientRect();
      const b = list.getBoundingClientRect();
      return a.top >= b.top && a.bottom <= b.bottom;
    }, target.id);
    // A window around it was loaded, not the whole chat: the newest message is not on the page.
    expect(await page.locator('[data-testid=message][data-seq="300"]').count()).toBe(0);
    await screenshot(page, 'single-search-jump');
  });
});
