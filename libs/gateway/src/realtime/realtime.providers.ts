import { DirectSocketEvents } from './direct-socket-events';
import { PeopleEventsController } from './people-events.controller';
import { PresenceHeartbeat } from './presence-heartbeat';
import { PresenceService } from './presence.service';
import { RealtimeEventsController } from './realtime-events.controller';
import { RealtimeGateway } from './realtime.gateway';
import { SocketAuthenticator } from './socket-authenticator';
import { SocketServerRef } from './socket-server.ref';
import { SyncService } from './sync.service';
import { TypingService } from './typing.service';

/** What the gateway module adds for WebSockets (listed here so gateway.module.ts stays one line per concern). */
export const REALTIME_PROVIDERS = [SocketServerRef, SocketAuthenticator, PresenceService, PresenceHeartbeat, TypingService, SyncService, DirectSocketEvents, RealtimeGateway];
export const REALTIME_CONTROLLERS = [RealtimeEventsController, PeopleEventsController];
