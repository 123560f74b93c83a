import { Injectable, Logger } from '@nestjs/common';
import { ErrorCodes } from '@chat/contracts/errors';
import type { WritePacket } from '@nestjs/microservices';
import type { InProcessServer } from './in-process.server';

/**
 * The switchboard between in-process clients and the role servers of this process.
 * One per application instance (not a module-level singleton), so several apps in one test process stay apart.
 */
@Injectable()
export class InProcessBroker {
  private readonly logger = new Logger('InProcessBroker');
  private readonly servers = new Set<InProcessServer>();

  attach(server: InProcessServer): void {
    this.servers.add(server);
  }

  detach(server: InProcessServer): void {
    this.servers.delete(server);
  }

  /** Routes a request to the one server that answers `pattern`; replies arrive through `reply`. */
  request(id: string, pattern: string, data: unknown, reply: (packet: WritePacket) => void): void {
    const server = [...this.servers].find((candidate) => candidate.answers(pattern));
    if (!server) {
      reply({ err: { code: ErrorCodes.TRANSPORT_NO_HANDLER, message: `No handler for ${pattern}` }, isDisposed: true });
      return;
    }
    server.handleRequest(id, pattern, data, reply).catch((err) => {
      this.logger.error({ err, pattern }, 'In-process request failed');
      reply({ err: { code: ErrorCodes.INTERNAL, message: 'Internal error' }, isDisposed: true });
    });
  }

  /** Every server subscribed to the event gets it, each on a later tick, as a broker would deliver it. */
  publish(pattern: string, data: unknown): void {
    for (const server of this.servers) {
      if (!server.answers(pattern)) continue;
      setImmediate(() => {
        server.handleIncomingEvent(pattern, data).catch((err) => {
          this.logger.error({ err, pattern, role: server.role }, 'In-process event handler failed');
        });
      });
    }
  }
}
