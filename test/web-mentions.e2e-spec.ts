import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { screenshot } from './harness/browser';
import { seedUsers } from './harness/seed';
import { mintAccessToken } from './harness/tokens';
import { useWebApp } from './harness/web-suite';

jest.setTimeout(120_000);

const write = { 'x-requested-with': 'XMLHttpRequest' };
const chatRow = (page: Page, chatId: string) => page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`);

/** Desktop notifications recorded instead of shown (as in web-reactions-notifications): window.__notes. */
// One deployment: what this suite shows is the web app's; test/mentions.e2e-spec.ts covers both deployment modes.
describe('web app: mentions in a muted group (single)', () => {
  const app = useWebApp();
  const person = (name: string, tag: string, notifications: boolean) => app.person(name, tag, { notifications });

  it('suggests members on @, sends a highlighted mention, badges the chat row and notifies although the chat is muted', async () => {
    const tag = randomBytes(3).toString('hex');
    const ann = await person('ann', tag, false);
    const ben = await person('ben', tag, true);
    const [cy] = seedUsers(app.cluster.dataDir, [{ email: `cy-${tag}@example.com`, displayName: `Cyrus ${tag}` }]);

    const group = (await (await ann.page.request.post('/api/v1/chats/groups', { data: { title: `Hikers ${tag}`, memberIds: [ben.id, cy.id] }, headers: write })).json()).id as string;
    await chatRow(ben.page, group).waitFor();
    expect((await ben.page.request.post(`/api/v1/chats/${group}/mute`, { data: { muted: true }, headers: write })).status()).toBe(200);
    await chatRow(ben.page, group).getByTestId('chat-muted').waitFor();

    // Ann's tab paints late (busy, or throttled): its frames come only when the test says so, and what she types
    // right after choosing a name must still land after it, whenever the next frame comes.
    await ann.page.addInitScript(() => {
      const frames = new Map<number, FrameRequestCallback>();
      let last = 0;
      window.requestAnimationFrame = (draw) => (frames.set(++last, draw), last);
      window.cancelAnimationFrame = (id) => void frames.delete(id);
      (window as any).__paint = () => {
        const due = [...frames.values()];
        frames.clear();
        for (const draw of due) draw(performance.now());
      };
    });
    const paint = () => ann.page.evaluate(() => (window as any).__paint());
    // Ann types `@`: the group's other members are suggested; typing filters them; arrows and Enter choose.
    await ann.page.goto(`/chats?c=${group}`);
    const composer = ann.page.getByTestId('composer');
    await composer.click();
    await composer.pressSequentially('lunch @');
    const options = ann.page.getByTestId('mention-option');
    await options.first().waitFor();
    const suggested = () => options.evaluateAll((els) => els.map((el) => el.getAttribute('data-user-id')));
    const nameOf = (id: string | null) => (id === ben.id ? ben.name : cy.displayName);
    expect((await suggested()).sort()).toEqual([ben.id, cy.id].sort());
    await composer.pressSequentially('cy');
    // Cy was suggested already: wait for Ben's option to go, not for Cy's to be there.
    await ann.page.locator(`[data-testid=mention-option][data-user-id="${ben.id}"]`).waitFor({ state: 'detached' });
    expect(await suggested()).toEqual([cy.id]);
    await composer.press('Backspace');
    await composer.press('Backspace');
    await ann.page.locator('[data-testid=mention-option]').nth(1).waitFor();
    // Down to the second suggestion and back up: the first stays chosen with Enter.
    const first = nameOf(await options.first().getAttribute('data-user-id'));
    await composer.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    await composer.press('ArrowUp');
    await composer.press('Enter');
    expect(await composer.inputValue()).toBe(`lunch @${first} `);
    // The other one by a click.
    const second = first === ben.name ? cy.displayName : ben.name;
    await composer.pressSequentially('and @');
    await paint();
    expect(await composer.inputValue()).toBe(`lunch @${first} and @`);
    await options.filter({ hasText: second }).click();
    expect(await composer.inputValue()).toBe(`lunch @${first} and @${second} `);
    await composer.pressSequentially('?');
    await paint();
    expect(await composer.inputValue()).toBe(`lunch @${first} and @${second} ?`);
    await composer.press('Enter');

    // Ann's bubble shows both mentions, highlighted, by name (the text holds their ids).
    const annBubble = ann.page.getByTestId('message').filter({ hasText: 'lunch' }).getByTestId('bubble-text');
    await annBubble.getByTestId('mention').nth(1).waitFor();
    expect(await annBubble.getByTestId('mention').allTextContents()).toEqual([`@${first}`, `@${second}`]);
    expect(await annBubble.locator('[data-me=true]').count()).toBe(0);

    // Ben, on his list with the muted group closed: the @ badge on its row, and a notification all the same.
    await chatRow(ben.page, group).getByTestId('mention-badge').waitFor();
    await ben.page.waitForFunction(() => ((window as any).__notes as { title: string }[]).some((n) => n.title.includes('mentioned you')));
    const [note] = await ben.page.evaluate(() => (window as any).__notes as { title: string; body: string; tag: string }[]);
    expect(note).toMatchObject({ title: `ann-${tag} mentioned you · Hikers ${tag}`.replace(`ann-${tag}`, ann.name), body: `lunch @${first} and @${second} ?`, tag: `chat-${group}` });

    // He opens it: his own mention stands out, and reading clears the badge.
    await chatRow(ben.page, group).click();
    const benBubble = ben.page.getByTestId('message').filter({ hasText: 'lunch' }).getByTestId('bubble-text');
    await benBubble.locator(`[data-testid=mention][data-me=true]`).waitFor();
    expect(await benBubble.locator(`[data-testid=mention][data-me=true]`).textContent()).toBe(`@${ben.name}`);
    await chatRow(ben.page, group).getByTestId('mention-badge').waitFor({ state: 'detached' });
    await screenshot(ben.page, 'single-mentions');

    // Cyrus renames himself: his mention shows the new name at once.
    const renamed = await fetch(`${app.cluster.url}/api/v1/users/me`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mintAccessToken(app.cluster.jwtSecret, cy.id)}` },
      body: JSON.stringify({ displayName: `Cy ${tag}` }),
    });
    expect(renamed.status).toBe(200);
    await benBubble.locator(`[data-testid=mention][data-user-id="${cy.id}"]`).filter({ hasText: `@Cy ${tag}` }).waitFor();
  });
});
