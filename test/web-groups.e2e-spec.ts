import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { randomClientIp } from './harness/sign-in';
import { DESKTOP, launchChromium, PHONE, screenshot, signInThroughUi } from './harness/browser';

jest.setTimeout(240_000);

const write = { 'x-requested-with': 'XMLHttpRequest' };

/** The sidebar row of a chat, found by its id (titles change in this test). */
const chatRow = (page: Page, chatId: string) => page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`);

describe.each(DEPLOYMENT_MODES)('web app: group info and mute (%s)', (mode) => {
  let cluster: Cluster;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    cluster = await Cluster.start(mode, { env: { SERVE_WEB: 'true' } });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  async function person(name: string, tag: string, viewport = DESKTOP): Promise<{ page: Page; id: string }> {
    const context = await browser.newContext({ viewport, baseURL: cluster.url, extraHTTPHeaders: { 'x-forwarded-for': randomClientIp() } });
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughUi(page, cluster.url, `${name}-${tag}@example.com`);
    const id = (await (await page.request.get('/api/v1/users/me')).json()).id as string;
    return { page, id };
  }

  it('an admin renames the group, adds and removes people and makes an admin; a member mutes it and leaves; everyone sees it live', async () => {
    const tag = randomBytes(3).toString('hex');
    const ann = await person('ann', tag);
    const ben = await person('ben', tag);
    const cat = await person('cat', tag, PHONE);

    const created = await ann.page.request.post('/api/v1/chats/groups', { data: { title: `Trip ${tag}`, memberIds: [ben.id] }, headers: write });
    expect(created.status()).toBe(201);
    const chatId = (await created.json()).id as string;
    await chatRow(ben.page, chatId).waitFor();

    // Ann (the admin) opens the group's info from the thread header.
    await ann.page.goto(`/chats?c=${chatId}`);
    await ann.page.getByTestId('open-chat-info').click();
    const info = ann.page.getByTestId('chat-info');
    await info.waitFor();
    // A member's row comes once their profile has arrived (a skeleton until then), so wait for Ben's before counting.
    await info.locator(`[data-testid=member][data-user-id="${ben.id}"]`).waitFor();
    expect(await info.getByTestId('member').count()).toBe(2);
    expect(await info.getByTestId('member-skeleton').count()).toBe(0);
    expect(await info.locator(`[data-testid=member][data-user-id="${ann.id}"] [data-testid=admin-badge]`).count()).toBe(1);

    // Rename: Ben's list shows the new name without a reload.
    await info.getByTestId('group-title-input').fill(`Trip renamed ${tag}`);
    await info.getByTestId('save-group-title').click();
    await chatRow(ben.page, chatId).getByTestId('chat-title').filter({ hasText: `Trip renamed ${tag}` }).waitFor();
    await ann.page.getByTestId('thread-title').filter({ hasText: `Trip renamed ${tag}` }).waitFor();

    // Add Cat through the people search (by exact email: she shares no chat with Ann yet): the group appears in her list at once.
    await info.getByTestId('add-people-search').fill(`cat-${tag}@example.com`);
    await info.getByTestId('add-person').first().click();
    await info.locator(`[data-testid=member][data-user-id="${cat.id}"]`).waitFor();
    await chatRow(cat.page, chatId).getByTestId('chat-title').filter({ hasText: `Trip renamed ${tag}` }).waitFor();

    // Make Ben an admin.
    await info.locator(`[data-testid=member][data-user-id="${ben.id}"] [data-testid=toggle-admin]`).click();
    await info.locator(`[data-testid=member][data-user-id="${ben.id}"] [data-testid=admin-badge]`).waitFor();
    if (mode === 'single') await screenshot(ann.page, `${mode}-group-info-desktop`);

    // Ben mutes the group: his list marks it, it stays muted after a reload, and only for him.
    await ben.page.goto(`/chats?c=${chatId}`);
    await ben.page.getByTestId('open-chat-info').click();
    // The switch follows the stored state: it flips once the server has answered.
    await ben.page.getByTestId('mute-toggle').click();
    await ben.page.waitForFunction(() => (document.querySelector('[data-testid=mute-toggle]') as HTMLInputElement | null)?.checked === true);
    await chatRow(ben.page, chatId).getByTestId('chat-muted').waitFor();
    await ben.page.reload();
    await chatRow(ben.page, chatId).getByTestId('chat-muted').waitFor();
    expect(await chatRow(ann.page, chatId).getByTestId('chat-muted').count()).toBe(0);
    // A muted chat's unread badge is grey, not the brand colour (Ben is on his list, not in the chat).
    await ben.page.goto('/chats');
    await chatRow(ben.page, chatId).waitFor();
    await ann.page.request.post(`/api/v1/chats/${chatId}/messages`, { data: { clientMessageId: `g-${tag}-1`, text: 'hello all' }, headers: write });
    const badge = chatRow(ben.page, chatId).getByTestId('unread-badge');
    await badge.waitFor();
    expect(await badge.getAttribute('class')).toContain('bg-slate-600');

    // Ann removes Cat: the group leaves Cat's list live.
    await info.locator(`[data-testid=member][data-user-id="${cat.id}"] [data-testid=remove-member]`).click();
    await ann.page.getByTestId('confirm-ok').click();
    await chatRow(cat.page, chatId).waitFor({ state: 'detached' });
    // Ann's panel follows the server's answer, which may come just after Cat's event.
    await ann.page.waitForFunction(() => document.querySelectorAll('[data-testid=chat-info] [data-testid=member]').length === 2);

    // Ben leaves: gone from his list; Ann's panel shows her alone.
    await chatRow(ben.page, chatId).click();
    await ben.page.getByTestId('open-chat-info').click();
    await ben.page.getByTestId('leave-group').click();
    await ben.page.getByTestId('confirm-ok').click();
    await chatRow(ben.page, chatId).waitFor({ state: 'detached' });
    await ann.page.waitForFunction(() => document.querySelectorAll('[data-testid=chat-info] [data-testid=member]').length === 1);
    const afterLeave = await (await ann.page.request.get(`/api/v1/chats/${chatId}`)).json();
    expect(afterLeave.members.map((m: { userId: string }) => m.userId)).toEqual([ann.id]);
    expect((await ben.page.request.get(`/api/v1/chats/${chatId}`)).status()).toBe(404);
  });

  it('a 1:1 chat can be muted and deleted for me; it comes back with the next message', async () => {
    const tag = randomBytes(3).toString('hex');
    const dan = await person('dan', tag);
    const eve = await person('eve', tag);
    const chatId = (await (await dan.page.request.post('/api/v1/chats/direct', { data: { userId: eve.id }, headers: write })).json()).id as string;
    await dan.page.request.post(`/api/v1/chats/${chatId}/messages`, { data: { clientMessageId: `d-${tag}-1`, text: 'hi eve' }, headers: write });

    await eve.page.goto(`/chats?c=${chatId}`);
    await eve.page.getByTestId('open-chat-info').click();
    await eve.page.getByTestId('hide-chat').click();
    await eve.page.getByTestId('confirm-ok').click();
    await chatRow(eve.page, chatId).waitFor({ state: 'detached' });
    // The next message brings it back, with its unread count.
    await dan.page.request.post(`/api/v1/chats/${chatId}/messages`, { data: { clientMessageId: `d-${tag}-2`, text: 'still there?' }, headers: write });
    await chatRow(eve.page, chatId).getByTestId('chat-preview').filter({ hasText: 'still there?' }).waitFor();
  });
});
