import { Adapter, BroadcastOptions, PrivateSessionId, Room, Session } from 'socket.io-adapter';
import type { Namespace } from 'socket.io';
import type { Packet } from 'socket.io-parser';

type DisconnectedSession = Omit<Session, 'missedPackets'> & { disconnectedAt: number };

/** The log never holds more than this (in JSON characters), whatever WS_RECOVERY_MS says: a burst cannot grow the heap without bound. */
export const RECOVERY_LOG_MAX_BYTES = 128 * 1024 * 1024;
/** How often sessions past the window are swept out (they are also refused on sight). */
const SESSION_SWEEP_MS = 10_000;

const EVENT = 2; // socket.io-parser's PacketType.EVENT

/**
 * Events whose content the log leaves out: what a client's `sync` after every (re)connect gives back in full anyway,
 * by sequence number (docs/realtime.md, Catch-up). A new message is most of the traffic: logging it kept two
 * minutes of every conversation on the heap (128 MB at 1,000 users and 1,500 msg/s), and collecting that heap was
 * much of the latency tail at high rates. Such a packet still takes its place (and offset) in the log, empty, so a
 * client that heard nothing else can resume its session.
 */
const SYNCED_EVENTS = new Set(['message:new']);

/**
 * Socket.IO's connection state recovery on one gateway (the in-memory adapter), with a compact, bounded log of
 * the packets a dropped socket may have missed.
 *
 * Socket.IO's own SessionAwareAdapter keeps every broadcast packet as live objects for the whole window (2 min by
 * default), drops expired ones only once a minute, and finds a returning socket's offset by scanning the whole log.
 * Under sustained load that log is most of the heap, and it has no bound but time. A reconnect storm, every client
 * coming back after one network blip, then scans it once per socket, with the event loop blocked throughout.
 *
 * Here:
 * - each packet is one JSON string, and its audience one more (the rooms, joined): columns of strings and numbers
 *   instead of an object, two arrays and a map entry per packet, so a collection marks two objects per packet, not
 *   seven (the log is most of the live heap under load, and its objects most of the marking);
 * - a packet's offset is its position in the log, in base 36, so it is found by arithmetic, not through a map;
 * - expired packets leave as new ones arrive;
 * - the log holds at most RECOVERY_LOG_MAX_BYTES.
 *
 * A socket whose offset has left the log recovers nothing and resyncs by sequence number, as after any longer
 * absence.
 *
 * Measured (1,000 users, 1,500 msg/s for 60 s, two runs each, live heap after the last mark-compact):
 * - SessionAwareAdapter: 343–357 MB;
 * - this log: 286–288 MB;
 * - recovery off: about 60 MB.
 * Delivery p99 did not differ measurably between the two logs.
 *
 * The rules for what is logged and who gets it back are SessionAwareAdapter's. This class extends the plain
 * Adapter because SessionAwareAdapter keeps its state private.
 */
export class CompactRecoveryAdapter extends Adapter {
  private readonly sessions = new Map<PrivateSessionId, DisconnectedSession>();
  private lastSweep = 0;
  // The log, oldest first, one column per field; a packet's position is `dropped` + its index. Dropped packets'
  // slots are emptied at once and removed at the next compaction.
  private readonly packets: string[] = [];
  /** Its rooms, joined by AUDIENCE_SEPARATOR, then EXCEPT_MARK and the rooms it excluded (the common case has none). */
  private readonly audiences: string[] = [];
  private readonly emittedAt: number[] = [];
  /** Index of the oldest packet still in the log (the ones before it wait for compaction). */
  private first = 0;
  /** Packets removed from the front of the columns by compaction: the position of index 0. */
  private dropped = 0;
  private bytes = 0;

  constructor(
    nsp: Namespace,
    private readonly maxDisconnectionDuration: number,
    private readonly maxBytes = RECOVERY_LOG_MAX_BYTES,
  ) {
    super(nsp);
  }

  /** The adapter class to give Socket.IO (which constructs it with the namespace alone), for a recovery window. */
  static forWindow(maxDisconnectionDuration: number, maxBytes = RECOVERY_LOG_MAX_BYTES): typeof Adapter {
    return class extends CompactRecoveryAdapter {
      constructor(nsp: Namespace) {
        super(nsp, maxDisconnectionDuration, maxBytes);
      }
    };
  }

