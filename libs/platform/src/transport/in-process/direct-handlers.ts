import { EXCEPTION_FILTERS_METADATA, GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Role } from '@chat/contracts/roles';
import { isValidatedAtEdge } from '../../validation/validated-at-edge';
import { RoleHandlerDeclaration, roleHandlerDeclarations } from '../role-handlers';

/** A role's handler as a plain call: the payload in, the handler's result (or its error) out. */
export type DirectHandler = (payload: unknown) => unknown;

/** Finds the instance Nest made of a controller class (undefined when this app has none). */
export type ControllerInstances = (controller: RoleHandlerDeclaration['controller']) => object | undefined;

/** `@Payload()` in Nest's parameter metadata (RpcParamtype.PAYLOAD), keyed `<type>:<index>`. */
const PAYLOAD_PARAM = '3:0';
/** What Nest's ValidationPipe leaves alone (ValidationPipe.toValidate): no DTO class, so nothing to validate. */
const NOT_VALIDATED: unknown[] = [undefined, String, Boolean, Number, Array, Object, Buffer, Date];
const ENHANCERS = [GUARDS_METADATA, PIPES_METADATA, INTERCEPTORS_METADATA, EXCEPTION_FILTERS_METADATA];

/**
 * The role's handlers that one process can call as functions, by pattern: Nest's per-call pipeline (an execution
 * context, the global guards, the pipes, the exception zone, an Observable around the result) does nothing for them
 * there, so the in-process transport skips it. A handler qualifies when all of it would be a no-op:
 * - its one parameter is `@Payload()` whole, and neither it nor its class has guards, pipes, interceptors or filters
 *   of its own (the app's global guards act on HTTP only);
 * - the global validation pipe would take its payload as it is: an event's (no DTO class) or a DTO the edge
 *   validated (@ValidatedAtEdge, trusted in one process; see createValidationPipe).
 * Errors leave as the global filter would make them (rpcErrorPayload). Any other handler keeps Nest's pipeline.
 */
export function directHandlersOf(role: Role, instances: ControllerInstances): Map<string, DirectHandler> {
  const byPattern = new Map<string, { declaration: RoleHandlerDeclaration; instance: object }[]>();
  for (const declaration of roleHandlerDeclarations(role)) {
    const instance = instances(declaration.controller);
    if (instance) byPattern.set(declaration.pattern, [...(byPattern.get(declaration.pattern) ?? []), { declaration, instance }]);
  }
  const direct = new Map<string, DirectHandler>();
  for (const [pattern, handlers] of byPattern) {
    // Several subscribers of one event in one role: Nest runs them all together; left to it.
    if (handlers.length !== 1) continue;
    const [{ declaration, instance }] = handlers;
    const method = (instance as Record<string | symbol, unknown>)[declaration.method];
    if (typeof method !== 'function' || !callableAsIs(declaration, method as DirectHandler)) continue;
    direct.set(pattern, (payload) => method.call(instance, payload));
  }
  return direct;
}

function callableAsIs({ controller, method }: RoleHandlerDeclaration, handler: DirectHandler): boolean {
  const params = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { data?: unknown; pipes?: unknown[] }>;
  const keys = Object.keys(params);
  const payload = params[PAYLOAD_PARAM];
  if (keys.length !== 1 || !payload || payload.data !== undefined || (payload.pipes?.length ?? 0) > 0) return false;
  if (ENHANCERS.some((key) => Reflect.getMetadata(key, handler) !== undefined || Reflect.getMetadata(key, controller) !== undefined)) return false;
  const [type] = (Reflect.getMetadata('design:paramtypes', controller.prototype, method) ?? []) as unknown[];
  return NOT_VALIDATED.includes(type) || isValidatedAtEdge(type);
}
