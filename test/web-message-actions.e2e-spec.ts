import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { screenshot } from './harness/browser';
import { useWebApp } from './harness/web-suite';

jest.setTimeout(120_000);

const write = { 'x-requested-with': 'XMLHttpRequest' };

/**
 * Forward, pin and block through the real UI in chromium, seen from both sides. One deployment mode: the API suite
 * (message-actions.e2e-spec.ts) covers both; this one is about what people see and click.
 */
describe('web app: forward, pin and block (single)', () => {
  const app = useWebApp();
  const person = (name: string, tag: string) => app.person(name, tag);

  const openDirect = async (page: Page, userId: string) => (await (await page.request.post('/api/v1/chats/direct', { data: { userId }, headers: write })).json()).id as string;
  const post = async (page: Page, chatId: string, text: string) => {
    const response = await page.request.post(`/api/v1/chats/${chatId}/messages`, { data: { clientMessageId: `${text.slice(0, 40)}-${randomBytes(4).toString('hex')}`, text }, headers: write });
    expect(response.status()).toBe(201);
    return (await response.json()).id as string;
  };
  const message = (page: Page, text: string) => page.locator('[data-testid=message]', { hasText: text });

  it('forwards a message, pins one and jumps to it from the chat info, blocks and unblocks, each seen by the other side', async () => {
    const tag = randomBytes(3).toString('hex');
    const [ann, ben, cat] = await Promise.all([person('ann', tag), person('ben', tag), person('cat', tag)]);
    const annBen = await openDirect(ann.page, ben.id);
    const annCat = await openDirect(ann.page, cat.id);
    const pinnedId = await post(ben.page, annBen, `the plan ${tag}`);
    // Enough after it that the thread's first page does not hold it: the pin's jump has to load around it.
    await Promise.all(Array.from({ length: 45 }, (_, i) => post(ben.page, annBen, `chatter ${i}`)));
    await post(ben.page, annBen, `long ${tag} ${'many words that wrap '.repeat(20)}`);
    await post(ben.page, annBen, `pass this on ${tag}`);

    // Forward: Ann picks Cat's chat in the dialog; Cat sees the copy live, marked "Forwarded".
    await cat.page.goto(`/chats?c=${annCat}`);
    await cat.page.getByTestId('thread-title').waitFor();
    await ann.page.goto(`/chats?c=${annBen}`);
    // A message's buttons are made when the pointer comes over it, in the room kept for them beside the bubble: the
    // bubble does not wrap its text anew (nor its row change height) as the pointer passes.
    const long = message(ann.page, `long ${tag}`);
    const size = async () => {
      const box = (await long.getByTestId('bubble').boundingBox())!;
      return { width: box.width, height: box.height };
    };
    const before = await size();
    expect(await long.getByTestId('action-reply').count()).toBe(0);
    await long.getByTestId('bubble').hover();
    await long.getByTestId('action-reply').waitFor();
    expect(await size()).toEqual(before);
    const toForward = message(ann.page, `pass this on ${tag}`);
    await toForward.getByTestId('bubble').hover();
    await toForward.getByTestId('action-forward').click();
    await ann.page.locator(`[data-testid=forward-target][data-chat-id="${annCat}"]`).click();
    await ann.page.getByTestId('forward-dialog').waitFor({ state: 'detached' });
    await message(cat.page, `pass this on ${tag}`).getByTestId('forwarded').waitFor();

    // Pin: Ben, in the chat, sees the mark appear on the message live and finds it in the chat info.
    await ben.page.goto(`/chats?c=${annBen}`);
    await message(ben.page, `pass this on ${tag}`).waitFor();
    await post(ann.page, annBen, `hi ben ${tag}`);
    await message(ann.page, `hi ben ${tag}`).waitFor();
    const latest = message(ann.page, `pass this on ${tag}`);
    await latest.getByTestId('bubble').hover();
    await latest.getByTestId('action-pin').click();
    await message(ben.page, `pass this on ${tag}`).getByTestId('pinned-mark').waitFor();
    // The older pin (made over the API, as another device would) is listed too, and clicking it jumps there.
    expect((await ann.page.request.put(`/api/v1/chats/${annBen}/pins/${pinnedId}`, { headers: write })).status()).toBe(200);
    await ben.page.getByTestId('open-chat-info').click();
    await ben.page.locator(`[data-testid=pinned-item][data-message-id="${pinnedId}"]`).click();
    const target = ben.page.locator(`#m-${pinnedId}`);
    await target.waitFor();
    await ben.page.waitForFunction((id) => {
      const el = document.getElementById(`m-${id}`);
      const list = document.querySelector('[data-testid=message-list]');
      if (!el || !list) return false;
      const a = el.getBoundingClientRect();
      const b = list.getBoundingClientRect();
      return a.top >= b.top && a.bottom <= b.bottom;
    }, pinnedId);
    await target.getByTestId('pinned-mark').waitFor();

    // Block: Ann blocks Ben from the chat info. Her composer gives way to an unblock banner, and Ben's presence goes
    // dark for her; for Ben, Ann's goes dark too, and his message is refused with a clear reason.
    await ann.page.getByTestId('thread-status').filter({ hasText: 'online' }).waitFor();
    await ben.page.getByTestId('thread-status').filter({ hasText: 'online' }).waitFor();
    await ann.page.getByTestId('open-chat-info').click();
    await ann.page.getByTestId('block-user').click();
    await ann.page.getByTestId('confirm-ok').click();
    await ann.page.getByTestId('unblock-user').waitFor();
    await ann.page.getByTestId('close-chat-info').click();
    await ann.page.getByTestId('blocked-banner').waitFor();
    await ann.page.getByTestId('thread-status').filter({ hasText: 'offline' }).waitFor();
    await ben.page.getByTestId('thread-status').filter({ hasText: 'offline' }).waitFor();
    await ben.page.getByLabel('Message', { exact: true }).fill('are you there?');
    await ben.page.keyboard.press('Enter');
    await ben.page.locator('[data-testid=message][data-pending=failed]', { hasText: 'You cannot send messages to this person' }).waitFor();
    await screenshot(ann.page, 'single-blocked-thread');

    // Unblock from Settings (the live connection holds there too): the list empties, and Ben sees her presence
    // again: online.
    await ann.page.goto('/settings');
    await ann.page.locator(`[data-testid=blocked-user][data-user-id="${ben.id}"] [data-testid=unblock]`).click();
    await ann.page.getByTestId('blocked-users').getByText('You have not blocked anyone.').waitFor();
    await ben.page.getByTestId('thread-status').filter({ hasText: /^online$/ }).waitFor();
  });
});
