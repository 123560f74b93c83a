import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { codeFromMailbox, DESKTOP, launchChromium, mailboxCodes, PHONE, SCREENSHOTS } from './harness/browser';
import { Cluster } from './harness/cluster';
import { randomClientIp } from './harness/sign-in';

jest.setTimeout(300_000);

const write = { 'x-requested-with': 'XMLHttpRequest' };
/** Every WCAG A and AA rule axe-core knows, up to 2.2 (its best-practice rules are advice, not the standard). */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SIZES = { desktop: DESKTOP, phone: PHONE } as const;
const THEMES = ['light', 'dark'] as const;
const SHOTS = join(SCREENSHOTS, 'screenshots');
/** `DOCS_SCREENSHOTS=1`: also refresh the few screenshots the README shows (docs/screenshots). */
const DOCS_SHOTS = join(__dirname, '..', 'docs', 'screenshots');
const FOR_DOCS: Record<string, string> = {
  'sign-in-desktop-light': 'sign-in-desktop.png',
  'chat-list-phone-light': 'chat-list-phone.png',
  'thread-desktop-light': 'chat-desktop.png',
  'thread-desktop-dark': 'chat-dark-desktop.png',
  'thread-phone-light': 'chat-phone.png',
  'thread-phone-dark': 'chat-dark-phone.png',
  'group-info-desktop-light': 'group-info-desktop.png',
  'image-viewer-phone-dark': 'image-viewer-phone.png',
  'settings-desktop-light': 'settings-desktop.png',
};

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** A photo with some shape to it, so the screenshots look like a chat. */
function landscape(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="420">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#7cc4fa"/><stop offset="1" stop-color="#fde68a"/></linearGradient></defs>
    <rect width="640" height="420" fill="url(#sky)"/><circle cx="500" cy="110" r="48" fill="#fbbf24"/>
    <path d="M0 300 L160 170 L300 290 L420 200 L640 330 L640 420 L0 420 Z" fill="#15803d"/>
    <path d="M0 360 Q320 300 640 380 L640 420 L0 420 Z" fill="#0e7490"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * WCAG 2.2 AA, checked by axe-core on every screen at desktop and phone sizes in the light and the dark theme.
 * One person's page goes through every screen; the size and the theme change within it (the theme follows the
 * system's, emulated), so the suite costs one sign-in through the UI. Screenshots of each land in
 * test-output/screenshots. A browser concern, so one deployment mode.
 */
describe('web app: accessibility (axe-core, WCAG 2.2 AA) and screenshots', () => {
  let cluster: Cluster;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeSource: string = require('axe-core').source;

  beforeAll(async () => {
    browser = await launchChromium();
    // The viewer talks to the server straight from this machine (so the sign-in page shows its mailbox hint).
    cluster = await Cluster.start('single', { env: { SERVE_WEB: 'true', AUTH_RATE_LIMIT_PER_MINUTE: '1000' } });
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  async function newContext(extraHTTPHeaders?: Record<string, string>): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: cluster.url, colorScheme: 'light', extraHTTPHeaders });
    contexts.push(context);
    return context;
  }

  /** Someone who only acts through the API (their context keeps the cookies), named as given. */
  async function apiPerson(email: string, displayName: string): Promise<{ request: APIRequestContext; id: string }> {
    const { request } = await newContext({ 'x-forwarded-for': randomClientIp() });
    const seen = new Set((await mailboxCodes(cluster.url, email)).map((mail) => mail.job));
    expect((await request.post('/api/v1/auth/otp', { data: { email }, headers: write })).status()).toBe(202);
    const code = await codeFromMailbox(cluster.url, email, seen);
    expect((await request.post('/api/v1/auth/verify', { data: { email, code }, headers: write })).status()).toBe(200);
    const me = await request.patch('/api/v1/users/me', { data: { displayName }, headers: write });
    expect(me.status()).toBe(200);
    return { request, id: (await me.json()).id };
  }

  async function send(request: APIRequestContext, chatId: string, body: Record<string, unknown>): Promise<{ id: string; seq: number }> {
    const response = await request.post(`/api/v1/chats/${chatId}/messages`, { data: { clientMessageId: randomBytes(8).toString('hex'), ...body }, headers: write });
    expect(response.status()).toBe(201);
    return response.json();
  }

  /** Runs axe-core on the page as it is; one readable line per failing element. */
  async function violationsOn(page: Page, where: string): Promise<string[]> {
    // Through the DevTools protocol, which the page's Content-Security-Policy does not govern (a script tag would be).
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
    const violations = (await page.evaluate((tags) => (window as any).axe.run(document, { runOnly: tags, resultTypes: ['violations'] }).then((r: any) => r.violations), WCAG_AA)) as AxeViolation[];
    return violations.flatMap((v) =>
      v.nodes.map((node) => `${where}: ${v.id} (${v.impact}) ${v.help}\n    at ${JSON.stringify(node.target)}\n    ${(node.failureSummary ?? '').replace(/\n\s*/g, ' ')}`),
    );
  }

  /**
   * Contrast of what axe-core cannot judge: text of one or two characters on a solid colour (avatar initials, drawn
   * by CSS; unread counts), which it leaves "to review". WCAG AA: 4.5:1.
   */
  const shortTextSeen = new Set<string>();
  async function shortTextContrast(page: Page, where: string): Promise<string[]> {
    const { seen, low } = await page.evaluate(() => {
      const channels = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const luminance = (css: string) => {
        const [r, g, b] = channels(css).map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const elements = [...document.querySelectorAll('[data-testid=avatar-initials], [data-testid=unread-badge]')];
      const low = elements.flatMap((element) => {
        const style = getComputedStyle(element);
        const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
        const ratio = (light + 0.05) / (dark + 0.05);
        return ratio < 4.5 ? [`${element.getAttribute('data-testid')} "${element.getAttribute('data-initials') ?? element.textContent}": ${style.color} on ${style.backgroundColor} is ${ratio.toFixed(2)}:1`] : [];
      });
      return { seen: elements.map((element) => element.getAttribute('data-testid')!), low };
    });
    for (const testId of seen) shortTextSeen.add(testId);
    return low.map((line) => `${where}: short text contrast below 4.5:1\n    ${line}`);
  }

  /** Every size and theme of the screen on show: its violations, and a screenshot of each. */
  async function audit(page: Page, screen: string, ready: () => Promise<unknown>): Promise<string[]> {
    const found: string[] = [];
    for (const [size, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        await page.waitForFunction((dark) => document.documentElement.classList.contains('dark') === dark, theme === 'dark');
        await ready();
        // Let layout and any colour transition settle before measuring contrast.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        await page.waitForTimeout(250);
        found.push(...(await violationsOn(page, `${screen} ${size} ${theme}`)), ...(await shortTextContrast(page, `${screen} ${size} ${theme}`)));
        const name = `${screen}-${size}-${theme}`;
        await page.screenshot({ path: join(SHOTS, `${name}.png`) });
        // Quantised to a palette: a fraction of the size, the same to the eye.
        if (process.env.DOCS_SCREENSHOTS && FOR_DOCS[name]) await sharp(join(SHOTS, `${name}.png`)).png({ palette: true }).toFile(join(DOCS_SHOTS, FOR_DOCS[name]));
      }
    }
    // Back to where the test drives from.
    await page.setViewportSize(DESKTOP);
    await page.emulateMedia({ colorScheme: 'light' });
    return found;
  }

  it('every screen, at 1280×800 and 390×844, light and dark, has no WCAG 2.2 AA violation', async () => {
    const tag = randomBytes(3).toString('hex');
    const annEmail = `ann-${tag}@example.com`;
    const page = await (await newContext()).newPage();
    const violations: string[] = [];

    // Sign-in: the email step, the code step, and a new account's name step.
    await page.goto('/sign-in');
    await page.getByTestId('mailbox-hint').waitFor();
    violations.push(...(await audit(page, 'sign-in', () => page.getByLabel('Email').waitFor())));
    await page.getByLabel('Email').fill(annEmail);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('6-digit code').waitFor();
    violations.push(...(await audit(page, 'sign-in-code', () => page.getByLabel('6-digit code').waitFor())));
    await page.getByLabel('6-digit code').fill(await codeFromMailbox(cluster.url, annEmail));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('name-step').waitFor();
    violations.push(...(await audit(page, 'sign-in-name', () => page.getByLabel('Your name').waitFor())));
    await page.getByLabel('Your name').fill('Ann Lee');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/chats');
    const annId = (await (await page.request.get('/api/v1/users/me')).json()).id as string;

    // What the screens show: a 1:1 chat with messages both ways (a photo, a reply, one read, one delivered, one
    // only sent), a muted group with unread messages from two people, and a chat with an unread message.
    const ben = await apiPerson(`ben-${tag}@example.com`, 'Ben Carter');
    const cat = await apiPerson(`cat-${tag}@example.com`, 'Cat Diaz');
    const direct = (await (await page.request.post('/api/v1/chats/direct', { data: { userId: ben.id }, headers: write })).json()).id as string;
    await send(ben.request, direct, { text: 'Hi Ann! Are we still on for the hike on Saturday?' });
    await send(page.request, direct, { text: 'Yes! This is the view from the top last time.' });
    const photo = await page.request.post('/api/v1/uploads', { multipart: { file: { name: 'hike.png', mimeType: 'image/png', buffer: await landscape() } }, headers: write });
    expect(photo.status()).toBe(201);
    const image = await send(page.request, direct, { imageKey: (await photo.json()).key, text: 'Worth the climb' });
    await send(ben.request, direct, { text: 'Wow, that looks amazing. Count me in!', replyToId: image.id });
    const read = await send(page.request, direct, { text: 'Great, see you at 8 at the station' });
    expect((await ben.request.post(`/api/v1/chats/${direct}/read`, { data: { seq: read.seq }, headers: write })).status()).toBe(200);
    const delivered = await send(page.request, direct, { text: 'I will bring coffee' });
    expect((await ben.request.post(`/api/v1/chats/${direct}/delivered`, { data: { seq: delivered.seq }, headers: write })).status()).toBe(200);
    await send(page.request, direct, { text: 'And sandwiches' });

    const group = (await (await cat.request.post('/api/v1/chats/groups', { data: { title: 'Saturday hike', memberIds: [annId, ben.id] }, headers: write })).json()).id as string;
    await send(cat.request, group, { text: 'Who is driving?' });
    await send(ben.request, group, { text: 'I can take three people' });
    expect((await page.request.post(`/api/v1/chats/${group}/mute`, { data: { muted: true }, headers: write })).status()).toBe(200);
    const catDirect = (await (await cat.request.post('/api/v1/chats/direct', { data: { userId: annId }, headers: write })).json()).id as string;
    await send(cat.request, catDirect, { text: 'Did you get the tickets?' });

    // The chat list (no chat open).
    await page.goto('/chats');
    const chatRow = (chatId: string) => page.locator(`[data-testid=chat-item][data-chat-id="${chatId}"]`);
    violations.push(...(await audit(page, 'chat-list', () => chatRow(catDirect).getByTestId('unread-badge').waitFor())));

    // The 1:1 thread, with each status of Ann's messages on show.
    await page.goto(`/chats?c=${direct}`);
    const ticks = ['read', 'read', 'read', 'delivered', 'sent'].join();
    const threadReady = () =>
      page.waitForFunction((want) => [...document.querySelectorAll('[data-testid=ticks]')].map((t) => t.getAttribute('data-status')).join() === want, ticks);
    await threadReady();
    await page.getByTestId('reply-quote').waitFor();
    violations.push(...(await audit(page, 'thread', threadReady)));

    // The image viewer over it.
    await page.getByTestId('message-image').click();
    violations.push(...(await audit(page, 'image-viewer', () => page.getByTestId('image-viewer').waitFor())));
    await page.keyboard.press('Escape');
    await page.getByTestId('image-viewer').waitFor({ state: 'detached' });

    // The group, with its info open.
    await chatRow(group).click();
    await page.getByTestId('message').filter({ hasText: 'I can take three people' }).waitFor();
    await page.getByTestId('open-chat-info').click();
    violations.push(...(await audit(page, 'group-info', () => page.getByTestId('chat-info').getByTestId('member').nth(2).waitFor())));

    // Settings.
    await page.goto('/settings');
    violations.push(...(await audit(page, 'settings', () => page.getByTestId('sessions').waitFor())));

    expect(violations).toEqual([]);
    // The check of short text looked at something (a renamed test id would make it pass on nothing).
    expect([...shortTextSeen].sort()).toEqual(['avatar-initials', 'unread-badge']);
  });
});
