import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { noteUpgradeResponse, releaseHandshakeRequest } from './handshake-request';

describe('handshake request release', () => {
  it('drops the request from the connection and from the upgrade response that held it', () => {
    const request = new IncomingMessage(new Socket());
    const upgradeResponse = { req: request };
    const next = jest.fn();
    noteUpgradeResponse(request, upgradeResponse, next);
    expect(next).toHaveBeenCalledWith();
    const conn = { request: request as IncomingMessage | null };
    releaseHandshakeRequest(conn);
    expect(conn.request).toBeNull();
    expect(upgradeResponse.req).toBeNull();
    releaseHandshakeRequest(conn); // twice (several namespaces on one connection): nothing left to do
  });

  it('leaves a real ServerResponse alone (polling: Node releases it when the response ends)', () => {
    const request = new IncomingMessage(new Socket());
    const response = new ServerResponse(request);
    noteUpgradeResponse(request, response, () => undefined);
    releaseHandshakeRequest({ request });
    expect(response.req).toBe(request);
  });
});
