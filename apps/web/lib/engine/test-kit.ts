import type { Ack, ChatSummaryDto, MessageDto, UserDto } from '../contracts';
import type { ApiClient, Clock, SocketLike } from './ports';

/**
 * Fakes for the engine's unit tests (not used by the app): a socket whose server side the test writes, an API
 * answering from a table of routes, and a clock whose timers run when the test says.
 */

/** What the fake server answers to an event with an ack: an Ack, or 'silent' (the ack never comes: a timeout). */
export type ServerAnswer = Ack<unknown> | 'silent' | undefined;

export class FakeSocket implements SocketLike {
  connected = false;
  active = false;
  readonly sent: { event: string; payload: any }[] = [];
  private readonly handlers = new Map<string, ((...args: any[]) => void)[]>();

  constructor(public server: (event: string, payload: any) => ServerAnswer | Promise<ServerAnswer> = () => undefined) {}

  on(event: string, handler: (...args: any[]) => void): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  emit(event: string, payload?: any, ack?: (answer: unknown) => void): this {
    this.sent.push({ event, payload });
    void Promise.resolve(this.server(event, payload)).then((answer) => answer !== 'silent' && ack?.(answer));
    return this;
  }

  timeout(_ms: number) {
    return {
      emit: (event: string, payload: any, ack: (err: Error | null, answer?: unknown) => void) => {
        this.sent.push({ event, payload });
        void Promise.resolve(this.server(event, payload)).then((answer) => (answer === 'silent' ? ack(new Error('operation has timed out')) : ack(null, answer)));
      },
    };
  }

  connect(): this {
    this.connected = true;
    this.receive('connect');
    return this;
  }

  disconnect(reason = 'io client disconnect'): this {
    if (!this.connected) return this;
    this.connected = false;
    this.receive('disconnect', reason);
    return this;
  }

  removeAllListeners(): this {
    this.handlers.clear();
    return this;
  }

  /** A frame from the server. */
  receive(event: string, ...args: any[]): void {
    for (const h of this.handlers.get(event) ?? []) h(...args);
  }

  sentOf(event: string): any[] {
    return this.sent.filter((s) => s.event === event).map((s) => s.payload);
  }
}

/** Routes: a path's start (method first, `GET /chats`) to an answer; an unknown path is a 404. */
export function fakeApi(routes: Record<string, (path: string, body?: any) => unknown>): ApiClient & { calls: string[] } {
  const calls: string[] = [];
  const client = (async (path: string, init?: { method?: string; body?: unknown }) => {
    const call = `${init?.method ?? 'GET'} ${path}`;
    calls.push(call);
    const route = Object.keys(routes)
      .filter((r) => call.startsWith(r))
      .sort((a, b) => b.length - a.length)[0];
    if (!route) throw Object.assign(new Error(`404 ${call}`), { status: 404 });
    return routes[route]!(path, init?.body);
  }) as ApiClient & { calls: string[] };
  client.calls = calls;
  return client;
}

/** Timers that run only when `runDue` (or `runAll`) is called; time moves with `advance`. */
export class FakeClock implements Clock {
  private time = Date.parse('2026-11-29T12:00:00.000Z');
  private timers: { at: number; fn: () => void }[] = [];
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => {
    this.timers.push({ at: this.time + ms, fn });
    return this.timers.length;
  };
  pending(): number {
    return this.timers.length;
  }
  /** Moves time on and runs the timers due by then. */
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.fn();
  }
}

/** Lets promise callbacks (fake answers, awaits inside the engine) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

export const ME: UserDto = { id: 'me', email: 'me@example.com', displayName: 'Me', avatarUrl: null } as unknown as UserDto;

export function message(seq: number, over: Partial<MessageDto> = {}): MessageDto {
  return {
    id: `m${seq}`, chatId: 'c1', seq, senderId: 'ann', clientMessageId: `cm${seq}`, text: `hello ${seq}`, image: null, file: null, replyTo: null,
    createdAt: new Date(Date.parse('2026-11-29T10:00:00.000Z') + seq * 1000).toISOString(), editedAt: null, deletedAt: null, system: null,
    forwarded: false, reactions: [], ...over,
  };
}

export function chat(over: Partial<ChatSummaryDto> = {}): ChatSummaryDto {
  return {
    id: 'c1', kind: 'direct', title: null, avatarUrl: null, members: [{ userId: 'me', role: 'member' }, { userId: 'ann', role: 'member' }],
    createdAt: '2026-11-29T09:00:00.000Z', historyVisible: true, otherUserId: 'ann', lastMessage: null, unreadCount: 0, muted: false,
    lastReadSeq: 0, lastDeliveredSeq: 0, lastSeq: 0, lastActivityAt: '2026-11-29T09:00:00.000Z', ...over,
  } as unknown as ChatSummaryDto;
}
