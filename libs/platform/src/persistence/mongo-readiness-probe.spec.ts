import { mongoReadinessProbe, PingableConnection } from './mongo-readiness-probe';

const connection = (readyState: number, ping: () => Promise<unknown>): PingableConnection =>
  ({ readyState, db: { admin: () => ({ ping }) } }) as unknown as PingableConnection;

describe('mongoReadinessProbe', () => {
  it('is ready when connected and the server answers a ping', async () => {
    await expect(Promise.resolve(mongoReadinessProbe('messages-db', connection(1, async () => ({ ok: 1 }))).check())).resolves.toBeUndefined();
  });

  it('is not ready while disconnected or connecting, without asking the server', async () => {
    const ping = jest.fn(async () => ({ ok: 1 }));
    for (const state of [0, 2, 3]) {
      await expect(Promise.resolve(mongoReadinessProbe('messages-db', connection(state, ping)).check())).rejects.toThrow(/not connected/);
    }
    expect(ping).not.toHaveBeenCalled();
  });

  it('is not ready when the ping fails or never answers', async () => {
    await expect(Promise.resolve(mongoReadinessProbe('x', connection(1, async () => Promise.reject(new Error('no primary')))).check())).rejects.toThrow('no primary');
    const hanging = connection(1, () => new Promise(() => undefined));
    await expect(Promise.resolve(mongoReadinessProbe('x', hanging, 20).check())).rejects.toThrow(/did not answer a ping/);
  });
});
