import { createServer } from 'node:net';

/*
 * Ports come from a block of this jest worker's own, below the kernel's ephemeral range (32768 and up here), and in
 * turn within it. Ports the kernel picked (listen on 0) could be handed to another worker's server as well, or
 * taken as the source port of an outgoing connection, between this check and the server's own listen. Then the
 * server this suite waits for is not its own: a full run once saw a single-process cluster answer ready while its
 * own data directory had no users table yet.
 */
const BLOCK = 800;
const FIRST = 12_000;
const WORKERS = 16;
const worker = (Number(process.env.JEST_WORKER_ID ?? 1) - 1) % WORKERS;
// Two jest runs at once have the same worker ids: each process starts at its own place in the block.
let next = process.pid % BLOCK;

/** A port free right now, never handed out before by this process (until its block wraps), nor by another worker. */
export async function freePort(): Promise<number> {
  for (let tried = 0; tried < BLOCK; tried++) {
    const port = FIRST + worker * BLOCK + (next++ % BLOCK);
    if (await isFree(port)) return port;
  }
  throw new Error(`No free port in ${FIRST + worker * BLOCK}–${FIRST + (worker + 1) * BLOCK - 1}`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
