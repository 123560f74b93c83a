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

  async handleRequest(id: string, pattern: string, data: unknown, reply: (packet: WritePacket) => void): Promise<void> {
    const handler = this.getHandlerByPattern(pattern)!;
    const context = new BaseRpcContext([pattern]);
    const respond = (packet: WritePacket) => reply(jsonRoundTrip({ ...packet, id } as WritePacket));
    const response$ = this.transformToObservable(await handler(jsonRoundTrip(data), context));
    this.send(response$, respond);
  }

  /** Resolves when the handler has finished, so failures surface to the broker's log. */
  async handleIncomingEvent(pattern: string, data: unknown): Promise<void> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) return;
    const result = await handler(jsonRoundTrip(data), new BaseRpcContext([pattern]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}
