import { createECDH, createPublicKey, ECDH, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { IncomingMessage } from 'node:http';
import { createServer, Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from 'jsonwebtoken';
import { freePort } from './ports';

// http_ece (RFC 8188), which web-push itself uses to encrypt: here it decrypts, as a browser would. It has no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ece: { decrypt(body: Buffer, params: { version: string; privateKey: ECDH; authSecret: string }): Buffer } = require('http_ece');

/** A push as a browser would see it, after the checks a push service and a browser make. */
export interface ReceivedPush {
  device: string;
  payload: any;
  ttl: number;
  urgency: string | null;
  vapid: { publicKey: string; audience: string; subject: string; expiresAt: number };
}

/** A browser's subscription: its endpoint on this service and the keys the payload is encrypted for. */
export class Device {
  private readonly ecdh: ECDH;
  private readonly authSecret = randomBytes(16);
  /** The status the service answers for this device: 201, or 404/410 once the subscription is gone. */
  status = 201;
  /** Pushes answered with a status other than 201. */
  refused = 0;

  constructor(
    readonly name: string,
    readonly endpoint: string,
  ) {
    this.ecdh = createECDH('prime256v1');
    this.ecdh.generateKeys();
  }

  get subscription() {
    return { endpoint: this.endpoint, keys: { p256dh: this.ecdh.getPublicKey().toString('base64url'), auth: this.authSecret.toString('base64url') }, expirationTime: null };
  }

  decrypt(body: Buffer): Buffer {
    return ece.decrypt(body, { version: 'aes128gcm', privateKey: this.ecdh, authSecret: this.authSecret.toString('base64url') });
  }
}

/** `vapid t=<jwt>, k=<public key>`: the JWT verified (ES256) with the key the header names. */
function checkVapid(header: string | undefined, endpointOrigin: string): ReceivedPush['vapid'] {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match) throw new Error(`not a VAPID authorization: ${header}`);
  const [, token, publicKey] = match;
  const raw = Buffer.from(publicKey, 'base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') }, format: 'jwk' });
  const claims = verify(token, key, { algorithms: ['ES256'], audience: endpointOrigin }) as { sub: string; aud: string; exp: number };
  return { publicKey, audience: claims.aud, subject: claims.sub, expiresAt: claims.exp };
}

/**
 * A local Web Push service: devices subscribe with an endpoint here; every push is checked (VAPID signature,
 * headers) and decrypted with the device's keys, as a push service and the browser would, and kept in order.
 * Push services are HTTPS: this one has a self-signed certificate for 127.0.0.1, which the server processes trust
 * through NODE_EXTRA_CA_CERTS=`caFile`.
 */
export class PushServiceStandIn {
  readonly received: ReceivedPush[] = [];
  /** Requests refused (bad VAPID, undecryptable): a test expects none. */
  readonly rejected: string[] = [];
  private readonly devices = new Map<string, Device>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private readonly dir: string,
  ) {}

  /** The certificate the server processes must trust (NODE_EXTRA_CA_CERTS). */
  get caFile(): string {
    return join(this.dir, 'cert.pem');
  }

  static async start(): Promise<PushServiceStandIn> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'push-service-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore' });
    let service!: PushServiceStandIn;
    const tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
    const server = createServer(tls, (request, response) => {
      service.handle(request).then(
        (status) => response.writeHead(status).end(),
        (error: Error) => {
          service.rejected.push(error.message);
          response.writeHead(400).end();
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    service = new PushServiceStandIn(server, `https://127.0.0.1:${port}`, dir);
    return service;
  }

  device(name: string): Device {
    const device = new Device(name, `${this.origin}/push/${name}`);
    this.devices.set(name, device);
    return device;
  }

  pushesTo(device: Device): ReceivedPush[] {
    return this.received.filter((push) => push.device === device.name);
  }

  /** Resolves with the first push to `device` that matches, however long ago it came. */
  async next(device: Device, matches: (payload: any) => boolean, timeoutMs = 15_000): Promise<ReceivedPush> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.pushesTo(device).find((push) => matches(push.payload));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching push to ${device.name} within ${timeoutMs} ms (got ${JSON.stringify(this.pushesTo(device).map((p) => p.payload))})`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
        setTimeout(wake, 200);
      });
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async handle(request: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const name = /^\/push\/([^/]+)$/.exec(request.url ?? '')?.[1];
    const device = name ? this.devices.get(name) : undefined;
    if (request.method !== 'POST' || !device) return 404;
    if (device.status !== 201) {
      device.refused++;
      return device.status;
    }
    if (request.headers['content-encoding'] !== 'aes128gcm') throw new Error(`content-encoding ${request.headers['content-encoding']}`);
    const vapid = checkVapid(request.headers.authorization, this.origin);
    const payload = JSON.parse(device.decrypt(Buffer.concat(chunks)).toString('utf8'));
    this.received.push({ device: device.name, payload, ttl: Number(request.headers.ttl), urgency: (request.headers.urgency as string) ?? null, vapid });
    for (const wake of [...this.waiters]) wake();
    return 201;
  }
}
