import { Decoder, Encoder, type Packet } from 'socket.io-parser';

/** The stock encoder's own string encoding, which its TypeScript declarations keep private. */
type StringEncoding = { encodeAsString(packet: Packet): string };

/**
 * Socket.IO's packet encoder for a server whose events and acks are plain JSON, as everything this gateway emits is:
 * module DTOs (the one-process e2e run checks them with TRANSPORT_ASSERT_JSON), which the Redis adapter also relays
 * as plaintext (`onlyPlaintext`). The stock encoder walks every outgoing packet for binary attachments before it
 * writes it as a string; that walk (`hasBinary`) took about 2.5% of the main thread at a fixed 1,600 msg/s, on
 * every `message:new` and every send's ack. This one writes the same string at once. A Buffer handed to `emit`
 * would go out as its JSON form instead of an attachment: files travel over HTTP here, never over the socket.
 * Decoding is Socket.IO's own: what a client sends, binary or not, is read as before.
 */
class PlaintextEncoder extends Encoder {
  override encode(packet: Packet): string[] {
    return [(this as unknown as StringEncoding).encodeAsString(packet)];
  }
}

export const plaintextParser = { Encoder: PlaintextEncoder, Decoder };
