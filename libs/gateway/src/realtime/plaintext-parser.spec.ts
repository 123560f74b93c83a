import { createServer, Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { io as connect, Socket as ClientSocket } from 'socket.io-client';
import { Encoder, PacketType, type Packet } from 'socket.io-parser';
import { plaintextParser } from './plaintext-parser';

const message = { id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', chatId: 'c1', seq: 42, text: 'héllo "quoted" \n ✓', image: null, mentions: ['u2'], unreadCount: 3 };

describe('plaintextParser', () => {
  it('encodes a packet as the same string as Socket.IO’s own encoder', () => {
    const packets: Packet[] = [
      { type: PacketType.EVENT, nsp: '/', data: ['message:new', message, 'offset-1'] },
      { type: PacketType.ACK, nsp: '/', id: 17, data: [{ ok: true, message }] },
      { type: PacketType.EVENT, nsp: '/admin', id: 3, data: ['typing', { chatId: 'c1', typing: true }] },
      { type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc', pid: 'def' } },
      { type: PacketType.DISCONNECT, nsp: '/' },
    ];
    const ours = new plaintextParser.Encoder();
    const stock = new Encoder();
    for (const packet of packets) expect(ours.encode(packet)).toEqual(stock.encode(packet));
  });

  describe('between a server that uses it and a stock client', () => {
    let http: HttpServer;
    let io: Server;
    let client: ClientSocket;

    beforeEach(async () => {
      http = createServer();
      io = new Server(http, { parser: plaintextParser });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'] });
    });

    afterEach(async () => {
      client.close();
      await new Promise((resolve) => io.close(resolve));
    });

    it('carries events and acks both ways, and still reads what a client sends as binary', async () => {
      const served = new Promise<Socket>((resolve) => io.on('connection', resolve));
      await new Promise((resolve) => client.on('connect', resolve as never));
      const socket = await served;
      socket.on('message:send', (payload: unknown, ack: (answer: unknown) => void) => ack({ ok: true, echoed: payload, message }));
      const received = new Promise((resolve) => socket.on('upload', (bytes: unknown) => resolve(bytes)));

      const pushed = new Promise((resolve) => client.on('message:new', resolve));
      socket.emit('message:new', message);
      expect(await pushed).toEqual(message);

      expect(await client.emitWithAck('message:send', { text: 'hi', n: [1, 2] })).toEqual({ ok: true, echoed: { text: 'hi', n: [1, 2] }, message });

      client.emit('upload', Buffer.from([1, 2, 3]));
      const bytes = await received;
      expect(Buffer.isBuffer(bytes)).toBe(true);
      expect([...(bytes as Buffer)]).toEqual([1, 2, 3]);
    });
  });
});
