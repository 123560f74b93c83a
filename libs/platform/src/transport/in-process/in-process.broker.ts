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
    let server: InProcessServer | undefined;
    for (const candidate of this.servers) {
      if (candidate.answers(pattern)) {
        server = candidate;
        break;
      }
    }
    if (!server) {
      reply({ err: { code: ErrorCodes.TRANSPORT_NO_HANDLER, message: `No handler for ${pattern}` }, isDisposed: true });
      return;
    }
    server.handleRequest(id, pattern, data, reply).catch((err) => {
      this.logger.error({ err, pattern }, 'In-process request failed');
      reply({ err: { code: ErrorCodes.INTERNAL, message: 'Internal error' }, isDisposed: true });
    });
  }

  /**
   * Every server subscribed to the event gets it, each on a later tick, as a broker would deliver it.
   * `json` is the event's data as JSON text (undefined for no data); each subscriber parses its own copy.
   */
  publish(pattern: string, json: string | undefined): void {
    for (const server of this.servers) {
      if (!server.answers(pattern)) continue;
      setImmediate(() => {
        server.handleIncomingEvent(pattern, json).catch((err) => {
          this.logger.error({ err, pattern, role: server.role }, 'In-process event handler failed');
        });
      });
    }
  }
}
