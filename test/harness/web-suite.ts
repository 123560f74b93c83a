import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { DESKTOP, launchChromium, signInThroughUi } from './browser';
import { Cluster } from './cluster';
import { randomClientIp } from './sign-in';

/**
 * Records desktop notifications instead of showing them: window.Notification becomes a stand-in that keeps each
 * one (title, options, and the object whose onclick the app sets) in window.__notes, and reports the real
 * permission, which the test grants to the browser context.
 */
export const CAPTURE_NOTIFICATIONS = `
  (() => {
    const Real = window.Notification;
    window.__notes = [];
    function Captured(title, options) {
      const note = { title, body: options && options.body, tag: options && options.tag, onclick: null, close() {} };
      window.__notes.push(note);
      return note;
    }
    Object.defineProperty(Captured, 'permission', { get: () => Real.permission });
    Captured.requestPermission = (...args) => Real.requestPermission(...args);
    window.Notification = Captured;
  })();
`;

export interface WebPerson {
  page: Page;
  context: BrowserContext;
  id: string;
  name: string;
}

export interface PersonOptions {
  /** Grants notifications and captures them (CAPTURE_NOTIFICATIONS). */
  notifications?: boolean;
  /** More of the context's options (permissions, viewport...). */
  context?: BrowserContextOptions;
  /** Runs on the context before the page opens (routes, init scripts). */
  prepare?: (context: BrowserContext) => Promise<unknown>;
}

export interface WebApp {
  readonly cluster: Cluster;
  readonly browser: Browser;
  /** Someone signed in through the UI (captured mail), in a browser context of their own, from an address of their own. */
  person(name: string, tag: string, options?: PersonOptions): Promise<WebPerson>;
}

/**
 * A browser suite's setup, one process: one server with the web app and one chromium, started before the suite's
 * tests and stopped after them with every context a test opened.
 */
export function useWebApp(): WebApp {
  let cluster: Cluster;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    cluster = await Cluster.start('single', { env: { SERVE_WEB: 'true' } });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await cluster?.stop();
  });

  return {
    get cluster() {
      return cluster;
    },
    get browser() {
      return browser;
    },
    async person(name, tag, options = {}) {
      const context = await browser.newContext({ viewport: DESKTOP, baseURL: cluster.url, extraHTTPHeaders: { 'x-forwarded-for': randomClientIp() }, ...options.context });
      contexts.push(context);
      if (options.notifications) {
        await context.grantPermissions(['notifications'], { origin: cluster.url });
        await context.addInitScript(CAPTURE_NOTIFICATIONS);
      }
      await options.prepare?.(context);
      const page = await context.newPage();
      await signInThroughUi(page, cluster.url, `${name}-${tag}@example.com`);
      const me = await (await page.request.get('/api/v1/users/me')).json();
      return { page, context, id: me.id as string, name: me.displayName as string };
    },
  };
}
