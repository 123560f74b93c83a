import { Injectable, Logger } from '@nestjs/common';
import { AuthClient, ChatsClient, mentionedIds, MessageCreatedEvent, previewOf, UserPushSubscription, UsersClient } from '@chat/contracts';
import { PresenceService } from '../realtime/presence.service';
import { PushSender } from './push-sender';
import { pushNotificationOf, shouldPush } from './push-notification';

/**
 * Web Push for a new message, to the devices of members who have no live connection anywhere (a connected user
 * gets the message over their socket; the web app shows its own notification there). Never for the sender, never
 * in a chat the member muted unless the message mentions them (shouldPush). Best effort: a push that fails is not tried again, the message itself is safe.
 */
@Injectable()
export class PushNotifier {
  private readonly logger = new Logger('PushNotifier');

  constructor(
    private readonly presence: PresenceService,
    private readonly auth: AuthClient,
    private readonly chats: ChatsClient,
    private readonly users: UsersClient,
    private readonly sender: PushSender,
  ) {}

  /** Never throws: it runs beside the live fan-out and must not hold it up. */
  async messageCreated(event: MessageCreatedEvent): Promise<void> {
    try {
      const subscriptions = await this.subscriptionsOfOfflineMembers(event);
      if (subscriptions.length === 0) return;
      await this.notify(event, subscriptions);
    } catch (error) {
      this.logger.warn({ err: error, chatId: event.message.chatId }, 'Web Push for a new message failed');
    }
  }

  private async subscriptionsOfOfflineMembers(event: MessageCreatedEvent): Promise<UserPushSubscription[]> {
    const { senderId } = event.message;
    // A group's own lines ("Ada added Bob") are for the timeline, not worth waking a phone for.
    if (event.message.system) return [];
    // Connected to this gateway: online, no question to the store (the common case, and every member in one process).
    const elsewhere = event.memberIds.filter((id) => id !== senderId && !this.presence.isConnectedHere(id));
    if (elsewhere.length === 0) return [];
    const offline = (await this.presence.states(elsewhere)).filter((state) => !state.online).map((state) => state.userId);
    if (offline.length === 0) return [];
    return this.auth.pushSubscriptions({ userIds: offline });
  }

  private async notify(event: MessageCreatedEvent, subscriptions: UserPushSubscription[]): Promise<void> {
    const { chatId, senderId } = event.message;
    const sender = await this.users.get({ id: senderId });
    const mentions = event.message.mentions ?? mentionedIds(event.message.text);
    const names = new Map(mentions.length ? (await this.users.getMany({ ids: mentions })).map((u) => [u.id, u.displayName] as const) : []);
    const nameOf = (id: string) => names.get(id) ?? 'someone';
    const byUser = new Map<string, UserPushSubscription[]>();
    for (const s of subscriptions) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
    await Promise.all(
      [...byUser].map(async ([userId, devices]) => {
        const chat = await this.chats.get({ userId, chatId });
        if (!shouldPush({ userId, muted: chat.muted }, mentions)) return;
        const notification = pushNotificationOf(previewOf(event.message), {
          chatId,
          senderName: sender.displayName,
          groupTitle: chat.kind === 'group' ? chat.title : null,
          mentioned: mentions.includes(userId),
          nameOf,
        });
        await Promise.all(devices.map((device) => this.deliver(device, notification)));
      }),
    );
  }

  private async deliver(device: UserPushSubscription, notification: object): Promise<void> {
    const outcome = await this.sender.send(device, notification);
    if (outcome === 'gone') await this.auth.forgetPushEndpoint({ endpoint: device.endpoint });
  }
}
