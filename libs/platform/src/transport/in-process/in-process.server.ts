import { BaseRpcContext, CustomTransportStrategy, Server, WritePacket } from '@nestjs/microservices';
import { Role } from '@chat/contracts/roles';
import { isObservable, lastValueFrom } from 'rxjs';
import { DomainError } from '../../errors/domain-error';
import { rpcErrorPayload } from '../../errors/rpc-exception.filter';
import { roleTransportId } from '../role-handlers';
import { ControllerInstances, DirectHandler, directHandlersOf } from './direct-handlers';
import type { InProcessBroker } from './in-process.broker';

/**
 * The role's handlers, served to in-process clients. Replies and errors are handed back as they are (see InProcessBroker).
 * Handlers for which Nest's per-call pipeline would do nothing are called as functions (direct-handlers.ts).
 */
export class InProcessServer extends Server implements CustomTransportStrategy {
  readonly transportId: symbol;
  private direct = new Map<string, DirectHandler>();

  constructor(
    private readonly broker: InProcessBroker,
    readonly role: Role,
    private readonly instances?: ControllerInstances,
  ) {
    super();
    this.transportId = roleTransportId(role);
  }

  /** Called once Nest has made the controllers and registered their handlers. */
  listen(callback: () => void): void {
    if (this.instances) this.direct = directHandlersOf(this.role, this.instances);
    this.broker.attach(this);
    callback();
  }

  close(): void {
    this.broker.detach(this);
  }

  on(): void {
    // No connection events: nothing can disconnect inside one process.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }

  /** Every pattern this server handles (requests and events), for the other thread of the process. */
  patterns(): string[] {
    return [...this.messageHandlers.keys()];
  }

  answers(pattern: string): boolean {
    return this.messageHandlers.has(pattern);
  }

  /**
   * Patterns here are plain strings and handlers are stored under them as they are (see `answers`). Nest's
   * getHandlerByPattern first tries JSON.parse on the pattern, which throws for every name like `chats.get`:
   * a thrown and caught exception per request, a measurable share of the in-process hop.
   */
  private handlerFor(pattern: string) {
    return this.messageHandlers.get(pattern) ?? this.getHandlerByPattern(pattern);
  }

  async handleRequest(pattern: string, data: unknown, reply: (packet: WritePacket) => void): Promise<void> {
    const respond = (packet: WritePacket) => {
      try {
        this.broker.check(packet.response, `reply to ${pattern}`);
      } catch (error) {
        return reply({ err: (error as DomainError).toPayload(), isDisposed: true });
      }
      reply(packet);
    };
    const direct = this.direct.get(pattern);
    if (direct) {
      let response: unknown;
      try {
        response = await callDirect(direct, data);
      } catch (error) {
        return reply({ err: rpcErrorPayload(error, pattern), isDisposed: true });
      }
      return respond({ response, isDisposed: true });
    }
    const handler = this.handlerFor(pattern)!;
    const response$ = this.transformToObservable(await handler(data, new BaseRpcContext([pattern])));
    this.send(response$, respond);
  }

  /** Resolves when the handler has finished, and rejects if it failed (the outbox relay then delivers it again). */
  async handleIncomingEvent(pattern: string, data: unknown): Promise<void> {
    const direct = this.direct.get(pattern);
    if (direct) {
      try {
        await callDirect(direct, data);
      } catch (error) {
        // As Nest's pipeline with the global filter: logged when unexpected, and the delivery fails with the payload.
        throw rpcErrorPayload(error, pattern);
      }
      return;
    }
    const handler = this.handlerFor(pattern);
    if (!handler) return;
    const result = await handler(data, new BaseRpcContext([pattern]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}

/** A direct handler's outcome: its value, or the last value of the Observable it returned (as Nest would wait for). */
async function callDirect(direct: DirectHandler, data: unknown): Promise<unknown> {
  const result = await direct(data);
  return isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }) : result;
}