  override persistSession(session: Omit<Session, 'missedPackets'>): void {
    const now = Date.now();
    this.sessions.set(session.pid, { ...session, disconnectedAt: now });
    if (now - this.lastSweep < SESSION_SWEEP_MS) return;
    this.lastSweep = now;
    for (const [pid, kept] of this.sessions) if (this.isExpired(kept, now)) this.sessions.delete(pid);
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    // The same packets as SessionAwareAdapter logs: events without an ack (an ack cannot be replayed) that are
    // not volatile.
    if (packet.type === EVENT && packet.id === undefined && opts.flags?.volatile === undefined) {
      const synced = SYNCED_EVENTS.has(packet.data[0]);
      // The offset rides at the end of the arguments: the client sends back the last one it processed.
      packet.data.push((this.dropped + this.packets.length).toString(36));
      this.append(synced ? '' : JSON.stringify(packet.data), synced ? '' : audienceOf(opts), Date.now());
      // Kept empty, and no socket here to take it (a message's frame to its sender, whose one socket sent it): the
      // encoding would go nowhere.
      if (synced && opts.rooms.size > 0 && !this.reachesAnyone(opts)) return;
    }
    super.broadcast(packet, opts);
  }

  /** Whether a socket connected to this gateway is in one of the rooms and not excluded (the adapter's own rule). */
  private reachesAnyone(opts: BroadcastOptions): boolean {
    for (const room of opts.rooms) for (const id of this.rooms.get(room) ?? []) if (!this.isExcluded(id, opts.except)) return true;
    return false;
  }

  /** Asked for every new message, so it builds no set: the excluded rooms are few (the sending socket's own). */
  private isExcluded(id: string, except: Set<Room> | undefined): boolean {
    for (const room of except ?? []) if (this.rooms.get(room)?.has(id)) return true;
    return false;
  }

  /** The session and the packets it missed after `offset`; null (a plain new connection) when either is gone. */
  override restoreSession(pid: PrivateSessionId, offset: string): Promise<Session> {
    const now = Date.now();
    this.expire(now);
    const kept = this.sessions.get(pid);
    this.sessions.delete(pid);
    const index = this.indexOf(offset);
    if (!kept || this.isExpired(kept, now) || index === null) return Promise.resolve(null as unknown as Session);
    const { disconnectedAt: _, ...session } = kept;
    const missedPackets: unknown[][] = [];
    for (let i = index + 1; i < this.packets.length; i++) {
      if (this.packets[i] && reaches(session.rooms, this.audiences[i]!)) missedPackets.push(JSON.parse(this.packets[i]!) as unknown[]);
    }
    return Promise.resolve({ ...session, missedPackets });
  }

  private isExpired(session: DisconnectedSession, now: number): boolean {
    return session.disconnectedAt + this.maxDisconnectionDuration < now;
  }

  /** The index of the packet an offset names while it is in the log; null for one that left it or never was. */
  private indexOf(offset: string): number | null {
    if (typeof offset !== 'string' || !/^[0-9a-z]{1,11}$/.test(offset)) return null;
    const index = parseInt(offset, 36) - this.dropped;
    return index >= this.first && index < this.packets.length ? index : null;
  }

  private append(json: string, audience: string, emittedAt: number): void {
    this.packets.push(json);
    this.audiences.push(audience);
    this.emittedAt.push(emittedAt);
    this.bytes += json.length;
    this.expire(emittedAt);
  }

  /** Drops packets past the window, and the oldest ones while the log is over its size. */
  private expire(now: number): void {
    const threshold = now - this.maxDisconnectionDuration;
    while (this.first < this.packets.length) {
      if (this.emittedAt[this.first]! >= threshold && this.bytes <= this.maxBytes) break;
      this.bytes -= this.packets[this.first]!.length;
      this.packets[this.first] = '';
      this.audiences[this.first] = '';
      this.first++;
    }
    // Compacts once the dropped head is the larger part, so dropping stays O(1) amortized and the columns do not
    // keep what they dropped.
    if (this.first > 1024 && this.first * 2 > this.packets.length) {
      this.packets.splice(0, this.first);
      this.audiences.splice(0, this.first);
      this.emittedAt.splice(0, this.first);
      this.dropped += this.first;
      this.first = 0;
    }
  }
}

/** Room names never hold these (they are `user:<id>`, `session:<id>`, `presence:<id>`). */
const AUDIENCE_SEPARATOR = '\n';
const EXCEPT_MARK = '\u0000';

function audienceOf(opts: BroadcastOptions): string {
  const rooms = [...opts.rooms].join(AUDIENCE_SEPARATOR);
  return opts.except?.size ? `${rooms}${EXCEPT_MARK}${[...opts.except].join(AUDIENCE_SEPARATOR)}` : rooms;
}

/** SessionAwareAdapter's rule: the packet went to one of the session's rooms and none of them was excluded. */
function reaches(sessionRooms: Room[], audience: string): boolean {
  const mark = audience.indexOf(EXCEPT_MARK);
  const rooms = (mark < 0 ? audience : audience.slice(0, mark)).split(AUDIENCE_SEPARATOR).filter(Boolean);
  const except = mark < 0 ? [] : audience.slice(mark + 1).split(AUDIENCE_SEPARATOR);
  const included = rooms.length === 0 || sessionRooms.some((room) => rooms.includes(room));
  return included && sessionRooms.every((room) => !except.includes(room));
}
