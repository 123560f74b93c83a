import type { Browser, BrowserContext } from 'playwright-core';
import { DESKTOP, launchChromium, signInThroughUi } from './harness/browser';
import { Cluster } from './harness/cluster';
import { eventually } from './harness/probe-deployment';
import { randomClientIp } from './harness/sign-in';

jest.setTimeout(120_000);

/**
 * The web app is installable: a manifest with icons, and a service worker that shows a push as a notification and
 * opens its chat. (Chromium cannot subscribe to a real push service here; web-push.e2e-spec.ts covers the server's
 * pushes end to end, and this test hands the worker a push the way the browser would.) A browser concern, so one
 * deployment mode.
 */
describe('web app: settings, theme, installable with a service worker for Web Push', () => {
  let cluster: Cluster;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    cluster = await Cluster.start('single', { env: { SERVE_WEB: 'true' } });
    context = await browser.newContext({ viewport: DESKTOP, baseURL: cluster.url, extraHTTPHeaders: { 'x-forwarded-for': randomClientIp() } });
    await context.grantPermissions(['notifications'], { origin: cluster.url });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await cluster?.stop();
  });

  it('links a valid manifest, and its service worker turns a push into a notification for its chat (a newer one replaces it)', async () => {
    const page = await context.newPage();
    await signInThroughUi(page, cluster.url, 'pwa@example.com');
    await page.goto('/settings');
    await page.getByTestId('push-settings').waitFor();

    const manifestUrl = await page.locator('link[rel=manifest]').getAttribute('href');
    const manifest = await (await page.request.get(manifestUrl!)).json();
    expect(manifest).toMatchObject({ name: 'Relay Chat', start_url: '/chats', display: 'standalone' });
    for (const icon of manifest.icons) {
      const response = await page.request.get(icon.src);
      expect({ src: icon.src, status: response.status(), type: response.headers()['content-type'] }).toEqual({ src: icon.src, status: 200, type: 'image/png' });
    }

    // The worker the app registers (from Settings, when push is turned on), handed a push through the DevTools
    // protocol as the push service would: it shows the notification, one per chat.
    const cdp = await context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string }[] = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => registrations.push(...event.registrations));
    await cdp.send('ServiceWorker.enable');
    await page.evaluate(async () => {
      await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      await navigator.serviceWorker.ready;
    });
    await eventually(() => expect(registrations.map((r) => r.scopeURL)).toContain(`${cluster.url}/`));
    const { registrationId } = registrations.find((r) => r.scopeURL === `${cluster.url}/`)!;
    const push = (body: string) =>
      cdp.send('ServiceWorker.deliverPushMessage', { origin: cluster.url, registrationId, data: JSON.stringify({ chatId: 'chat-1', messageId: body, seq: 1, title: 'Ada', body }) });
    const shown = () =>
      page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data })));
    // Chromium now and then loses a push DevTools hands to a worker it has just activated (about one run in twenty
    // here, more under load; the next push is shown), so a push that has not shown within 2 s is handed over again.
    const pushShows = (body: string) =>
      eventually(async () => {
        await push(body);
        await eventually(async () => expect(await shown()).toEqual([{ title: 'Ada', body, tag: 'chat:chat-1', data: { chatId: 'chat-1' } }]), 2_000);
      }, 15_000);
    await pushShows('Are you there?');
    // One notification per chat: the newer push replaces it.
    await pushShows('Hello?');
  });
  it('switches the theme (system, light, dark), keeps it across reloads, and keeps the user online on the Settings page', async () => {
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/settings');
    const theme = page.getByTestId('theme-settings');
    await theme.waitFor();
    const isDark = () => page.evaluate(() => document.documentElement.classList.contains('dark'));
    expect(await isDark()).toBe(false);
    // "System" follows the system live.
    await page.emulateMedia({ colorScheme: 'dark' });
    await eventually(async () => expect(await isDark()).toBe(true));
    await theme.getByText('Light').click();
    expect(await isDark()).toBe(false);
    await page.reload();
    await theme.waitFor();
    expect(await isDark()).toBe(false);
    expect(await theme.getByRole('radio', { name: 'Light' }).isChecked()).toBe(true);
    await theme.getByText('Dark').click();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.reload();
    expect(await isDark()).toBe(true);

    // Someone who shares a chat with this user sees them online while they are on Settings.
    const me = await (await page.request.get('/api/v1/users/me')).json();
    const friend = await context.browser()!.newContext({ viewport: DESKTOP, baseURL: cluster.url, extraHTTPHeaders: { 'x-forwarded-for': randomClientIp() } });
    try {
      const other = await friend.newPage();
      await signInThroughUi(other, cluster.url, 'pwa-friend@example.com');
      const chat = await other.request.post('/api/v1/chats/direct', { data: { userId: me.id }, headers: { 'x-requested-with': 'XMLHttpRequest' } });
      expect(chat.ok()).toBe(true);
      await other.goto(`/chats?c=${(await chat.json()).id}`);
      await other.getByTestId('chat-item').first().getByTestId('online-dot').waitFor();
    } finally {
      await friend.close();
    }
  });
});
