import { isAllowedPushEndpoint, parseHostList } from './push-endpoint-policy';

describe('isAllowedPushEndpoint', () => {
  const hosts = parseHostList('fcm.googleapis.com, push.services.mozilla.com,127.0.0.1');

  it('accepts https endpoints on a listed push service or its subdomains', () => {
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com/fcm/send/abc', hosts)).toBe(true);
    expect(isAllowedPushEndpoint('https://updates.push.services.mozilla.com/wpush/v2/x', hosts)).toBe(true);
    expect(isAllowedPushEndpoint('https://127.0.0.1:4567/push/1', hosts)).toBe(true);
  });

  it('refuses anything else: other hosts, look-alikes, plain http off loopback, credentials, junk', () => {
    expect(isAllowedPushEndpoint('https://evil.example/fcm.googleapis.com', hosts)).toBe(false);
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com.evil.example/x', hosts)).toBe(false);
    expect(isAllowedPushEndpoint('https://notfcm.googleapis.com/x', hosts)).toBe(false);
    expect(isAllowedPushEndpoint('http://fcm.googleapis.com/x', hosts)).toBe(false);
    expect(isAllowedPushEndpoint('https://user:pw@fcm.googleapis.com/x', hosts)).toBe(false);
    expect(isAllowedPushEndpoint('http://127.0.0.1:4567/x', hosts)).toBe(false);
    expect(isAllowedPushEndpoint('https://localhost:4567/x', hosts)).toBe(false);
    expect(isAllowedPushEndpoint('file:///etc/passwd', hosts)).toBe(false);
    expect(isAllowedPushEndpoint('not a url', hosts)).toBe(false);
  });
});
