import type { ChatsClient } from '@chat/contracts';
import type { PresenceService } from './presence.service';
import { PeopleEventsController } from './people-events.controller';
import { RealtimeServer, SocketServerRef } from './socket-server.ref';

/** A Socket.IO server that writes down what it was asked to do. */
function recordingServer() {
  const log: string[] = [];
  const server = {
    to: (rooms: string | string[]) => ({ emit: (event: string, payload: unknown) => log.push(`to ${[rooms].flat().join(',')} ${event} ${JSON.stringify(payload)}`) }),
    in: (room: string) => ({
      socketsJoin: (target: string) => log.push(`${room} join ${target}`),
      socketsLeave: (target: string) => log.push(`${room} leave ${target}`),
    }),
  };
  return { log, server: server as unknown as RealtimeServer };
}

describe('PeopleEventsController', () => {
  const setup = (contactsNow: string[]) => {
    const { log, server } = recordingServer();
    const ref = Object.assign(new SocketServerRef(), { server });
    const chats = { contactsAmong: async () => contactsNow, contactsOf: async () => ['bob', 'cyd'] } as unknown as ChatsClient;
    const presence = { states: async (ids: string[]) => ids.map((userId) => ({ userId, online: true, lastSeen: null })) } as unknown as PresenceService;
    return { log, controller: new PeopleEventsController(ref, chats, presence) };
  };

  it('follows where the pair stands now, not the event: a late "blocked" event after an unblock leaves them subscribed', async () => {
    const { log, controller } = setup(['bob']);
    await controller.onBlockChanged({ blockerId: 'ada', blockedId: 'bob', blocked: true, version: 1 });
    expect(log).toEqual([
      'to user:ada block:changed {"userId":"bob","blocked":true}',
      'user:ada join presence:bob',
      'user:bob join presence:ada',
      'to user:bob presence {"userId":"ada","online":true,"lastSeen":null}',
      'to user:ada presence {"userId":"bob","online":true,"lastSeen":null}',
    ]);
  });

  it('while blocked, ends both presence subscriptions and shows each the other dark', async () => {
    const { log, controller } = setup([]);
    await controller.onBlockChanged({ blockerId: 'ada', blockedId: 'bob', blocked: true, version: 1 });
    expect(log).toEqual([
      'to user:ada block:changed {"userId":"bob","blocked":true}',
      'user:ada leave presence:bob',
      'user:bob leave presence:ada',
      'to user:bob presence {"userId":"ada","online":false,"lastSeen":null}',
      'to user:ada presence {"userId":"bob","online":false,"lastSeen":null}',
    ]);
  });

  it('sends a changed profile without its email to the user’s contacts and own devices', async () => {
    const { log, controller } = setup([]);
    await controller.onUserUpdated({ id: 'ada', email: 'ada@example.com', displayName: 'Ada L.', avatarUrl: null, createdAt: '2026-01-01T00:00:00.000Z' });
    expect(log).toEqual(['to user:ada,user:bob,user:cyd user:updated {"id":"ada","displayName":"Ada L.","avatarUrl":null,"createdAt":"2026-01-01T00:00:00.000Z"}']);
  });

  it('never turns an event without members into a broadcast', () => {
    const { log, controller } = setup([]);
    const pin = { chatId: 'c', messageId: 'm', seq: 1, pinnedBy: 'ada', pinnedAt: '', message: { id: 'm', seq: 1, senderId: 'ada', text: 'x', hasImage: false, deleted: false } };
    controller.onPinned({ pin, pinned: true, memberIds: [] });
    controller.onPinned({ pin, pinned: true, memberIds: ['ada'] });
    expect(log).toEqual([`to user:ada pin:changed ${JSON.stringify({ pin, pinned: true })}`]);
  });
});
