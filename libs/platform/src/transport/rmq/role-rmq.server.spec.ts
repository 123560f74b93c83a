import { ErrorCodes } from '@chat/contracts/errors';
import { RmqContext } from '@nestjs/microservices';
import * as amqp from 'amqplib';
import { eventually, ProbeDeployment } from '../../../../../test/harness/probe-deployment';
import { RABBITMQ_URL } from '../../../../../test/harness/services';
import { TcpProxy } from '../../../../../test/harness/tcp-proxy';
import { DomainError } from '../../errors/domain-error';
import { AppConfig } from '../../config/app-config';
import { EnvironmentVariables } from '../../config/env.schema';
import { deliveriesOf, RoleRmqServer } from './role-rmq.server';

const failureOf = async (promise: Promise<unknown>): Promise<DomainError> => {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a failure');
};

describe('deliveriesOf (the retry header)', () => {
  it('reads what the server writes and refuses anything else', () => {
    expect(deliveriesOf(undefined)).toBe(1);
    expect(deliveriesOf({})).toBe(1);
    expect(deliveriesOf({ 'x-chat-deliveries': 3 })).toBe(3);
    expect(deliveriesOf({ 'x-chat-deliveries': '2' })).toBe(2);
    for (const bad of ['abc', '1.5', '-1', '1e99', '', ' 2', 1.5, -1, 0, 1e99, Number.NaN, true, { n: 1 }]) {
      expect(deliveriesOf({ 'x-chat-deliveries': bad })).toBeNull();
    }
  });
});

describe('RoleRmqServer readiness while it cannot settle', () => {
  it('counts a message it could not move on the live channel (readiness fails while there is one)', async () => {
    const config = new AppConfig(Object.assign(new EnvironmentVariables(), { RABBITMQ_URL: 'amqp://127.0.0.1:1', NAMESPACE: 'unit' }));
    const server = new RoleRmqServer(config, 'users');
    (server as unknown as { logger: { error(): void; warn(): void } }).logger = { error: () => undefined, warn: () => undefined };
    const refusing = {
      ack: jest.fn(),
      cancel: async () => undefined,
      assertQueue: async () => undefined,
      // The broker (or amqplib) refuses the dead-letter copy.
      sendToQueue: (_queue: string, _content: Buffer, _options: unknown, confirmed?: (err: unknown) => void) => {
        confirmed?.(new Error('refused'));
        return false;
      },
    };
    (server as unknown as { consuming: unknown }).consuming = refusing;
    // No handler here for the pattern: the event is to be dead-lettered, and the copy is refused.
    const message = { content: Buffer.from('{}'), properties: { headers: {} }, fields: { redelivered: false } };
    expect(server.unsettledCount()).toBe(0);
    await server.handleEvent('probe.fine', { data: {} }, new RmqContext([message, refusing, 'probe.fine']));
    expect(refusing.ack).not.toHaveBeenCalled();
    expect(server.unsettledCount()).toBe(1);
  });
});

