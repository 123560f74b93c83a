import { Role } from '@chat/contracts/roles';
import { AppConfig } from '../../config/app-config';

/**
 * One durable topic exchange carries requests and events, routed by pattern. Each role has one durable
 * queue bound to the patterns its handlers answer, so a request reaches the one role that owns it and an
 * event reaches every role that subscribes to it.
 */
export function rmqTopology(config: AppConfig) {
  const ns = config.env.NAMESPACE;
  return {
    url: config.env.RABBITMQ_URL!,
    exchange: `${ns}.bus`,
    queue: (role: Role) => `${ns}.${role}`,
    retryQueue: (role: Role) => `${ns}.${role}.retry`,
    deadLetterQueue: (role: Role) => `${ns}.${role}.dead`,
  };
}
