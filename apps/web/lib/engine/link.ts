import type { Ack, ClientToServerEvents } from '../contracts';
import type { Clock, SocketLike } from './ports';

const ACK_TIMEOUT_MS = 10_000;

/** Events sent without waiting for the answer (the answer may still ask for a retry, see fire). */
export type Fireable = 'message:delivered' | 'message:read' | 'typing:start' | 'typing:stop';

/**
 * How the parts talk through the socket: a request with an answer (or a timeout), or a fire-and-forget event.
 * The socket is looked up on each call: it is replaced on sign-in and gone after sign-out.
 */
export interface Link {
  connected(): boolean;
  request<T>(event: keyof ClientToServerEvents, payload: unknown): Promise<Ack<T>>;
  fire(event: Fireable, payload: { chatId: string; seq?: number }): void;
}

export function createLink(socket: () => SocketLike | null, clock: Clock, ackTimeoutMs = ACK_TIMEOUT_MS): Link {
  const connected = () => !!socket()?.connected;
  function fire(event: Fireable, payload: { chatId: string; seq?: number }, tries = 0): void {
    // Always with an ack callback: the event map types these acks as optional, and the gateway's handler binding
    // reads a lone payload as an argument list when no ack comes with it.
    socket()?.emit(event, payload, (ack: Ack<{ seq: number }> | undefined) => {
      // The chats module learns a chat's newest seq from an event that can trail the message itself: a pointer
      // moved to a seq it does not know yet stays behind, so try again shortly.
      const behind = ack?.ok && payload.seq !== undefined && ack.data.seq < payload.seq;
      if (behind && tries < 4) clock.setTimeout(() => connected() && fire(event, payload, tries + 1), 300 * (tries + 1));
    });
  }
  return {
    connected,
    request<T>(event: keyof ClientToServerEvents, payload: unknown): Promise<Ack<T>> {
      return new Promise((resolve, reject) => {
        const s = socket();
        if (!s?.connected) return reject(new Error('offline'));
        s.timeout(ackTimeoutMs).emit(event, payload, (err: Error | null, response: Ack<T>) => (err ? reject(err) : resolve(response)));
      });
    },
    fire: (event, payload) => fire(event, payload),
  };
}