/** Reliability of the RabbitMQ transport on the real broker: what the in-process transport cannot show. */
describe('RabbitMQ role server and client (real broker)', () => {
  let connection: amqp.ChannelModel;
  let channel: amqp.Channel;

  beforeAll(async () => {
    connection = await amqp.connect(RABBITMQ_URL);
    channel = await connection.createChannel();
  });

  afterAll(async () => {
    await connection?.close();
  });

  const depth = async (queue: string) => (await channel.checkQueue(queue)).messageCount;

  describe('poison and unknown messages', () => {
    let deployment: ProbeDeployment;

    beforeAll(async () => {
      deployment = await ProbeDeployment.start('rabbitmq', { RABBITMQ_MAX_DELIVERIES: '3' });
    }, 30_000);

    afterAll(async () => {
      await deployment?.stop();
    });

    it('retries a failing event with backoff, dead-letters it after RABBITMQ_MAX_DELIVERIES, and keeps consuming', async () => {
      const dead = `${deployment.namespace}.users.dead`;
      const users = deployment.states[0];
      const started = Date.now();
      await deployment.bus.publish('probe.poison', { id: 'bad' });
      await deployment.bus.publish('probe.fine', { id: 'good-1' });
      // The healthy event does not wait behind the poisoned one's retries.
      await eventually(() => expect(deployment.events('probe.fine')).toHaveLength(1), 2000);

      await eventually(() => expect(users.poisonAttempts).toBe(3), 10_000);
      await eventually(async () => expect(await depth(dead)).toBe(1), 5000);
      // Backoff between tries: 250 ms then 500 ms at least.
      expect(Date.now() - started).toBeGreaterThanOrEqual(750);

      const parked = await channel.get(dead, { noAck: true });
      expect(parked && JSON.parse(parked.content.toString())).toMatchObject({ pattern: 'probe.poison', data: { id: 'bad' } });
      expect(parked && parked.properties.headers?.['x-chat-deliveries']).toBe(3);

      // No fourth try later, and the consumer still takes new work.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(users.poisonAttempts).toBe(3);
      await deployment.bus.publish('probe.fine', { id: 'good-2' });
      await eventually(() => expect(deployment.events('probe.fine')).toHaveLength(2));
      expect(await depth(`${deployment.namespace}.users`)).toBe(0);
    });

    it('never freezes on patterns it does not handle or on unreadable bodies', async () => {
      const queue = `${deployment.namespace}.users`;
      const dead = `${queue}.dead`;
      // A durable queue can keep a binding its current handlers no longer answer (an older version's).
      await channel.bindQueue(queue, `${deployment.namespace}.bus`, 'probe.stale');
      const deadBefore = await depth(dead);

      const stale = await failureOf(deployment.bus.request('probe.stale', {}, 2000));
      expect(stale.code).toBe(ErrorCodes.TRANSPORT_NO_HANDLER);
      await deployment.bus.publish('probe.stale', { id: 'stale-event' });
      channel.sendToQueue(queue, Buffer.from('this is not JSON'), { persistent: true });
      // A request without a reply address: nobody to answer, so it is parked rather than held.
      channel.sendToQueue(queue, Buffer.from(JSON.stringify({ id: 'r1', pattern: 'probe.echo', data: { when: 1 } })));

      await eventually(async () => expect(await depth(dead)).toBe(deadBefore + 3));
      // Many more of them than the prefetch window: had any stayed unacked, this would hang.
      for (let i = 0; i < 40; i++) channel.sendToQueue(queue, Buffer.from(`garbage ${i}`));
      await deployment.bus.publish('probe.fine', { id: 'after-garbage' });
      await eventually(() => expect(deployment.events('probe.fine').map((e) => e.data)).toContainEqual({ id: 'after-garbage' }));
      await eventually(async () => expect(await depth(queue)).toBe(0));
    });

    it('settles and dead-letters once each an event whose retry header it did not write, and keeps taking work', async () => {
      const queue = `${deployment.namespace}.users`;
      const dead = `${queue}.dead`;
      const exchange = `${deployment.namespace}.bus`;
      const ids: string[] = [];
      const poisonAttemptsBefore = deployment.states[0].poisonAttempts;
      const publish = (pattern: string, id: string, header: unknown) => {
        ids.push(id);
        channel.publish(exchange, pattern, Buffer.from(JSON.stringify({ pattern, data: { id } })), { persistent: true, headers: { 'x-chat-deliveries': header } });
      };
      const malformed: unknown[] = ['abc', '1.5', '-1', '1e99', 1.5, -1, 0];
      // Once to a handler that would succeed, once to one that fails (the retry path did arithmetic on the header).
      malformed.forEach((header, i) => publish('probe.fine', `malformed-${i}`, header));
      malformed.forEach((header, i) => publish('probe.poison', `poison-${i}`, header));
      // More of them than the prefetch window (32): had any stayed unsettled, the consumer would freeze.
      for (let i = 0; i < 40; i++) publish('probe.fine', `abc-${i}`, 'abc');

      // The parked copies of this test's events (earlier tests park theirs in the same queue).
      const parked: string[] = [];
      const drainDead = async () => {
        for (let message = await channel.get(dead, { noAck: true }); message; message = await channel.get(dead, { noAck: true })) {
          let id: unknown;
          try {
            id = JSON.parse(message.content.toString())?.data?.id;
          } catch {
            id = undefined;
          }
          if (typeof id === 'string' && ids.includes(id)) parked.push(id);
        }
      };

      // Sends keep working through it: a request answered and a marker event handled after the batch.
      await expect(deployment.bus.request('probe.echo', { when: 'during' }, 5000)).resolves.toMatchObject({ received: { when: 'during' } });
      await deployment.bus.publish('probe.fine', { id: 'after-malformed' });
      await eventually(() => expect(deployment.events('probe.fine').map((e) => e.data)).toContainEqual({ id: 'after-malformed' }));
      await eventually(async () => {
        await drainDead();
        expect(parked.length).toBeGreaterThanOrEqual(ids.length);
      }, 20_000);

      // Exactly once each: one more marker goes all the way through, and no extra copy appeared meanwhile.
      await deployment.bus.publish('probe.fine', { id: 'second-marker' });
      await eventually(() => expect(deployment.events('probe.fine').map((e) => e.data)).toContainEqual({ id: 'second-marker' }));
      await drainDead();
      expect([...parked].sort()).toEqual([...ids].sort());
      expect(await depth(`${queue}.retry`)).toBe(0);
      const handled = deployment.events('probe.fine').map((e) => (e.data as { id: string }).id);
      expect(handled.filter((id) => ids.includes(id))).toEqual([]);
      expect(deployment.states[0].poisonAttempts).toBe(poisonAttemptsBefore); // no handler ran for these
    }, 30_000);
  });

  describe('events whose consumer died mid-handler', () => {
    let deployment: ProbeDeployment;

    beforeAll(async () => {
      deployment = await ProbeDeployment.start('rabbitmq', { RABBITMQ_MAX_DELIVERIES: '2' });
    }, 30_000);

    afterAll(async () => {
      await deployment?.stop();
    });

    it('count a redelivery as a try, so a process-killing event cannot loop forever', async () => {
      const queue = `${deployment.namespace}.users`;
      await deployment.closeApp(deployment.apps[0]); // the users service is down; its durable queue keeps collecting
      await deployment.bus.publish('probe.poison', { id: 'killer' });
      await deployment.bus.publish('probe.fine', { id: 'innocent' });
      // Stand in for a consumer that took both and died before settling them: the broker marks them redelivered.
      let taken: amqp.GetMessage[] = [];
      await eventually(async () => {
        const message = await channel.get(queue, { noAck: false });
        if (message) taken.push(message);
        expect(taken).toHaveLength(2);
      });
      for (const message of taken) channel.nack(message, false, true);
      taken = [];

      // A request to the service while it is down expires with its caller's deadline instead of running later.
      const expired = await failureOf(deployment.bus.request('probe.echo', { when: 'now' }, 300));
      expect(expired.code).toBe(ErrorCodes.TRANSPORT_TIMEOUT);
      await new Promise((resolve) => setTimeout(resolve, 400));

      await deployment.startRole('users');
      // The redelivery was the second try of MAX_DELIVERIES=2: one more failure parks it.
      await eventually(async () => expect(await depth(`${queue}.dead`)).toBe(1));
      const attempts = deployment.states.reduce((sum, state) => sum + state.poisonAttempts, 0);
      expect(attempts).toBe(1);
      const parked = await channel.get(`${queue}.dead`, { noAck: true });
      expect(parked && parked.properties.headers?.['x-chat-deliveries']).toBe(2);
      // A redelivered healthy event is still handled, once.
      await eventually(() => expect(deployment.events('probe.fine').map((e) => e.data)).toEqual([{ id: 'innocent' }]));
      expect(deployment.states.reduce((sum, state) => sum + state.echoCalls, 0)).toBe(0);
      await expect(deployment.bus.request('probe.echo', { when: 'later' })).resolves.toMatchObject({ typeOfWhen: 'string' });
    });
  });

  describe('graceful stop of a role service', () => {
    let deployment: ProbeDeployment;

    beforeAll(async () => {
      deployment = await ProbeDeployment.start('rabbitmq');
    }, 30_000);

    afterAll(async () => {
      await deployment?.stop();
    });

    it('takes no new work, finishes and answers the request in flight, then closes', async () => {
      const queue = `${deployment.namespace}.users`;
      const inFlight = deployment.bus.request('probe.slow', { ms: 800 }, 5000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const closing = deployment.closeApp(deployment.apps[0]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Arrives while the users service drains: it stays queued for another instance.
      const later = deployment.bus.request('probe.echo', { when: 'later' }, 5000);

      await expect(inFlight).resolves.toBe('late');
      await closing;
      expect(await depth(queue)).toBe(1);
      expect(deployment.states[0].echoCalls).toBe(0);

      await deployment.startRole('users');
      await expect(later).resolves.toMatchObject({ received: { when: 'later' } });
    });
  });

  describe('bounded prefetch', () => {
    let deployment: ProbeDeployment;

    beforeAll(async () => {
      deployment = await ProbeDeployment.start('rabbitmq', { RABBITMQ_PREFETCH: '2' });
    }, 30_000);

    afterAll(async () => {
      await deployment?.stop();
    });

    it('runs at most RABBITMQ_PREFETCH handlers at once and still gets through the backlog', async () => {
      for (let i = 0; i < 8; i++) await deployment.bus.publish('probe.busy', { i });
      await eventually(() => expect(deployment.events('probe.busy')).toHaveLength(8), 10_000);
      expect(deployment.states[0].maxRunning).toBe(2);
    });
  });

  describe('broker connection lost and back', () => {
    let deployment: ProbeDeployment;
    let proxy: TcpProxy;

    beforeAll(async () => {
      // The outage is staged on a relay in front of the broker, so only this suite's connections drop.
      proxy = await TcpProxy.start(RABBITMQ_URL);
      deployment = await ProbeDeployment.start('rabbitmq', { RABBITMQ_URL: proxy.urlFor(RABBITMQ_URL) });
    }, 30_000);

    afterAll(async () => {
      await deployment?.stop();
      await proxy?.stop();
    });

    it('fails requests at once with TRANSPORT.UNAVAILABLE, runs none late, holds events, and recovers by itself', async () => {
      const chats = deployment.states[1];
      await expect(deployment.bus.request('probe.owner', {})).resolves.toEqual({ role: 'chats' });
      const inFlight = failureOf(deployment.bus.request('probe.slow', { ms: 3000 }, 10_000));
      await new Promise((resolve) => setTimeout(resolve, 200));

      const cutAt = Date.now();
      await proxy.cut();
      const dropped = await inFlight;
      expect(dropped.code).toBe(ErrorCodes.TRANSPORT_UNAVAILABLE);
      expect(Date.now() - cutAt).toBeLessThan(2000);

      const callsBefore = chats.ownerCalls;
      for (let i = 0; i < 3; i++) {
        const askedAt = Date.now();
        const refused = await failureOf(deployment.bus.request('probe.owner', {}, 10_000));
        expect(refused.code).toBe(ErrorCodes.TRANSPORT_UNAVAILABLE);
        expect(Date.now() - askedAt).toBeLessThan(500);
      }
      // An event is the other way round: the publisher's change is done, so it is held, not failed.
      await deployment.bus.publish('probe.happened', { id: 'held' });

      await new Promise((resolve) => setTimeout(resolve, 1500));
      await proxy.restore();
      // Servers and clients reconnect on their own; no app is restarted.
      let sent = 0; // attempts that reached the broker (not refused by the client up front)
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          await deployment.bus.request('probe.owner', {}, 1000);
          sent++;
          break;
        } catch (error) {
          if ((error as DomainError).code !== ErrorCodes.TRANSPORT_UNAVAILABLE) sent++;
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // Only what was sent after the broker came back ran: the refused requests were not queued and replayed.
      expect(chats.ownerCalls - callsBefore).toBe(sent);
      await eventually(() => expect(deployment.events('probe.happened').map((e) => [e.role, e.data])).toEqual(expect.arrayContaining([['users', { id: 'held' }], ['chats', { id: 'held' }]])));

      await deployment.bus.publish('probe.happened', { id: 'after' });
      await eventually(() => expect(deployment.events('probe.happened')).toHaveLength(4));
    });
  });
});
