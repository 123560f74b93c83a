#!/usr/bin/env node
/**
 * The baseline: a bare Socket.IO relay with the same wire protocol as the gateway (message:send with an ack,
 * message:new to both members' rooms), and nothing else: no token check, no validation, no persistence.
 * Usage: node relay-server.js <port>
 */
const { createServer } = require('node:http');
const { randomUUID } = require('node:crypto');
const { Server } = require('socket.io');

const port = Number(process.argv[2]);
const httpServer = createServer();
const io = new Server(httpServer, { path: '/socket.io', serveClient: false });
const seqByChat = new Map();

io.on('connection', (socket) => {
  const { userId, peerId } = socket.handshake.auth;
  socket.join(`user:${userId}`);
  socket.on('message:send', (payload, ack) => {
    const seq = (seqByChat.get(payload.chatId) ?? 0) + 1;
    seqByChat.set(payload.chatId, seq);
    const message = {
      id: randomUUID(), chatId: payload.chatId, seq, senderId: userId, clientMessageId: payload.clientMessageId,
      text: payload.text, createdAt: new Date().toISOString(),
    };
    io.to([`user:${userId}`, `user:${peerId}`]).emit('message:new', message);
    if (typeof ack === 'function') ack({ ok: true, data: message });
  });
});

httpServer.listen(port, '127.0.0.1', () => process.send?.('ready'));
