import { ErrorCodes, MessageDto, MessagesClient, SendMessage } from '@chat/contracts';
import { AppConfig, DomainError, EnvironmentVariables, MemoryKeyValueStore, Metrics } from '@chat/platform';
import { MessageImages } from './message-images';
import { MessageSender } from './message-sender';
import { SendCapacityGuard } from './send-capacity.guard';
import { UserSendLimiter } from './user-send-limiter';

/** Lets the sends started so far get past the per-user budget check (an await) to the Messages client. */
const started = () => new Promise((resolve) => setImmediate(resolve));

function senderWith(env: Partial<EnvironmentVariables>, client: MessagesClient): MessageSender {
  const config = new AppConfig(Object.assign(new EnvironmentVariables(), env));
  return new MessageSender(config, client, new MessageImages(), new Metrics(), new UserSendLimiter(new MemoryKeyValueStore(), config));
}

/** A Messages client whose sends stay open until the test settles them, one by one. */
function heldMessages() {
  const held: { payload: SendMessage; settle: (error?: Error) => void }[] = [];
  const client = {
    send: (payload: SendMessage) =>
      new Promise<MessageDto>((resolve, reject) =>
        held.push({ payload, settle: (error) => (error ? reject(error) : resolve({ id: payload.clientMessageId } as MessageDto)) }),
      ),
  } as unknown as MessagesClient;
  return { client, held };
}

const outgoing = (n: number) => ({ senderId: 'u1', chatId: 'c1', clientMessageId: `m${n}` });

describe('MessageSender', () => {
  it('takes MAX_PENDING_SENDS sends at once and refuses the next with COMMON.OVERLOADED until one finishes', async () => {
    const { client, held } = heldMessages();
    const sender = senderWith({ MAX_PENDING_SENDS: 2 }, client);
    const first = sender.send(outgoing(1));
    const second = sender.send(outgoing(2));
    await started();
    await expect(sender.send(outgoing(3))).rejects.toMatchObject({ code: ErrorCodes.OVERLOADED });
    expect(held.map((h) => h.payload.clientMessageId)).toEqual(['m1', 'm2']);

    held[0].settle();
    await expect(first).resolves.toMatchObject({ id: 'm1' });
    const third = sender.send(outgoing(3));
    await started();
    expect(held).toHaveLength(3);
    // A send that fails frees its place too.
    held[1].settle(new DomainError(ErrorCodes.CHAT_NOT_FOUND, 'Chat not found'));
    await expect(second).rejects.toBeInstanceOf(DomainError);
    const fourth = sender.send(outgoing(4));
    await started();
    held[2].settle();
    held[3].settle();
    await expect(Promise.all([third, fourth])).resolves.toHaveLength(2);
  });

  it('passes the sender, text and reply through, with null for what was left out', async () => {
    const { client, held } = heldMessages();
    const sender = senderWith({}, client);
    const sent = sender.send({ ...outgoing(1), text: 'hi' });
    await started();
    expect(held[0].payload).toEqual({ senderId: 'u1', chatId: 'c1', clientMessageId: 'm1', text: 'hi', image: null, file: null, replyToId: null, sentFrom: null });
    held[0].settle();
    await sent;
  });

  it('passes the socket a send came from, so the message\'s frames can leave it out', async () => {
    const { client, held } = heldMessages();
    const sender = senderWith({}, client);
    const sent = sender.send({ ...outgoing(1), text: 'hi', sentFrom: 'socket-1' });
    await started();
    expect(held[0].payload).toMatchObject({ senderId: 'u1', sentFrom: 'socket-1' });
    held[0].settle();
    await sent;
  });

  it('lets SendCapacityGuard refuse a send before any other work while the gateway is full, and pass it once there is room', async () => {
    const { client, held } = heldMessages();
    const sender = senderWith({ MAX_PENDING_SENDS: 1 }, client);
    const guard = new SendCapacityGuard(sender);
    expect(guard.canActivate()).toBe(true);
    const first = sender.send(outgoing(1));
    await started();
    expect(() => guard.canActivate()).toThrow(expect.objectContaining({ code: ErrorCodes.OVERLOADED }));
    held[0].settle();
    await first;
    expect(guard.canActivate()).toBe(true);
  });
});
