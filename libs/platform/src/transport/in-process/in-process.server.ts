import { BaseRpcContext, CustomTransportStrategy, Server, WritePacket } from '@nestjs/microservices';
import { Role } from '@chat/contracts/roles';
import { isObservable, lastValueFrom } from 'rxjs';
import { roleTransportId } from '../role-handlers';
import { jsonRoundTrip } from '../json-round-trip';
import type { InProcessBroker } from './in-process.broker';

/** The role's handlers, served to in-process clients. Replies and errors are JSON, as over RabbitMQ. */
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

  /**
   * `data` is already this request's own JSON copy (InProcessClient round-trips the packet as it is sent, and
   * nothing else holds it), so it is handed to the handler as is; the reply is round-tripped here.
   */
  async handleRequest(id: string, pattern: string, data: unknown, reply: (packet: WritePacket) => void): Promise<void> {
    const handler = this.handlerFor(pattern)!;
    const context = new BaseRpcContext([pattern]);
    const respond = (packet: WritePacket) => reply(jsonRoundTrip({ ...packet, id } as WritePacket));
    const response$ = this.transformToObservable(await handler(data, context));
    this.send(response$, respond);
  }

  /** `json`: the event's data as JSON text, parsed into this subscriber's own copy. Resolves when the handler has finished, so failures surface to the broker's log. */
  async handleIncomingEvent(pattern: string, json: string | undefined): Promise<void> {
    const handler = this.handlerFor(pattern);
    if (!handler) return;
    const result = await handler(json === undefined ? undefined : JSON.parse(json), new BaseRpcContext([pattern]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}
