import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { Role } from '@chat/contracts/roles';

/**
 * Each role gets its own transport server, identified by this id. Binding a handler to its role's id keeps
 * it on that role's queue only, so two roles sharing a process never consume each other's messages.
 */
export function roleTransportId(role: Role): symbol {
  return Symbol.for(`chat.role.${role}`);
}

/** A handler method as its decorator saw it: the in-process transport may call it as a function (direct-handlers.ts). */
export interface RoleHandlerDeclaration {
  role: Role;
  pattern: string;
  kind: 'request' | 'event';
  controller: abstract new (...args: never[]) => unknown;
  method: string | symbol;
}

const declarations: RoleHandlerDeclaration[] = [];

/** Every handler declared with RoleMessagePattern or RoleEventPattern in this process, for `role`. */
export function roleHandlerDeclarations(role: Role): readonly RoleHandlerDeclaration[] {
  return declarations.filter((declaration) => declaration.role === role);
}

const declared =
  (role: Role, pattern: string, kind: RoleHandlerDeclaration['kind']): MethodDecorator =>
  (target, method) => {
    declarations.push({ role, pattern, kind, controller: target.constructor as RoleHandlerDeclaration['controller'], method });
  };

const both =
  (...decorators: MethodDecorator[]): MethodDecorator =>
  (target, method, descriptor) => {
    for (const decorate of decorators) decorate(target, method, descriptor);
  };

/** A request handler owned by `role`: it answers `pattern` wherever that role runs. */
export const RoleMessagePattern = (role: Role, pattern: string): MethodDecorator =>
  both(MessagePattern(pattern, roleTransportId(role)), declared(role, pattern, 'request'));

/** An event subscription of `role`: every role that subscribes gets its own copy of the event. */
export const RoleEventPattern = (role: Role, pattern: string): MethodDecorator =>
  both(EventPattern(pattern, roleTransportId(role)), declared(role, pattern, 'event'));
