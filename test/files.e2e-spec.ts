import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FileRef } from '../libs/contracts/src/messages.contract';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { eventually } from './harness/probe-deployment';
import { seedUsers } from './harness/seed';
import { mintAccessToken } from './harness/tokens';
import { Json, userApi } from './harness/user-api';
import * as corpus from './support/image-corpus';

/** Small limits, so "up to the limit" and "over it" are cheap; a short orphan time, so the sweep is seen. */
const FILE_MAX_BYTES = 512 * 1024;
const ORPHAN_TTL_SECONDS = 3;

/** A WebM (EBML) header over filler: what the server needs to take it as a recording. */
const webmRecording = (bytes = 4096) => Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(bytes - 4, 0x42)]);
const pdfOf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(bytes - 9, 0x20)]);

describe.each(DEPLOYMENT_MODES)('Files and voice messages over real HTTP (%s)', (mode) => {
  let cluster: Cluster;
  let ada: string, bob: string, eve: string;
  let chatId: string;
  const tokens = new Map<string, string>();
  const api = userApi(() => cluster.url, (user) => tokens.get(user)!);

  const uploadFile = async (user: string, bytes: Buffer, filename: string, fields: Record<string, string> = {}): Promise<{ status: number; body: Json }> => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), filename);
    const response = await fetch(`${cluster.url}/api/v1/uploads/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${tokens.get(user)}` } });
    return { status: response.status, body: await response.json() };
  };
  const uploadOk = async (user: string, bytes: Buffer, filename: string, fields: Record<string, string> = {}): Promise<FileRef> => {
    const reply = await uploadFile(user, bytes, filename, fields);
    expect({ status: reply.status, body: reply.body }).toMatchObject({ status: 201 });
    return reply.body as FileRef;
  };
  const send = (user: string, body: Record<string, unknown>) => api.call(user, 'POST', `/chats/${chatId}/messages`, { clientMessageId: randomUUID(), ...body });
  const download = (url: string, headers: Record<string, string> = {}) => fetch(`${cluster.url}${url}`, { headers });
  const storedFileCount = () => {
    const root = join(cluster.dataDir, 'media', 'files');
    return existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0;
  };

  beforeAll(async () => {
    cluster = await Cluster.start(mode, {
      env: { FILE_UPLOAD_MAX_BYTES: String(FILE_MAX_BYTES), UPLOAD_ORPHAN_TTL_SECONDS: String(ORPHAN_TTL_SECONDS) },
      // Split: what files cross (the gateway's media to Messages, Messages' events to the gateway and Chats) goes
      // over RabbitMQ, the upload registry lives in Redis; the other roles stay with the gateway (fewer processes).
      split: [['messages']],
    });
    const people = seedUsers(cluster.dataDir, [
      { email: 'ada@files.test', displayName: 'Ada' },
      { email: 'bob@files.test', displayName: 'Bob' },
      { email: 'eve@files.test', displayName: 'Eve' },
    ]);
    [ada, bob, eve] = people.map((p) => p.id);
    for (const person of people) tokens.set(person.id, mintAccessToken(cluster.jwtSecret, person.id));
    chatId = (await api.ok(ada, 'POST', '/chats/direct', { userId: bob })).id;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('sends a file exactly at the limit; the other member sees its name, size and type and downloads it as an attachment', async () => {
    const bytes = pdfOf(FILE_MAX_BYTES);
    const name = 'Q3 "report" été.pdf';
    const ref = await uploadOk(ada, bytes, name);
    expect(ref).toMatchObject({ name, bytes: FILE_MAX_BYTES, mimeType: 'application/pdf', kind: 'file', durationMs: null });
    expect(ref.key).toMatch(/^[0-9a-f]{32}\.bin$/);
    expect(ref.url).toBe(`/media/files/${ref.key}`);

    const sent = await send(ada, { fileKey: ref.key, text: 'The numbers' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ text: 'The numbers', image: null, file: ref });

    const history = await api.ok(bob, 'GET', `/chats/${chatId}/messages`);
    expect(history.items.at(-1)).toMatchObject({ id: sent.body.id, file: ref });
    // The chat list says what it is, without the URL.
    await eventually(async () => {
      const chats = await api.ok(bob, 'GET', '/chats');
      expect(chats.items.find((c: Json) => c.id === chatId).lastMessage).toMatchObject({ messageId: sent.body.id, file: { kind: 'file', name } });
    });

    const response = await download(ref.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const disposition = response.headers.get('content-disposition')!;
    // An ASCII fallback with the quote escaped, and the exact name in RFC 5987 form.
    expect(disposition).toBe(`attachment; filename="Q3 _report_ _t_.pdf"; filename*=UTF-8''Q3%20%22report%22%20%C3%A9t%C3%A9.pdf`);
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses a file one byte over the limit with 413 MEDIA.TOO_LARGE and stores nothing', async () => {
    const before = storedFileCount();
    const reply = await uploadFile(ada, pdfOf(FILE_MAX_BYTES + 1), 'big.pdf');
    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ code: 'MEDIA.TOO_LARGE', details: { maxBytes: FILE_MAX_BYTES } });
    expect(reply.body.message).toMatch(/upload limit \(512 KB\)/);
    expect(storedFileCount()).toBe(before);
  });

  it('serves HTML and SVG only as downloads of unknown type, and images sent as files too', async () => {
    for (const [bytes, filename] of [
      [Buffer.from('<!doctype html><script>alert(document.cookie)</script>'), 'page.html'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'cat.svg'],
    ] as const) {
      const ref = await uploadOk(ada, bytes, filename);
      expect(ref.mimeType).toBe('application/octet-stream');
      const response = await download(ref.url);
      expect(response.headers.get('content-type')).toBe('application/octet-stream');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${filename.replace('.', '\\.')}"`));
    }
    const png = await uploadOk(ada, await corpus.png(), 'photo.png');
    expect(png.mimeType).toBe('image/png');
    expect((await download(png.url)).headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('sends a voice message with its duration; it plays by ranges', async () => {
    const recording = webmRecording(8192);
    const ref = await uploadOk(ada, recording, 'voice.webm', { kind: 'voice', durationMs: '2100' });
    expect(ref).toMatchObject({ kind: 'voice', durationMs: 2100, mimeType: 'audio/webm', bytes: recording.length });
    const sent = await send(ada, { fileKey: ref.key });
    expect(sent.status).toBe(201);
    const history = await api.ok(bob, 'GET', `/chats/${chatId}/messages`);
    expect(history.items.at(-1)).toMatchObject({ id: sent.body.id, text: null, file: { kind: 'voice', durationMs: 2100 } });

    const part = await download(ref.url, { range: 'bytes=0-99' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-type')).toBe('audio/webm');
    expect(Buffer.from(await part.arrayBuffer()).equals(recording.subarray(0, 100))).toBe(true);

    // Not a recording, or no duration: refused.
    expect(await uploadFile(ada, pdfOf(2000), 'voice.webm', { kind: 'voice', durationMs: '1000' })).toMatchObject({ status: 415, body: { code: 'MEDIA.UNSUPPORTED_TYPE' } });
    expect(await uploadFile(ada, recording, 'voice.webm', { kind: 'voice' })).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
    expect(await uploadFile(ada, recording, 'voice.webm', { kind: 'video', durationMs: '5' })).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
  });

  it('attaches only my own upload, to one message, never beside an image', async () => {
    const ref = await uploadOk(ada, Buffer.from('notes'), 'notes.txt');
    expect(await send(eve, { fileKey: ref.key })).toMatchObject({ status: 404 });
    const eveChat = (await api.ok(eve, 'POST', '/chats/direct', { userId: bob })).id;
    expect(await api.call(eve, 'POST', `/chats/${eveChat}/messages`, { clientMessageId: randomUUID(), fileKey: ref.key })).toMatchObject({
      status: 404,
      body: { code: 'MEDIA.NOT_FOUND' },
    });
    expect(await send(ada, { fileKey: ref.key, imageKey: '0123456789abcdef0123456789abcdef.webp' })).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
    expect(await send(ada, { fileKey: ref.key })).toMatchObject({ status: 201 });
    expect(await send(ada, { fileKey: ref.key })).toMatchObject({ status: 404, body: { code: 'MEDIA.NOT_FOUND' } });
  });

  it('removes the file of a message deleted for everyone', async () => {
    const ref = await uploadOk(ada, Buffer.from('secret plans'), 'plans.txt');
    const sent = await send(ada, { fileKey: ref.key });
    expect((await download(ref.url)).status).toBe(200);
    const tombstone = await api.ok(ada, 'DELETE', `/messages/${sent.body.id}`);
    expect(tombstone).toMatchObject({ deletedAt: expect.any(String), file: null });
    await eventually(async () => expect((await download(ref.url)).status).toBe(404));
  });

  it('documents the file upload, the download and the file of a message in Swagger', async () => {
    const document = await (await fetch(`${cluster.url}/docs-json`)).json();
    const route = document.paths['/api/v1/uploads/files'].post;
    expect(Object.keys(route.requestBody.content)).toEqual(['multipart/form-data']);
    expect(Object.keys(route.requestBody.content['multipart/form-data'].schema.properties).sort()).toEqual(['durationMs', 'file', 'kind']);
    expect(route.responses['413'].description).toContain('MEDIA.TOO_LARGE');
    expect(document.paths['/media/files/{key}'].get).toBeDefined();
    expect(document.components.schemas.MessageResponse.properties.file).toBeDefined();
    expect(document.components.schemas.FileRefResponse.required).toEqual(expect.arrayContaining(['key', 'url', 'name', 'mimeType', 'bytes', 'kind', 'durationMs']));
  });

  it('deletes uploads never attached to a message after the orphan time, and keeps attached ones', async () => {
    const attached = await uploadOk(ada, Buffer.from('attached'), 'kept.txt');
    expect(await send(ada, { fileKey: attached.key })).toMatchObject({ status: 201 });
    // Uploaded after the attached one, so once it is gone the attached one's time has passed too.
    const orphan = await uploadOk(ada, Buffer.from('orphan'), 'orphan.txt');
    const image = await (async () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(await corpus.png())], { type: 'image/png' }), 'p.png');
      const response = await fetch(`${cluster.url}/api/v1/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${tokens.get(ada)}` } });
      expect(response.status).toBe(201);
      return (await response.json()) as Json;
    })();
    expect((await download(orphan.url)).status).toBe(200);

    await eventually(async () => {
      expect((await download(orphan.url)).status).toBe(404);
      expect((await download(image.url)).status).toBe(404);
    }, 15_000);
    expect((await download(attached.url)).status).toBe(200);
    // Swept: it can no longer be attached either.
    expect(await send(ada, { fileKey: orphan.key })).toMatchObject({ status: 404, body: { code: 'MEDIA.NOT_FOUND' } });
  });
});
