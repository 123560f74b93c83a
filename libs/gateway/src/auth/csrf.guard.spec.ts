import { ExecutionContext } from '@nestjs/common';
import { AppConfig, EnvironmentVariables } from '@chat/platform';
import { CsrfGuard } from './csrf.guard';

const guard = new CsrfGuard(new AppConfig(Object.assign(new EnvironmentVariables(), { CORS_ORIGINS: 'https://chat.example' })));
const contextFor = (request: object) =>
  ({ getType: () => 'http', switchToHttp: () => ({ getRequest: () => ({ headers: {}, cookies: {}, ...request }) }) }) as unknown as ExecutionContext;
const allowed = (request: object) => {
  try {
    return guard.canActivate(contextFor(request));
  } catch {
    return false;
  }
};

describe('CsrfGuard', () => {
  const cookie = { cookies: { access: 't' } };

  it('refuses a cookie write with neither the header nor an allowed origin', () => {
    expect(allowed({ method: 'POST', ...cookie })).toBe(false);
    expect(allowed({ method: 'DELETE', ...cookie, headers: { origin: 'https://evil.example' } })).toBe(false);
    expect(allowed({ method: 'POST', cookies: { '__Secure-refresh': 'r' } })).toBe(false);
  });

  it('refuses a cookie write whose Bearer header carries no usable token (the guard would use the cookie)', () => {
    for (const authorization of ['Bearer \u00a0', 'Bearer ', 'Bearer\u3000x', 'bearer x']) {
      expect(allowed({ method: 'POST', ...cookie, headers: { authorization } })).toBe(false);
    }
  });

  it('refuses a write from a foreign page even without a session cookie (login CSRF), accepts this host and no Origin', () => {
    const form = { method: 'POST', headers: { host: 'chat.example', origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' } };
    expect(allowed(form)).toBe(false);
    expect(allowed({ method: 'POST', headers: { host: 'chat.example', origin: 'null' } })).toBe(false);
    expect(allowed({ method: 'POST', headers: { host: 'api.example:8443', origin: 'https://api.example:8443' } })).toBe(true);
    expect(allowed({ method: 'POST', ...cookie, headers: { host: 'api.example:8443', origin: 'https://api.example:8443' } })).toBe(true);
    expect(allowed({ method: 'POST', headers: { host: 'chat.example' } })).toBe(true);
  });

  it('accepts the custom header, an allowed origin, Bearer, reads, and cookie-less writes', () => {
    expect(allowed({ method: 'POST', ...cookie, headers: { 'x-requested-with': 'relay' } })).toBe(true);
    expect(allowed({ method: 'PATCH', ...cookie, headers: { 'x-csrf': '1' } })).toBe(true);
    expect(allowed({ method: 'PUT', ...cookie, headers: { origin: 'https://chat.example' } })).toBe(true);
    expect(allowed({ method: 'POST', ...cookie, headers: { authorization: 'Bearer x' } })).toBe(true);
    expect(allowed({ method: 'GET', ...cookie })).toBe(true);
    expect(allowed({ method: 'POST' })).toBe(true);
  });
});
