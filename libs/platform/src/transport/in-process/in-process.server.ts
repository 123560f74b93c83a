import { BaseRpcContext, CustomTransportStrategy, Server, WritePacket } from '@nestjs/microservices';
import { Role } from '@chat/contracts/roles';
import { isObservable, lastValueFrom } from 'rxjs';
import { DomainError } from '../../errors/domain-error';
import { roleTransportId } from '../role-handlers';
import type { InProcessBroker } from './in-process.broker';

/** The role's handlers, served to in-process clients. Replies and errors are handed back as they are (see InProcessBroker). */
export class InProcessServer extends Server implements CustomTransportStrategy {
  readonly transportId: symbol;

  constructor(
    private readonly broker: InProcessBroker,
    readonly role: Role,
  ) {
    super();
    this.transportId = roleTransportId(role);
  }

  listen(callback: () => void): void {
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
    const handler = this.handlerFor(pattern)!;
    const context = new BaseRpcContext([pattern]);
    const respond = (packet: WritePacket) => {
      try {
        this.broker.check(packet.response, `reply to ${pattern}`);
      } catch (error) {
        return reply({ err: (error as DomainError).toPayload(), isDisposed: true });
      }
      reply(packet);
    };
    const response$ = this.transformToObservable(await handler(data, context));
    this.send(response$, respond);
  }

  /** Resolves when the handler has finished, and rejects if it failed (the outbox relay then delivers it again). */
  async handleIncomingEvent(pattern: string, data: unknown): Promise<void> {
    const handler = this.handlerFor(pattern);
    if (!handler) return;
    const result = await handler(data, new BaseRpcContext([pattern]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}
