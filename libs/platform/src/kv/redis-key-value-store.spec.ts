import { createServer, Server, Socket } from 'node:net';
import { RedisKeyValueStore } from './redis-key-value-store';

/** A "Redis" that accepts connections and never answers: what a stalled server looks like to a client. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('RedisKeyValueStore when Redis does not answer', () => {
  const unavailable = { code: 'COMMON.DEPENDENCY_UNAVAILABLE', message: expect.stringContaining('Redis is unavailable') };

  it('fails each call with COMMON.DEPENDENCY_UNAVAILABLE when Redis is stalled', async () => {
    const silent = await silentServer();
    const store = RedisKeyValueStore.connect(silent.url, 'unit', 200);
    try {
      await expect(store.get('k')).rejects.toMatchObject(unavailable);
      await expect(store.increment('k', 1000)).rejects.toMatchObject(unavailable);
      await expect(store.setMembers('s')).rejects.toMatchObject(unavailable);
    } finally {
      store.client.disconnect();
      await silent.close();
    }
  });

  it('fails each call with COMMON.DEPENDENCY_UNAVAILABLE when nothing listens', async () => {
    const silent = await silentServer();
    const url = silent.url;
    await silent.close(); // the port is free again: connections are refused
    const store = RedisKeyValueStore.connect(url, 'unit', 200);
    try {
      await expect(store.set('k', 'v', 1000)).rejects.toMatchObject(unavailable);
      await expect(store.addToSet('s', ['a'], 1000)).rejects.toMatchObject(unavailable);
    } finally {
      store.client.disconnect();
    }
  });
});
