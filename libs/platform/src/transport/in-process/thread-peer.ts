import type { WritePacket } from '@nestjs/microservices';
import { ErrorCodes, isErrorPayload } from '@chat/contracts/errors';
import { copyWith } from '../../objects/copy-with';

/** This thread's end of the channel to the other thread: the Worker on the main thread, `parentPort` in the worker. */
export interface ThreadPort {
  postMessage(value: unknown): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
}

/** What the peer hands to this thread's servers: the broker's local routes (never back across the channel). */
export interface LocalRoutes {
  requestLocal(pattern: string, data: unknown, reply: (packet: WritePacket) => void): void;
  deliverLocal(pattern: string, data: unknown): Promise<void>;
}

type ErrorFrame = { code: string; message: string; [key: string]: unknown };

type Frame =
  | { t: 'hello'; patterns: string[] }
  | { t: 'req'; id: number; pattern: string; data: unknown }
  | { t: 'rep'; id: number; packet: WritePacket }
  | { t: 'evt'; id: number; pattern: string; data: unknown }
  | { t: 'call'; id: number; name: string }
  | { t: 'done'; id: number; value?: unknown; error?: ErrorFrame };

/**
 * The in-process transport across the two threads of one process (MODULE_THREAD): requests and events for
 * patterns the other thread's servers handle go over a MessagePort, and their replies come back the same way.
 * Payloads are structured-cloned, which copies what plain JSON holds (the transport's contract, checked by
 * TRANSPORT_ASSERT_JSON) without a round trip through JSON text.
 *
 * - Each thread announces its patterns once its servers listen (`announce`); until the other thread's announcement
 *   arrives, calls for it wait (`ready`), so nothing is handed to a thread that cannot take it yet.
 * - An event crosses as a delivery with an answer: it resolves once the other thread's subscribers have handled it,
 *   as in one thread, so the outbox relay removes it only then. A thread whose servers have closed (shutting down)
 *   refuses it, and it stays in the outbox.
 * - Frames leave in batches, one postMessage per turn of the event loop: under load a message's request, reply and
 *   events share their crossings with the others of the same turn.
 * - `serve` and `call` carry the few things that are not module calls: the other thread's readiness probes and
 *   metrics, for this thread's /health/ready and /metrics.
 */
export class ThreadPeer {
  /** Resolves when the other thread has announced its patterns. */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private patterns = new Set<string>();
  private local: LocalRoutes | null = null;
  private readonly services = new Map<string, () => Promise<unknown>>();
  private readonly waiting = new Map<number, (frame: Frame) => void>();
  private nextId = 1;
  private outgoing: Frame[] = [];

  constructor(private readonly port: ThreadPort) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    port.on('message', (batch) => {
      if (Array.isArray(batch)) for (const frame of batch as Frame[]) this.receive(frame);
    });
  }

  bind(local: LocalRoutes): void {
    this.local = local;
  }

  /** Tells the other thread which patterns this thread's servers handle: once they listen. */
  announce(patterns: string[]): void {
    this.post({ t: 'hello', patterns });
  }

  answers(pattern: string): boolean {
    return this.patterns.has(pattern);
  }

  /** Something the other thread may ask for by name (not a module call: probes, metrics). */
  serve(name: string, handler: () => Promise<unknown>): void {
    this.services.set(name, handler);
  }

  request(pattern: string, data: unknown, reply: (packet: WritePacket) => void): void {
    const id = this.nextId++;
    this.waiting.set(id, (frame) => reply((frame as Extract<Frame, { t: 'rep' }>).packet));
    this.post({ t: 'req', id, pattern, data });
  }

  deliver(pattern: string, data: unknown): Promise<void> {
    return this.exchange({ t: 'evt', id: this.nextId++, pattern, data }).then(() => undefined);
  }

  call<T>(name: string): Promise<T> {
    return this.exchange({ t: 'call', id: this.nextId++, name }) as Promise<T>;
  }

  private exchange(frame: Extract<Frame, { t: 'evt' | 'call' }>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.set(frame.id, (answer) => {
        const { error, value } = answer as Extract<Frame, { t: 'done' }>;
        if (error) reject(error);
        else resolve(value);
      });
      this.post(frame);
    });
  }

  private receive(frame: Frame): void {
    switch (frame.t) {
      case 'hello':
        this.patterns = new Set(frame.patterns);
        this.markReady();
        return;
      case 'req':
        this.local!.requestLocal(frame.pattern, frame.data, (packet) => this.post({ t: 'rep', id: frame.id, packet: copyWith(packet, { err: packet.err ? cloneableError(packet.err) : packet.err }) }));
        return;
      case 'evt':
        this.local!.deliverLocal(frame.pattern, frame.data).then(
          () => this.post({ t: 'done', id: frame.id }),
          (error) => this.post({ t: 'done', id: frame.id, error: cloneableError(error) }),
        );
        return;
      case 'call': {
        const service = this.services.get(frame.name);
        const result = service ? service() : Promise.reject(new Error(`Nothing serves ${frame.name} on this thread`));
        result.then(
          (value) => this.post({ t: 'done', id: frame.id, value }),
          (error) => this.post({ t: 'done', id: frame.id, error: cloneableError(error) }),
        );
        return;
      }
      case 'rep':
      case 'done': {
        // A reply settles its request once; a stream's later packets have no one left to tell.
        const settle = this.waiting.get(frame.id);
        this.waiting.delete(frame.id);
        settle?.(frame);
        return;
      }
    }
  }

  private post(frame: Frame): void {
    if (this.outgoing.push(frame) === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const batch = this.outgoing;
    this.outgoing = [];
    try {
      this.port.postMessage(batch);
    } catch {
      // One frame cannot be cloned (a payload that is not plain data: a programming error). Send the rest one by
      // one, and answer the one that failed with an error instead of leaving its caller waiting.
      for (const frame of batch) this.postAlone(frame);
    }
  }

  private postAlone(frame: Frame): void {
    try {
      this.port.postMessage([frame]);
    } catch (error) {
      const refused = { code: ErrorCodes.INTERNAL, message: `Not plain data: ${(error as Error).message}` };
      if (frame.t === 'req') this.waiting.get(frame.id)?.({ t: 'rep', id: frame.id, packet: { err: refused, isDisposed: true } });
      else if (frame.t === 'evt' || frame.t === 'call') this.waiting.get(frame.id)?.({ t: 'done', id: frame.id, error: refused });
      else if (frame.t === 'rep') this.port.postMessage([{ t: 'rep', id: frame.id, packet: { err: refused, isDisposed: true } }]);
      else if (frame.t === 'done') this.port.postMessage([{ t: 'done', id: frame.id, error: refused }]);
      if (frame.t === 'req' || frame.t === 'evt' || frame.t === 'call') this.waiting.delete(frame.id);
    }
  }
}

/** An error as the other thread's caller reads it: the transport's error payload, whatever was thrown. */
function cloneableError(error: unknown): ErrorFrame {
  if (isErrorPayload(error)) return { ...(error as ErrorFrame) };
  return { code: ErrorCodes.INTERNAL, message: error instanceof Error ? error.message : String(error) };
}
