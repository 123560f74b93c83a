import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { Role } from '@chat/contracts/roles';

/**
 * Each role gets its own transport server, identified by this id. Binding a handler to its role's id keeps
 * it on that role's queue only, so two roles sharing a process never consume each other's messages.
 */
export function roleTransportId(role: Role): symbol {
  return Symbol.for(`chat.role.${role}`);
}

/** A request handler owned by `role`: it answers `pattern` wherever that role runs. */
export const RoleMessagePattern = (role: Role, pattern: string): MethodDecorator =>
  MessagePattern(pattern, roleTransportId(role));

/** An event subscription of `role`: every role that subscribes gets its own copy of the event. */
export const RoleEventPattern = (role: Role, pattern: string): MethodDecorator =>
  EventPattern(pattern, roleTransportId(role));
