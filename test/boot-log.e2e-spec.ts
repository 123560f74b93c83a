import { randomBytes } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { randomClientIp } from './harness/sign-in';
import { connectSocket } from './harness/socket-client';

jest.setTimeout(120_000);

interface LogLine {
  level: number;
  msg?: string;
  context?: string;
  req?: { id?: string };
  responseTime?: number;
}

const INFO = 30;
const parsed = (logs: string): LogLine[] =>
  logs
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

/**
 * What an operator reads at LOG_LEVEL=info: one line with the address (and where sign-in codes go while mail is
 * captured), then only what matters; not Nest's ~140 start-up lines, not a line per request.
 */
describe.each(DEPLOYMENT_MODES)('Boot log at LOG_LEVEL=info (%s)', (mode) => {
  let cluster: Cluster;
  const gatewayName = mode === 'single' ? 'all' : 'gateway';

  beforeAll(async () => {
    cluster = await Cluster.start(mode, { env: { LOG_LEVEL: 'info' } });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('prints one line with the URL, the docs, the socket and where sign-in codes go', async () => {
    const gateway = cluster.process(gatewayName);
    const port = gateway.port;
    const line = await gateway.waitForLog(/"context":"Startup"/);
    const { level, msg } = JSON.parse(line) as LogLine;
    expect(level).toBe(INFO);
    expect(msg).toContain(`http://localhost:${port}/ `);
    expect(msg).toContain(`http://localhost:${port}/docs`);
    expect(msg).toContain(`ws://localhost:${port}/socket.io`);
    expect(msg).toContain(`http://localhost:${port}/dev/mailbox`);
    expect(msg).toContain(mode === 'single' ? 'printed in this log' : "printed in the mail process's log");
    if (mode === 'split') {
      const mail = JSON.parse(await cluster.process('mail').waitForLog(/"context":"Startup"/)) as LogLine;
      expect(mail.msg).toContain('sign-in codes are printed in this log');
      expect(mail.msg).toContain(`http://localhost:${cluster.process('mail').port}/metrics`);
    }
  });

  it("keeps Nest's start-up chatter out of info", async () => {
    for (const [name, process] of cluster.processes) {
      await process.waitForLog(/"context":"Startup"/);
      const infos = parsed(process.logs).filter((line) => line.level <= INFO);
      const chatter = infos.filter((line) => ['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestMicroservice', 'NestFactory', 'NestApplication'].includes(line.context ?? ''));
      expect({ name, chatter }).toEqual({ name, chatter: [] });
      expect({ name, startupLines: infos.filter((line) => line.context === 'Startup').length }).toEqual({ name, startupLines: 1 });
      // Nothing else at start but the broker connection (split mode): the address line is the one to read.
      const others = infos.map((line) => line.msg).filter((msg) => msg !== 'Successfully connected to RMQ broker');
      expect({ name, others }).toEqual({ name, others: [expect.stringContaining('is ready')] });
    }
  });

  it('does not log requests at info', async () => {
    const probes = [`probe-${randomBytes(4).toString('hex')}`, `probe-${randomBytes(4).toString('hex')}`];
    const refused = await fetch(`${cluster.url}/api/v1/users/me`, { headers: { 'x-request-id': probes[0] } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toBe(probes[0]);
    const requested = await fetch(`${cluster.url}/api/v1/auth/otp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': randomClientIp(), 'x-request-id': probes[1] },
      body: JSON.stringify({ email: `probe-${randomBytes(4).toString('hex')}@example.com` }),
    });
    expect(requested.status).toBe(202);
    // A marker the gateway logs (a refused handshake, at warn) after the probes' lines would have been written.
    const marker = `https://marker-${randomBytes(4).toString('hex')}.example`;
    await expect(connectSocket(cluster.url, { token: 'x', origin: marker })).rejects.toMatchObject({ data: { code: 'AUTH.FORBIDDEN' } });
    const gateway = cluster.process(gatewayName);
    await gateway.waitForLog(new RegExp(marker.replace(/\./g, '\\.')));
    // pino-http's line per request ("request completed", with the response and its time); other lines logged
    // while serving a request carry its id too (the captured mail in one process), and are fine.
    const requestLines = parsed(gateway.logs).filter((line) => line.responseTime !== undefined);
    expect(requestLines.filter((line) => probes.includes(line.req?.id ?? ''))).toEqual([]);
    expect(requestLines.filter((line) => line.level <= INFO)).toEqual([]);
  });
});
