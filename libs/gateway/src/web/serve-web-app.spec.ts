import { isServerPath, PageScriptHashes } from './serve-web-app';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inlineScriptHashes } from '../http/content-security-policy';

describe('isServerPath', () => {
  it('keeps the server its own routes', () => {
    for (const path of ['/api', '/api/v1/chats', '/docs', '/docs-json', '/health/ready', '/metrics', '/socket.io/', '/media/ab/cd.webp', '/dev/mailbox']) {
      expect(isServerPath(path)).toBe(true);
    }
  });

  it('leaves pages and look-alike names to the web app', () => {
    for (const path of ['/', '/chats', '/sign-in', '/settings', '/apis', '/developer', '/mediator', '/healthy', '/metricsx']) {
      expect(isServerPath(path)).toBe(false);
    }
  });
});

describe('PageScriptHashes', () => {
  it('hashes a page once, and again after a new build rewrote it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'page-hashes-')), 'index.html');
    writeFileSync(file, '<script>one()</script>');
    const pages = new PageScriptHashes();
    const first = pages.of(file);
    expect(first).toEqual(inlineScriptHashes('<script>one()</script>'));
    writeFileSync(file, '<script>two()</script>');
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(pages.of(file)).toEqual(inlineScriptHashes('<script>two()</script>'));
    expect(pages.of(file)).not.toEqual(first);
  });
});
