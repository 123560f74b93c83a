import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MessageDeletedEvent, MessagesEvents } from '@chat/contracts';
import {
  BusClient,
  HealthModule,
  KeyValueModule,
  loadConfig,
  PlatformConfigModule,
  RoleServerFactory,
  TransportModule,
} from '@chat/platform';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as corpus from '../../../../test/support/image-corpus';
import { MediaStore } from '../media-store.port';
import { MediaModule } from '../media.module';
import { thumbnailNameOf } from '../media-names';

const fileOf = (dataDir: string, name: string) => join(dataDir, 'media', name.slice(0, 2), name);

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The gateway's subscription to `message.deleted`, through the real in-process transport, the real MediaModule
 * and the local-disk store: the event as Messages publishes it removes the image and its thumbnail.
 */
describe('MediaEventsController (gateway role, in-process transport, local disk)', () => {
  let app: INestApplication;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'media-events-'));
    const config = loadConfig({ MODULES: 'all', DATA_DIR: dataDir, NODE_ENV: 'test' });
    @Module({
      imports: [PlatformConfigModule.forRoot(config), TransportModule.forRoot(config), KeyValueModule.forRoot(config), HealthModule, MediaModule.forRoot(config)],
    })
    class TestModule {}
    const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.connectMicroservice({ strategy: app.get(RoleServerFactory).create('gateway') }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const deletedEvent = (removedImageKey: string | null, removedFileKey: string | null = null): MessageDeletedEvent => ({
    message: {
      id: 'm1',
      chatId: 'c1',
      seq: 7,
      senderId: 'alice',
      clientMessageId: 'client-1',
      text: null,
      image: null,
      file: null,
      replyTo: null,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: new Date().toISOString(),
      system: null,
      forwarded: false,
    },
    memberIds: ['alice', 'bob'],
    removedImageKey,
    removedFileKey,
  });

  it('removes the image of a message deleted for everyone, and leaves other images alone', async () => {
    const media = app.get(MediaStore);
    const incoming = async () => {
      const buffer = await corpus.png();
      return { buffer, originalName: 'a.png', declaredMimeType: 'image/png', size: buffer.length };
    };
    const doomed = await media.storeImage(await incoming(), 'alice');
    const kept = await media.storeImage(await incoming(), 'alice');
    expect(existsSync(fileOf(dataDir, doomed.key))).toBe(true);
    expect(existsSync(fileOf(dataDir, thumbnailNameOf(doomed.key)))).toBe(true);

    const bus = app.get(BusClient);
    await bus.publish(MessagesEvents.deleted, deletedEvent(null));
    await bus.publish(MessagesEvents.deleted, deletedEvent('../../../etc/passwd'));
    await bus.publish(MessagesEvents.deleted, deletedEvent(doomed.key));

    await until(() => !existsSync(fileOf(dataDir, doomed.key)) && !existsSync(fileOf(dataDir, thumbnailNameOf(doomed.key))));
    await expect(media.claimImage(doomed.key, 'alice', 'm1')).rejects.toMatchObject({ code: 'MEDIA.NOT_FOUND' });
    expect(existsSync(fileOf(dataDir, kept.key))).toBe(true);

    // Redelivery of the same event is harmless.
    await bus.publish(MessagesEvents.deleted, deletedEvent(doomed.key));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(fileOf(dataDir, kept.key))).toBe(true);
  });

  it('removes the file of a message deleted for everyone, and leaves other files alone', async () => {
    const media = app.get(MediaStore);
    const incoming = (text: string) => ({ buffer: Buffer.from(text), originalName: 'notes.txt', declaredMimeType: 'text/plain', size: text.length });
    const doomed = await media.storeFile(incoming('doomed'), 'alice', { kind: 'file' });
    const kept = await media.storeFile(incoming('kept'), 'alice', { kind: 'file' });
    const stored = (key: string) => existsSync(join(dataDir, 'media', 'files', key.slice(0, 2), key));
    expect(stored(doomed.key)).toBe(true);

    const bus = app.get(BusClient);
    await bus.publish(MessagesEvents.deleted, deletedEvent(null, '../../../etc/passwd'));
    await bus.publish(MessagesEvents.deleted, deletedEvent(null, doomed.key));
    await until(() => !stored(doomed.key));
    await expect(media.claimFile(doomed.key, 'alice', 'm1')).rejects.toMatchObject({ code: 'MEDIA.NOT_FOUND' });
    expect(stored(kept.key)).toBe(true);
  });
});
