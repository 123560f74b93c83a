import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const WEB_EXPORT = join(__dirname, '..', '..', 'apps', 'web', 'out');
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: apt-get install -y chromium`);
  if (!existsSync(join(WEB_EXPORT, 'index.html'))) throw new Error('The web app is not built: run `npm run build:web` first');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/**
 * The newest sign-in code mailed to `email`, read from the captured-mail page as a loopback client (the test
 * runs on the server's machine; anyone else gets a 404 there).
 */
export async function codeFromMailbox(baseUrl: string, email: string, notBefore: Set<string> = new Set()): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const html = await (await fetch(`${baseUrl}/dev/mailbox`)).text();
    for (const item of html.split('<li>').slice(1)) {
      if (!item.includes(`to ${email}`)) continue;
      const code = /<pre>[\s\S]*?\b(\d{6})\b[\s\S]*?<\/pre>/.exec(item)?.[1];
      const job = /job ([^<\s]+)/.exec(item)?.[1] ?? code;
      if (code && job && !notBefore.has(job)) return code;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`No sign-in code for ${email} in /dev/mailbox`);
}

/** Sign in through the UI: email, the code from the captured mail, then the chat screen. */
export async function signInThroughUi(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  const code = await codeFromMailbox(baseUrl, email);
  await page.getByLabel('6-digit code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/chats');
  await page.getByTestId('chat-list').waitFor();
}
