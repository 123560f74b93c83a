/**
 * Splits a Socket.IO event's arguments into the payload and the optional acknowledgement callback.
 * (Nest's IoAdapter.mapPayload returns `[payload]` when no ack is given, which would hand handlers an array.)
 */
export function splitSocketArgs(args: readonly unknown[]): { data: unknown; ack?: (response: unknown) => void } {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as (response: unknown) => void) : undefined;
  const payload = ack ? args.slice(0, -1) : args;
  return { data: payload.length <= 1 ? payload[0] : payload, ack };
}
