import type { ClientSession, Connection } from 'mongoose';

/**
 * `work` in one MongoDB transaction on its own session. withTransaction runs it again whole on a transient error
 * (a write conflict with a concurrent transaction), so `work` reads what it needs inside, never before.
 */
export async function inMongoTransaction<T>(connection: Connection, work: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = await connection.startSession();
  try {
    let result!: T;
    await session.withTransaction(async () => {
      result = await work(session);
    });
    return result;
  } finally {
    await session.endSession();
  }
}
