import type { ClientSession, Collection, Connection } from 'mongoose';
import { Types } from 'mongoose';
import { OutboxEvent, OutboxStore, PendingOutboxEvent } from './outbox-event';

interface OutboxDocument {
  _id: Types.ObjectId;
  pattern: string;
  payload: unknown;
  recordedAt: number;
}

/**
 * A module's outbox as a MongoDB collection of its own (`<module>_outbox`). `record` takes the session of the
 * transaction that makes the change, so the events commit with it or not at all. ObjectIds made by one process
 * increase in time order; across processes the order of two events of the same instant is not defined, and
 * consumers do not depend on it (they merge by seq and version).
 */
export class MongoOutbox extends OutboxStore {
  private readonly collection: Collection<OutboxDocument>;

  constructor(connection: Connection, module: string) {
    super();
    this.collection = connection.collection<OutboxDocument>(`${module}_outbox`);
  }

  async record(events: OutboxEvent[], session: ClientSession, at = Date.now()): Promise<void> {
    if (events.length === 0) return;
    await this.collection.insertMany(
      events.map((event) => ({ _id: new Types.ObjectId(), pattern: event.pattern, payload: event.payload, recordedAt: at })),
      { session },
    );
  }

  async pending(limit: number, after?: string): Promise<PendingOutboxEvent[]> {
    const filter = after === undefined ? {} : { _id: { $gt: new Types.ObjectId(after) } };
    const docs = await this.collection.find(filter).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map((doc) => ({ id: doc._id.toHexString(), pattern: doc.pattern, payload: doc.payload, recordedAt: doc.recordedAt }));
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length) await this.collection.deleteMany({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } });
  }
}
