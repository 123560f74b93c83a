import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Cluster } from './harness/cluster';
import { randomClientIp } from './harness/sign-in';
import { DESKTOP, launchChromium, screenshot, signInThroughUi } from './harness/browser';

jest.setTimeout(180_000);

const write = { 'x-requested-with': 'XMLHttpRequest' };
/** Small, so a file over it is cheap to pick. */
const FILE_MAX_BYTES = 64 * 1024;

const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n% a test document\n'), randomBytes(20_000)]);

/**
 * Files and voice through the browser, one process (the API suite test/files.e2e-spec.ts covers both deployment
 * modes). Chromium's fake microphone (a beep) stands in for a real one.
 */
describe('web app: files and voice messages (single)', () => {
  let cluster: Cluster;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required']);
    cluster = await Cluster.start('single', { env: { SERVE_WEB: 'true', FILE_UPLOAD_MAX_BYTES: String(FILE_MAX_BYTES) } });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  async function person(name: string, tag: string): Promise<{ page: Page; id: string }> {
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: cluster.url, acceptDownloads: true, extraHTTPHeaders: { 'x-forwarded-for': randomClientIp() } });
    await context.grantPermissions(['microphone'], { origin: cluster.url });
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughUi(page, cluster.url, `${name}-${tag}@example.com`);
    const id = (await (await page.request.get('/api/v1/users/me')).json()).id as string;
    return { page, id };
  }

  it('a PDF is sent and downloaded, a failed upload says why without a broken image, and a voice message is recorded and played by the other person', async () => {
    const tag = randomBytes(3).toString('hex');
    const ann = await person('ann', tag);
    const ben = await person('ben', tag);
    const chatId = (await (await ann.page.request.post('/api/v1/chats/direct', { data: { userId: ben.id }, headers: write })).json()).id as string;
    await ann.page.goto(`/chats?c=${chatId}`);
    await ben.page.goto(`/chats?c=${chatId}`);
    await ann.page.getByTestId('composer').waitFor();

    // Over the limit: a clear error in the composer, nothing to send.
    await ann.page.getByTestId('file-input').setInputFiles({ name: 'huge.zip', mimeType: 'application/zip', buffer: randomBytes(FILE_MAX_BYTES + 1) });
    await ann.page.getByTestId('upload-error').filter({ hasText: 'larger than the upload limit (64 KB)' }).waitFor();
    expect(await ann.page.getByTestId('send').isDisabled()).toBe(true);
    // A "photo" that is not one: refused, and the preview is the file's icon, never a broken picture.
    await ann.page.getByTestId('file-input').setInputFiles({ name: 'holiday.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') });
    await ann.page.getByTestId('upload-error').filter({ hasText: 'Only JPEG, PNG, WebP and GIF' }).waitFor();
    expect(await ann.page.locator('[data-testid=upload-preview] img').count()).toBe(0);
    await ann.page.getByRole('button', { name: 'Remove attachment' }).click();

    // A PDF: uploaded at once, sent with a caption.
    await ann.page.getByTestId('file-input').setInputFiles({ name: 'Report été.pdf', mimeType: 'application/pdf', buffer: pdf });
    await ann.page.getByTestId('upload-status').filter({ hasText: 'Ready to send' }).waitFor();
    await ann.page.getByTestId('composer').fill('the report');
    await ann.page.getByTestId('send').click();

    // Ben sees its name, size and type, and downloads it under its name, byte for byte.
    const card = ben.page.getByTestId('message-file').filter({ hasText: 'Report été.pdf' });
    await card.waitFor();
    expect(await card.getByTestId('file-meta').textContent()).toBe('19.6 KB · PDF');
    const [download] = await Promise.all([ben.page.waitForEvent('download'), card.click()]);
    expect(download.suggestedFilename()).toBe('Report été.pdf');
    expect(readFileSync((await download.path())!).equals(pdf)).toBe(true);

    // A voice message, recorded from the fake microphone for about two seconds.
    await ann.page.getByTestId('record-voice').click();
    await ann.page.getByTestId('recording-time').filter({ hasText: '0:02' }).waitFor();
    await ann.page.getByTestId('recording-send').click();
    await ann.page.getByTestId('voice-recorder').waitFor({ state: 'detached' });

    // Ben plays it: the duration shows before, the position moves while it plays.
    const voice = ben.page.getByTestId('voice-message');
    await voice.waitFor();
    expect(await voice.getByTestId('voice-duration').textContent()).toMatch(/^0:0[2-3]$/);
    await screenshot(ben.page, 'single-files-voice-desktop');
    await voice.getByTestId('voice-play').click();
    await ben.page.waitForFunction(() => Number(document.querySelector('[data-testid=voice-progress]')?.getAttribute('data-progress')) > 0.2);
    expect(await voice.getByTestId('voice-duration').textContent()).toMatch(/^0:0\d \/ 0:0[2-3]$/);

    // Stored like any file, with its duration.
    const history = await (await ben.page.request.get(`/api/v1/chats/${chatId}/messages`)).json();
    const stored = history.items.at(-1).file;
    expect(stored).toMatchObject({ kind: 'voice', mimeType: 'audio/webm' });
    expect(stored.durationMs).toBeGreaterThanOrEqual(1900);
  });
});
