import { spawn } from 'node:child_process';
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupNamespace, RABBITMQ_URL, REDIS_URL, requireRabbitMq, requireRedis } from './harness/services';

jest.setTimeout(60_000);

const SCRIPT = join(__dirname, 'support', 'loaded-modules.js');
const MONGO_PACKAGES = ['mongoose', 'mongodb', '@nestjs/mongoose', 'bson'];
const SMTP_PACKAGES = ['@nestjs-modules/mailer', 'nodemailer'];
const CLOUDINARY_PACKAGES = ['cloudinary'];
// The key-value store, the sign-in limits and the gateways' fan-out over Redis.
const REDIS_PACKAGES = ['ioredis', '@nest-lab/throttler-storage-redis', '@socket.io/redis-streams-adapter'];
// Each module's MongoDB adapter, which its persistence module requires only when MONGODB_URI is set.
const MONGO_ADAPTERS = [
  'libs/users/src/persistence/mongo/users.mongo-persistence.js',
  'libs/auth/src/persistence/mongo/sessions.mongo-persistence.js',
  'libs/chats/src/persistence/mongo/chats.mongo-persistence.js',
  'libs/messages/src/persistence/mongo/messages.mongo-persistence.js',
  'libs/mail/src/capture/mongo/captured-mailbox.mongo-persistence.js',
];

interface Loaded {
  packages: string[];
  adapters: string[];
  /** The libs/ folders the process loaded code from. */
  libs: string[];
  gatewayFiles: string[];
}

/** Runs test/support/loaded-modules.js in a fresh process of the built server with `env`, and reads its report. */
function loadedWith(env: Record<string, string>): Promise<Loaded> {
  const cwd = mkdtempSync(join(tmpdir(), 'chat-footprint-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATA_DIR: join(cwd, 'data'), PORT: '0', HOST: '127.0.0.1',
        LOG_LEVEL: 'error', SERVE_WEB: 'false', MODULES: 'all', MODULE_THREAD: 'none', ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => {
      rmSync(cwd, { recursive: true, force: true });
      const report = stdout.split('\n').find((line) => line.startsWith('{"packages"'));
      if (code !== 0 || !report) return reject(new Error(`exit ${code}\n${stdout}\n${stderr}`));
      resolve(JSON.parse(report) as Loaded);
    });
  });
}

/** A VAPID pair as a deployment configures it (or as a second boot reads it from DATA_DIR): base64url P-256 keys. */
function vapidPair(): Record<string, string> {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { WEB_PUSH_VAPID_PUBLIC_KEY: ecdh.getPublicKey('base64url'), WEB_PUSH_VAPID_PRIVATE_KEY: ecdh.getPrivateKey('base64url') };
}

/**
 * A process loads the client library of an optional backend (MongoDB, SMTP, Cloudinary, Redis) only when it is
 * configured, and web-push only to make its key pair or to push: the embedded defaults boot without them, sooner and smaller.
 */
describe('what a process loads for its backends', () => {
  it('on the embedded defaults the server starts and stops without Mongoose, the mailer, the Cloudinary SDK, ioredis or web-push', async () => {
    const loaded = await loadedWith({ BOOT: 'start', ...vapidPair() });
    expect(loaded.packages).toEqual(expect.arrayContaining(['better-sqlite3', '@nestjs/core', 'engine.io']));
    const optional = [...MONGO_PACKAGES, ...SMTP_PACKAGES, ...CLOUDINARY_PACKAGES, ...REDIS_PACKAGES, 'web-push'];
    expect(loaded.packages.filter((name) => optional.includes(name))).toEqual([]);
    expect(loaded.adapters).toEqual([]);
  });

  it('with REDIS_URL one process takes the Redis store, limits and fan-out; a first boot makes its VAPID pair with web-push', async () => {
    await requireRedis();
    const namespace = `t${randomBytes(5).toString('hex')}`;
    try {
      const loaded = await loadedWith({ BOOT: 'start', REDIS_URL, NAMESPACE: namespace });
      expect(loaded.packages).toEqual(expect.arrayContaining([...REDIS_PACKAGES, 'web-push']));
    } finally {
      await cleanupNamespace(namespace, []).catch(() => undefined);
    }
  });

  it('with MONGODB_URI every module builds its MongoDB adapter (no connection is made to build them)', async () => {
    const loaded = await loadedWith({ BOOT: 'define', MONGODB_URI: 'mongodb://127.0.0.1:9/chat' });
    expect(loaded.packages).toEqual(expect.arrayContaining(['mongoose', '@nestjs/mongoose']));
    expect(loaded.adapters).toEqual(expect.arrayContaining(MONGO_ADAPTERS));
  });

  it('with SMTP_URL and CLOUDINARY_URL the mailer and the Cloudinary SDK are loaded to build the mail and media modules', async () => {
    const loaded = await loadedWith({ BOOT: 'define', SMTP_URL: 'smtp://127.0.0.1:9', CLOUDINARY_URL: 'cloudinary://key:secret@cloud' });
    expect(loaded.packages).toEqual(expect.arrayContaining([...SMTP_PACKAGES, ...CLOUDINARY_PACKAGES]));
    expect(loaded.packages.filter((name) => MONGO_PACKAGES.includes(name))).toEqual([]);
  });
});

/** A process requires the code of the roles it runs (apps/server/src/role-modules.ts), and no other. */
describe('what a process loads for its roles', () => {
  it("a Messages process over RabbitMQ and Redis starts and stops without the gateway's edge, Swagger, Socket.IO or the other modules", async () => {
    await requireRabbitMq();
    await requireRedis();
    const namespace = `t${randomBytes(5).toString('hex')}`;
    try {
      const loaded = await loadedWith({ BOOT: 'start', MODULES: 'messages', RABBITMQ_URL, REDIS_URL, NAMESPACE: namespace });
      expect(loaded.libs.sort()).toEqual(['contracts', 'gateway', 'messages', 'platform']);
      // Of the gateway, only the error filters every process applies (apps/server/src/bootstrap.ts).
      expect(loaded.gatewayFiles.sort()).toEqual([
        'libs/gateway/src/error-filters.js',
        'libs/gateway/src/errors/error-status.js',
        'libs/gateway/src/errors/http-error.filter.js',
        'libs/gateway/src/realtime/ws-error.filter.js',
      ]);
      expect(loaded.packages).toEqual(expect.arrayContaining(['amqplib', 'ioredis', 'better-sqlite3']));
      expect(loaded.packages.filter((name) => ['@nestjs/swagger', 'engine.io', 'socket.io-adapter', 'sharp'].includes(name))).toEqual([]);
    } finally {
      await cleanupNamespace(namespace, [`${namespace}.messages`, `${namespace}.messages.retry`, `${namespace}.messages.dead`]).catch(() => undefined);
    }
  });
});
