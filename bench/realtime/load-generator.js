#!/usr/bin/env node
/**
 * The load generator, in its own process (forked by realtime.bench.js, commands over IPC). It speaks the
 * Socket.IO protocol through socket.io-client over WebSocket, one connection per user; each user sends to its
 * peer at an even share of the total rate. Latency is measured in this one process (send → peer's message:new),
 * so no clock skew. Order is checked by the server's per-chat seq; lost = acked but never received by the peer.
 * Groups: a user without a peerId is in a group with every other connected user (all in one chat); its messages are
 * expected by all of them, and `senders` in the load command lets only the first few users send.
 */
const { io } = require('socket.io-client');
const { randomUUID } = require('node:crypto');
const { performance } = require('node:perf_hooks');

let sockets = [];
let users = [];
let state = null;

function newState() {
  return { sentAt: new Map(), acked: 0, expectedDeliveries: 0, ackErrors: 0, ackErrorCodes: {}, latencies: [], expected: new Map(), received: new Map(), lastSeq: new Map(), duplicated: 0, reordered: 0 };
}

function connectAll(url, list, origin, { listen }) {
  return Promise.all(
    list.map(
      (user) =>
        new Promise((resolve, reject) => {
          const socket = io(url, {
            path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, timeout: 60_000,
            auth: user.token ? { token: user.token } : { userId: user.id, peerId: user.peerId },
            extraHeaders: origin ? { origin } : {},
          });
          socket.once('connect', () => resolve(socket));
          socket.once('connect_error', (error) => reject(new Error(`${user.id}: ${error.message}${error.description ? ` (${error.description.message ?? error.description})` : ''}`)));
          if (listen) socket.on('message:new', (message) => onMessage(user, message));
        }),
    ),
  );
}

function onMessage(user, message) {
  if (!state || message.senderId === user.id) return; // our own echo (other devices) is not a delivery
  const key = `${user.id}|${message.chatId}`;
  const seen = state.received.get(key) ?? new Set();
  state.received.set(key, seen);
  if (seen.has(message.seq)) {
    state.duplicated++;
    return;
  }
  seen.add(message.seq);
  const last = state.lastSeq.get(key) ?? 0;
  if (message.seq < last) state.reordered++;
  else state.lastSeq.set(key, message.seq);
  const sentAt = state.sentAt.get(message.clientMessageId);
  if (sentAt !== undefined) state.latencies.push(performance.now() - sentAt);
}

/** Who must receive what `user` sends: its peer in a 1:1 chat, everyone else connected in a group. */
function recipientsOf(user) {
  return user.peerId ? [user.peerId] : users.filter((other) => other.id !== user.id).map((other) => other.id);
}

async function runLoad({ rate, seconds, drainMs, senders }) {
  const senderCount = Math.min(users.length, senders ?? users.length);
  const recipients = users.map(recipientsOf);
  state = newState();
  const started = performance.now();
  const total = Math.round(rate * seconds);
  let sent = 0;
  let next = 0;
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      for (; sent < due; sent++) {
        const i = next++ % senderCount;
        const user = users[i];
        const clientMessageId = randomUUID();
        state.sentAt.set(clientMessageId, performance.now());
        sockets[i].emit('message:send', { clientMessageId, chatId: user.chatId, text: `load ${sent}` }, (ack) => {
          if (!ack?.ok) {
            const code = ack?.error?.code ?? 'NO_ACK';
            state.ackErrorCodes[code] = (state.ackErrorCodes[code] ?? 0) + 1;
            return void state.ackErrors++;
          }
          state.acked++;
          for (const recipient of recipients[i]) {
            const key = `${recipient}|${user.chatId}`;
            const set = state.expected.get(key) ?? new Set();
            set.add(ack.data.seq);
            state.expected.set(key, set);
            state.expectedDeliveries++;
          }
        });
      }
      if (sent >= total) clearInterval(tick), resolve();
    }, 5);
  });
  const sendSeconds = (performance.now() - started) / 1000;
  // Drain: wait until every acked message arrived (or the drain time is up).
  const drainDeadline = performance.now() + drainMs;
  while (performance.now() < drainDeadline && (state.acked + state.ackErrors < total || countMissing() > 0)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const lost = countMissing();
  const sorted = state.latencies.sort((a, b) => a - b);
  const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
  return {
    target: total, acked: state.acked, expectedDeliveries: state.expectedDeliveries, ackErrors: state.ackErrors, ackErrorCodes: state.ackErrorCodes, delivered: sorted.length, lost, duplicated: state.duplicated,
    reordered: state.reordered, p50: pct(50), p99: pct(99), max: sorted[sorted.length - 1] ?? NaN, achievedRate: total / sendSeconds,
  };
}

/**
 * Acked messages not yet received by a recipient. (Not received-versus-expected totals: a send whose ack failed,
 * a timeout say, may still be delivered, and would hide a missing one.)
 */
function countMissing() {
  let missing = 0;
  for (const [key, seqs] of state.expected) {
    const got = state.received.get(key);
    if (!got) missing += seqs.size;
    else for (const seq of seqs) if (!got.has(seq)) missing++;
  }
  return missing;
}

process.on('message', async (command) => {
  try {
    if (command.type === 'connect') {
      users = command.users;
      sockets = await connectAll(command.url, users, command.origin, { listen: command.listen !== false });
      process.send({ type: 'connected', count: sockets.length });
    } else if (command.type === 'load') {
      process.send({ type: 'result', result: await runLoad(command) });
    } else if (command.type === 'close') {
      for (const socket of sockets) socket.close();
      sockets = [];
      process.send({ type: 'closed' });
    }
  } catch (error) {
    process.send({ type: 'error', message: String(error?.stack ?? error) });
  }
});
