import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Cluster } from './harness/cluster';
import { DESKTOP, launchChromium, screenshot, signInThroughUi } from './harness/browser';
import { randomClientIp } from './harness/sign-in';

jest.setTimeout(120_000);

const write = { 'x-requested-with': 'XMLHttpRequest' };

/** A group's header: the other members by name, in join order (members who joined together in id order), then "you". */
const namesThenYou = (a: string, b: string) => new RegExp(`^(${a}, ${b}|${b}, ${a}), you$`);

/**
 * Three people in a group, in chromium: the timeline's system lines, the header naming the members, the info panel
 * beside the thread, and a member removed and added back whose open thread loads again by itself.
 */
describe('web app: group timeline and membership (single)', () => {
  let cluster: Cluster;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [browser, cluster] = await Promise.all([launchChromium(), Cluster.start('single', { env: { SERVE_WEB: 'true' } })]);
  }, 90_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  async function person(name: string, tag: string): Promise<{ page: Page; id: string; name: string }> {
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: cluster.url, extraHTTPHeaders: { 'x-forwarded-for': randomClientIp() } });
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughUi(page, cluster.url, `${name}-${tag}@example.com`);
    const me = await (await page.request.get('/api/v1/users/me')).json();
    return { page, id: me.id as string, name: me.displayName as string };
  }

  it('shows system lines, names the members, narrows the thread for its info, and reloads a re-added member’s open thread by itself', async () => {
    const tag = randomBytes(3).toString('hex');
    const [ann, ben, cat] = await Promise.all([person('ann', tag), person('ben', tag), person('cat', tag)]);
    const created = await ann.page.request.post('/api/v1/chats/groups', { data: { title: `Walk ${tag}`, memberIds: [ben.id, cat.id] }, headers: write });
    expect(created.status()).toBe(201);
    const chatId = (await created.json()).id as string;
    const post = (text: string) => ann.page.request.post(`/api/v1/chats/${chatId}/messages`, { data: { clientMessageId: `w-${tag}-${text}`, text }, headers: write });

    // Cat has the group open: the creation is a centred line, and a message arrives live.
    await cat.page.goto(`/chats?c=${chatId}`);
    const catLines = cat.page.getByTestId('system-message');
    await catLines.filter({ hasText: `${ann.name} created the group “Walk ${tag}”` }).waitFor();
    await post('before');
    await cat.page.getByTestId('message').filter({ hasText: 'before' }).waitFor();

    // Removed while looking at it: the thread says so. A message sent meanwhile must never reach Cat.
    expect((await ann.page.request.delete(`/api/v1/chats/${chatId}/members/${cat.id}`, { headers: write })).status()).toBe(200);
    await cat.page.getByText('This chat does not exist or you are not in it.').waitFor();
    await ann.page.goto(`/chats?c=${chatId}`);
    await ann.page.getByTestId('system-message').filter({ hasText: `You removed ${cat.name}` }).waitFor();
    await post('while-out');

    // Added back: the open thread loads at once, from the line that adds her, without a reload.
    expect((await ann.page.request.post(`/api/v1/chats/${chatId}/members`, { data: { memberIds: [cat.id] }, headers: write })).status()).toBe(200);
    await catLines.filter({ hasText: `${ann.name} added you` }).waitFor();
    await post('after');
    await cat.page.getByTestId('message').filter({ hasText: 'after' }).waitFor();
    expect(await cat.page.getByTestId('message').filter({ hasText: 'while-out' }).count()).toBe(0);
    expect(await cat.page.getByTestId('message').filter({ hasText: 'before' }).count()).toBe(0);
    expect(await cat.page.getByTestId('thread-skeleton').count()).toBe(0);
    await cat.page.getByTestId('thread-status').filter({ hasText: namesThenYou(ann.name, ben.name) }).waitFor();

    // Ben saw it all, as lines of the timeline; his list's preview is the last message.
    await ben.page.goto(`/chats?c=${chatId}`);
    for (const line of [`${ann.name} removed ${cat.name}`, `${ann.name} added ${cat.name}`]) await ben.page.getByTestId('system-message').filter({ hasText: line }).waitFor();
    await ben.page.getByTestId('message').filter({ hasText: 'while-out' }).waitFor();
    await ben.page.getByTestId('thread-status').filter({ hasText: namesThenYou(ann.name, cat.name) }).waitFor();

    // A rename is a line too, and the chat list previews it.
    expect((await ann.page.request.patch(`/api/v1/chats/${chatId}`, { data: { title: `Hike ${tag}` }, headers: write })).status()).toBe(200);
    await ben.page.getByTestId('system-message').filter({ hasText: `${ann.name} renamed the group to “Hike ${tag}”` }).waitFor();
    await ben.page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`).filter({ hasText: `renamed the group to “Hike ${tag}”` }).waitFor();

    // On a wide screen the info panel sits beside the thread, which narrows; nothing is covered.
    const list = ben.page.getByTestId('message-list');
    const before = (await list.boundingBox())!;
    await ben.page.getByTestId('open-chat-info').click();
    const info = ben.page.getByTestId('chat-info');
    await info.waitFor();
    await ben.page.waitForFunction((width) => document.querySelector('[data-testid=message-list]')!.getBoundingClientRect().width < width - 100, before.width);
    const [narrowed, panel] = [(await list.boundingBox())!, (await info.boundingBox())!];
    expect(narrowed.x + narrowed.width).toBeLessThanOrEqual(panel.x + 1);
    expect(await info.getByTestId('history-visible-toggle').isDisabled()).toBe(true);
    await screenshot(ben.page, 'single-group-timeline-info-beside');
  });
});
