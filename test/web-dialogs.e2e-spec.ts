import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { PHONE } from './harness/browser';
import { useWebApp } from './harness/web-suite';

jest.setTimeout(120_000);

const write = { 'x-requested-with': 'XMLHttpRequest' };

/** What has focus, told by the test id of it or of its nearest ancestor that has one. */
const focusedTestId = (page: Page) =>
  page.evaluate(() => (document.activeElement === document.body ? 'body' : document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? null));
const focusIsInside = (page: Page, selector: string) => page.evaluate((sel) => !!document.querySelector(sel)?.contains(document.activeElement), selector);

/**
 * The app's own confirmation dialog, toasts, focus that moves into panels and dialogs and comes back, and a live
 * region that forgets deleted messages and keeps quiet for muted chats: through the real UI in chromium.
 * One deployment mode: none of it is about the server's shape.
 */
describe('web app: dialogs, toasts, focus and the live region (single)', () => {
  const app = useWebApp();
  const person = (name: string, tag: string) => app.person(name, tag, { context: { permissions: ['clipboard-read', 'clipboard-write'] } });

  const post = async (page: Page, chatId: string, text: string | null, extra: Record<string, unknown> = {}) => {
    const response = await page.request.post(`/api/v1/chats/${chatId}/messages`, { data: { clientMessageId: `c-${randomBytes(6).toString('hex')}`, text, ...extra }, headers: write });
    expect(response.status()).toBe(201);
    return (await response.json()).id as string;
  };
  const liveRegion = (page: Page) => page.getByTestId('live-region');

  it('confirms through its own dialog, shows toasts, moves focus into panels and back, and keeps the live region honest', async () => {
    const tag = randomBytes(3).toString('hex');
    const [ann, ben] = await Promise.all([person('ann', tag), person('ben', tag)]);
    const direct = (await (await ann.page.request.post('/api/v1/chats/direct', { data: { userId: ben.id }, headers: write })).json()).id as string;
    const group = (await (await ann.page.request.post('/api/v1/chats/groups', { data: { title: `quiet ${tag}`, memberIds: [ben.id] }, headers: write })).json()).id as string;
    expect((await ann.page.request.post(`/api/v1/chats/${group}/mute`, { data: { muted: true }, headers: write })).status()).toBeLessThan(300);

    // Live region: every text it ever holds is recorded, to show that a muted chat's message never got there.
    await ann.page.goto('/chats');
    await ann.page.getByTestId('chat-list').waitFor();
    await ann.page.evaluate(() => {
      const said: string[] = ((window as any).said = []);
      const region = document.querySelector('[data-testid=live-region]')!;
      new MutationObserver(() => said.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
    });
    await post(ben.page, group, `hush ${tag}`);
    await ann.page.locator('[data-testid=chat-item]', { hasText: `hush ${tag}` }).waitFor();
    const secret = await post(ben.page, direct, `secret ${tag}`);
    await liveRegion(ann.page).filter({ hasText: `secret ${tag}` }).waitFor({ state: 'attached' });
    expect((await ann.page.evaluate(() => (window as any).said as string[])).filter((t) => t.includes('hush'))).toEqual([]);
    // Deleted for everyone: its text leaves the live region too.
    expect((await ben.page.request.delete(`/api/v1/messages/${secret}`, { headers: write })).status()).toBeLessThan(300);
    await ann.page.waitForFunction((text) => !document.querySelector('[data-testid=live-region]')!.textContent!.includes(text), `secret ${tag}`);

    // Delete for everyone goes through the app's dialog: focus lands on Cancel, Tab stays inside, Escape cancels.
    const mine = await post(ann.page, direct, `mine ${tag}`);
    const png = await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 40, g: 120, b: 220 } } }).png().toBuffer();
    const uploaded = await ben.page.request.post('/api/v1/uploads', { multipart: { file: { name: 'p.png', mimeType: 'image/png', buffer: png } }, headers: write });
    expect(uploaded.status()).toBe(201);
    const photo = await post(ben.page, direct, null, { imageKey: (await uploaded.json()).key });
    await ann.page.locator(`[data-testid=chat-item][data-chat-id="${direct}"]`).click();
    // On a desktop the composer takes focus when a chat opens (on a phone it does not: below).
    await ann.page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'composer');
    const message = ann.page.locator(`#m-${mine}`);
    await message.getByTestId('bubble').hover();
    await message.getByTestId('action-delete').click();
    const dialog = ann.page.getByRole('alertdialog', { name: 'Delete for everyone?' });
    await dialog.waitFor();
    expect(await focusedTestId(ann.page)).toBe('confirm-cancel');
    await ann.page.keyboard.press('Tab');
    expect(await focusedTestId(ann.page)).toBe('confirm-ok');
    await ann.page.keyboard.press('Tab');
    expect(await focusedTestId(ann.page)).toBe('confirm-cancel');
    await ann.page.keyboard.press('Shift+Tab');
    expect(await focusedTestId(ann.page)).toBe('confirm-ok');
    await ann.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedTestId(ann.page)).toBe('action-delete');
    const history = await (await ann.page.request.get(`/api/v1/chats/${direct}/messages?limit=50`)).json();
    expect(history.items.find((m: { id: string }) => m.id === mine)).toMatchObject({ text: `mine ${tag}`, deletedAt: null });

    // Confirmed (from the keyboard, where focus came back): deleted, a toast says so, focus stays on the message.
    await ann.page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await message.getByTestId('tombstone').waitFor();
    await ann.page.getByTestId('toast').filter({ hasText: 'Message deleted' }).waitFor();
    // On a phone a chat opens to be read: no keyboard popping up over it.
    await ben.page.setViewportSize(PHONE);
    await ben.page.goto(`/chats?c=${direct}`);
    await ben.page.locator(`#m-${mine}`).getByTestId('tombstone').waitFor();
    expect(await focusedTestId(ben.page)).not.toBe('composer');
    await ann.page.waitForFunction((id) => !!document.getElementById(`m-${id}`)?.contains(document.activeElement), mine);
    await ann.page.getByTestId('toast').filter({ hasText: 'Message deleted' }).getByTestId('toast-dismiss').click();
    await ann.page.getByTestId('toast').filter({ hasText: 'Message deleted' }).waitFor({ state: 'detached' });

    // The image viewer keeps focus inside and gives it back to the image that opened it.
    await ann.page.locator(`#m-${photo}`).getByTestId('message-image').click();
    await ann.page.getByTestId('image-dialog').waitFor();
    expect(await focusIsInside(ann.page, '[data-testid=image-dialog]')).toBe(true);
    for (const key of ['Tab', 'Tab', 'Shift+Tab']) {
      await ann.page.keyboard.press(key);
      expect(await focusIsInside(ann.page, '[data-testid=image-dialog]')).toBe(true);
    }
    await ann.page.keyboard.press('Escape');
    await ann.page.getByTestId('image-dialog').waitFor({ state: 'detached' });
    expect(await focusedTestId(ann.page)).toBe('message-image');
    expect(await focusIsInside(ann.page, `#m-${photo}`)).toBe(true);

    // Ben blocks Ann (it will make her forward to him fail, below).
    expect((await ben.page.request.put(`/api/v1/users/${ann.id}/block`, { headers: write })).status()).toBeLessThan(300);
    const kept = await post(ann.page, group, `pass on ${tag}`);
    await ann.page.locator(`[data-testid=chat-item][data-chat-id="${group}"]`).click();

    // Chat info takes focus on open and gives it back to the button that opened it. My own row there shows my
    // avatar (my name's initials), not a letter of "You".
    await ann.page.getByTestId('open-chat-info').click();
    await ann.page.getByTestId('chat-info').waitFor();
    expect(await focusIsInside(ann.page, '[data-testid=chat-info]')).toBe(true);
    await expect(ann.page.locator(`[data-testid=member][data-user-id="${ann.id}"] [data-testid=avatar-initials]`).first().getAttribute('data-initials')).resolves.toBe('A');
    await ann.page.keyboard.press('Escape');
    await ann.page.getByTestId('chat-info').waitFor({ state: 'detached' });
    expect(await focusedTestId(ann.page)).toBe('open-chat-info');

    // Copy: the text is on the clipboard and a toast says so.
    await ann.page.locator(`#m-${kept}`).getByTestId('bubble').hover();
    await ann.page.locator(`#m-${kept}`).getByTestId('action-copy').click();
    await ann.page.getByTestId('toast').filter({ hasText: 'Copied' }).waitFor();
    expect(await ann.page.evaluate(() => navigator.clipboard.readText())).toBe(`pass on ${tag}`);

    // A failing action says why in an error toast: Ben blocked Ann, so her forward to him is refused; the forward
    // dialog stays open (to pick another chat) with focus inside, and Escape gives focus back to Forward.
    await ann.page.locator(`#m-${kept}`).getByTestId('bubble').hover();
    await ann.page.locator(`#m-${kept}`).getByTestId('action-forward').click();
    await ann.page.getByTestId('forward-dialog').waitFor();
    expect(await focusIsInside(ann.page, '[data-testid=forward-dialog]')).toBe(true);
    await ann.page.locator(`[data-testid=forward-target][data-chat-id="${direct}"]`).click();
    await ann.page.locator('[data-testid=toast][data-kind=error]', { hasText: 'You cannot send messages to this person' }).waitFor();
    expect(await focusIsInside(ann.page, '[data-testid=forward-dialog]')).toBe(true);
    await ann.page.keyboard.press('Escape');
    await ann.page.getByTestId('forward-dialog').waitFor({ state: 'detached' });
    expect(await focusedTestId(ann.page)).toBe('action-forward');
  });
});
