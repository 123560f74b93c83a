import { Role } from '@chat/contracts/roles';
import { AppConfig } from '../../config/app-config';
import { RmqBusClient } from './rmq-bus-client';
import { RoleRmqServer } from './role-rmq.server';
import { rmqTopology } from './rmq-topology';

export function createRmqBusProxy(config: AppConfig): RmqBusClient {
  const topology = rmqTopology(config);
  return new RmqBusClient({
    urls: [topology.url],
    exchange: topology.exchange,
    exchangeType: 'topic',
    wildcards: true,
    persistent: true,
    // noAck on the client concerns only the direct reply-to consumer, which requires it (see DESIGN.md traps).
    noAck: true,
    socketOptions: { heartbeatIntervalInSeconds: 5, reconnectTimeInSeconds: 1 },
  });
}

export function createRmqRoleServer(config: AppConfig, role: Role): RoleRmqServer {
  return new RoleRmqServer(config, role);
}
