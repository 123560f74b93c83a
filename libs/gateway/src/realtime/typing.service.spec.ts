import { TYPING_EXPIRES_MS } from '@chat/contracts';
import { SocketServerRef } from './socket-server.ref';
import { TypingService } from './typing.service';

/** Records what would be emitted: rooms, excluded room, event, payload. */
function fakeServer() {
  const emitted: { to: string[]; except: string; event: string; payload: any }[] = [];
  const server = {
    to: (to: string[]) => ({ except: (except: string) => ({ emit: (event: string, payload: any) => emitted.push({ to, except, event, payload }) }) }),
  };
  const ref = new SocketServerRef();
  ref.server = server as any;
  return { ref, emitted };
}

describe('TypingService', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('relays start to the other members and stops by itself after the expiry', () => {
    const { ref, emitted } = fakeServer();
    const typing = new TypingService(ref);
    typing.start('s1', 'alice', 'c1', ['alice', 'bob']);
    expect(emitted).toEqual([{ to: ['user:alice', 'user:bob'], except: 'user:alice', event: 'typing', payload: { chatId: 'c1', userId: 'alice', state: 'start', expiresInMs: TYPING_EXPIRES_MS } }]);
    jest.advanceTimersByTime(TYPING_EXPIRES_MS - 1);
    expect(emitted).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(emitted[1].payload).toEqual({ chatId: 'c1', userId: 'alice', state: 'stop' });
  });

  it('a new start extends the indicator; stop and disconnect end it once', () => {
    const { ref, emitted } = fakeServer();
    const typing = new TypingService(ref);
    typing.start('s1', 'alice', 'c1', ['alice', 'bob']);
    jest.advanceTimersByTime(TYPING_EXPIRES_MS - 100);
    typing.start('s1', 'alice', 'c1', ['alice', 'bob']);
    jest.advanceTimersByTime(200);
    expect(emitted.map((e) => e.payload.state)).toEqual(['start', 'start']);
    typing.stop('s1', 'alice', 'c1');
    typing.stop('s1', 'alice', 'c1'); // nothing left to stop
    typing.start('s1', 'alice', 'c2', ['alice', 'carol']);
    typing.stopAll('s1', 'alice');
    jest.advanceTimersByTime(TYPING_EXPIRES_MS * 2);
    expect(emitted.map((e) => `${e.payload.chatId}:${e.payload.state}`)).toEqual(['c1:start', 'c1:start', 'c1:stop', 'c2:start', 'c2:stop']);
  });

  it('a stop for a chat this socket never started emits nothing', () => {
    const { ref, emitted } = fakeServer();
    new TypingService(ref).stop('s1', 'mallory', 'c1');
    expect(emitted).toEqual([]);
  });
});
