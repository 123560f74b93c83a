import { isServerPath } from './serve-web-app';

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
