import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const WEB_EXPORT = join(__dirname, '..', '..', 'apps', 'web', 'out');
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** `extraArgs`: switches one suite needs, e.g. chromium's fake microphone for voice messages. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: apt-get install -y chromium`);
  if (!existsSync(join(WEB_EXPORT, 'index.html'))) throw new Error('The web app is not built: run `npm run build:web` first');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Sign-in mails to `email` on the captured-mail page (read as a loopback client: the test runs on the server's machine). */
export async function mailboxCodes(baseUrl: string, email: string): Promise<{ job: string; code: string }[]> {
  const html = await (await fetch(`${baseUrl}/dev/mailbox`)).text();
  return html
    .split('<li>')
    .slice(1)
    .filter((item) => item.includes(`to ${email}`))
    .map((item) => ({ job: /job ([^<\s]+)/.exec(item)?.[1] ?? '', code: /<pre>[\s\S]*?\b(\d{6})\b[\s\S]*?<\/pre>/.exec(item)?.[1] ?? '' }))
    .filter((mail) => mail.code);
}

/** The code of a sign-in mail to `email` that was not there before (`seen`: jobs listed before asking). */
export async function codeFromMailbox(baseUrl: string, email: string, seen: Set<string> = new Set()): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const fresh = (await mailboxCodes(baseUrl, email)).find((mail) => !seen.has(mail.job));
    if (fresh) return fresh.code;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`No new sign-in code for ${email} in /dev/mailbox (seen ${[...seen].join(",")}; listed ${JSON.stringify(await mailboxCodes(baseUrl, email))})`);
}

/** Sign in through the UI: email, the code from the captured mail, the name step of a new account skipped, then the chat screen. */
export async function signInThroughUi(page: Page, baseUrl: string, email: string): Promise<void> {
  const seen = new Set((await mailboxCodes(baseUrl, email)).map((mail) => mail.job));
  const landed = await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email).catch(async (error: Error) => {
    // Once (a full run, 2026-11-30) the form never appeared; say what the page was instead of a bare timeout.
    const text = await page.evaluate(() => document.body?.innerText ?? '').catch((e: Error) => `(unreadable: ${e.message})`);
    throw new Error(`${error.message}\nsign-in page: HTTP ${landed?.status()} at ${page.url()}; its text: ${JSON.stringify(text.slice(0, 500))}`);
  });
  await page.getByRole('button', { name: 'Send me a code' }).click();
  const code = await codeFromMailbox(baseUrl, email, seen);
  await page.getByLabel('6-digit code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const nameStep = page.getByTestId('name-step');
  // A new account is asked for a name (and keeps the one from its email when skipped); a known one goes on.
  await Promise.race([page.waitForURL('**/chats').catch(() => undefined), nameStep.waitFor().catch(() => undefined)]);
  if (await nameStep.isVisible()) await nameStep.getByRole('button', { name: 'Skip' }).click();
  await page.waitForURL('**/chats');
  await page.getByTestId('chat-list').waitFor();
}
