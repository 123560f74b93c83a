import { ErrorCodes } from '@chat/contracts/errors';
import { eventually, ProbeDeployment, TRANSPORT_KINDS } from '../../../../test/harness/probe-deployment';
import { DomainError } from '../errors/domain-error';

/**
 * The promise "a test that passes in one process passes split": the same handlers and the same BusClient
 * behave identically over the in-process transport, over the in-process transport between two threads' apps
 * (MODULE_THREAD: payloads cross a MessageChannel), and over the real RabbitMQ (two apps, one per role).
 */
describe.each(TRANSPORT_KINDS)('transport contract (%s)', (kind) => {
  let deployment: ProbeDeployment;

  beforeAll(async () => {
    deployment = await ProbeDeployment.start(kind);
  }, 30_000);

  afterAll(async () => {
    await deployment?.stop();
  });

  const failureOf = async (promise: Promise<unknown>): Promise<DomainError> => {
    try {
      await promise;
    } catch (error) {
      return error as DomainError;
    }
    throw new Error('expected the request to fail');
  };

  it('carries a plain JSON request unchanged', async () => {
    const reply = await deployment.bus.request<{ received: unknown; typeOfWhen: string }>('probe.echo', {
      when: '2024-05-06T07:08:09.010Z',
      nested: { list: [1, 'two', null] },
    });
    expect(reply).toEqual({ received: { when: '2024-05-06T07:08:09.010Z', nested: { list: [1, 'two', null] } }, typeOfWhen: 'string' });
  });

  // What crosses a boundary must be plain JSON. RabbitMQ turns a Date into a string; the in-process transport
  // hands objects over without copying, and in checking mode (the one-process e2e runs) refuses what JSON would change.
  if (kind === 'rabbitmq') {
    it('turns values JSON cannot carry into what JSON makes of them (a Date arrives as an ISO string)', async () => {
      const reply = await deployment.bus.request<{ received: unknown }>('probe.echo', { when: new Date('2024-05-06T07:08:09.010Z') });
      expect(reply).toEqual({ received: { when: '2024-05-06T07:08:09.010Z' }, typeOfWhen: 'string' });
      await expect(deployment.bus.request('probe.dated', {})).resolves.toEqual({ repliedAt: '1970-01-01T00:00:00.000Z' });
    });
  } else {
    it('refuses a request or a reply that is not plain JSON, naming where (what would change crossing RabbitMQ)', async () => {
      const request = await failureOf(deployment.bus.request('probe.echo', { when: new Date('2024-05-06T07:08:09.010Z') }));
      expect(request.toPayload()).toEqual({ code: ErrorCodes.INTERNAL, message: 'request probe.echo: $.when is a Date, not plain JSON' });
      const reply = await failureOf(deployment.bus.request('probe.dated', {}));
      expect(reply.toPayload()).toEqual({ code: ErrorCodes.INTERNAL, message: 'reply to probe.dated: $.repliedAt is a Date, not plain JSON' });
    });
  }

  it('answers a request from its owning role only, exactly once per request', async () => {
    const before = deployment.states.reduce((sum, state) => sum + state.ownerCalls, 0);
    const replies = await Promise.all(Array.from({ length: 5 }, () => deployment.bus.request('probe.owner', {})));
    expect(replies).toEqual(Array.from({ length: 5 }, () => ({ role: 'chats' })));
    expect(deployment.states.reduce((sum, state) => sum + state.ownerCalls, 0) - before).toBe(5);
  });

  it('delivers an event to every subscribing role, once each', async () => {
    await deployment.bus.publish('probe.happened', { id: 'e1', at: '2024-01-01T00:00:00.000Z' });
    await eventually(() => expect(deployment.events('probe.happened').map((e) => e.role).sort()).toEqual(['chats', 'users']));
    // Give a duplicate time to show up before asserting there was none.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const seen = deployment.events('probe.happened');
    expect(seen).toHaveLength(2);
    for (const event of seen) expect(event.data).toEqual({ id: 'e1', at: '2024-01-01T00:00:00.000Z' });
  });

  it('delivers an outbox event for good: resolved once every subscriber has it', async () => {
    await deployment.bus.deliver('probe.happened', { id: 'e2' });
    // In one process every handler has finished; over RabbitMQ the broker has confirmed the persistent message.
    await eventually(() => expect(deployment.events('probe.happened').filter((e) => (e.data as { id: string }).id === 'e2')).toHaveLength(2));
  });

  it('brings a handler error to the caller as a DomainError with the same code and message', async () => {
    const error = await failureOf(deployment.bus.request('probe.fail', {}));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.toPayload()).toEqual({ code: ErrorCodes.USER_NOT_FOUND, message: 'No such person' });
  });

  it('turns an unexpected error into COMMON.INTERNAL without its internals', async () => {
    const error = await failureOf(deployment.bus.request('probe.crash', {}));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(ErrorCodes.INTERNAL);
    expect(error.message).not.toContain('hunter2');
  });

  it('gives up on a slow answer after the request timeout with TRANSPORT.TIMEOUT', async () => {
    const started = Date.now();
    const error = await failureOf(deployment.bus.request('probe.slow', { ms: 1500 }, 200));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(ErrorCodes.TRANSPORT_TIMEOUT);
    expect(Date.now() - started).toBeLessThan(1400);
    // The transport still works after a caller gave up (the late reply is dropped, not delivered elsewhere).
    await new Promise((resolve) => setTimeout(resolve, 1400));
    await expect(deployment.bus.request('probe.owner', {})).resolves.toEqual({ role: 'chats' });
  });

  it('fails a request no role handles with TRANSPORT.NO_HANDLER at once, not at its deadline', async () => {
    const started = Date.now();
    const error = await failureOf(deployment.bus.request('probe.nobody', {}, 3000));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(ErrorCodes.TRANSPORT_NO_HANDLER);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
