import { Injectable } from '@nestjs/common';
import { ErrorCodes, FileRef, ImageRef, MessageDto, MessagesClient } from '@chat/contracts';
import { AppConfig, DomainError, Metrics } from '@chat/platform';
import { MessageImages } from './message-images';
import { SendAdmission } from './send-admission';
import { UserSendLimiter } from './user-send-limiter';

export interface OutgoingMessage {
  senderId: string;
  chatId: string;
  clientMessageId: string;
  text?: string | null;
  replyToId?: string | null;
  /** An image uploaded before (POST /uploads), by its key. */
  imageKey?: string | null;
  /** A file or voice message uploaded before (POST /uploads/files), by its key. */
  fileKey?: string | null;
  /** The socket the send came from, if any: the message's frames skip it (its ack carries the message). */
  sentFrom?: string | null;
}

/**
 * The one way the edge sends a message (socket, REST, the seed alias), with back-pressure: this gateway's sends in
 * flight are bounded (SendAdmission: MAX_PENDING_SENDS, and beyond it what the gateway finishes in SEND_QUEUE_MS).
 * Past that a send is refused at once with COMMON.OVERLOADED instead of queueing behind work the server cannot
 * finish in time, so the sends it takes stay fast; the client sends again shortly, and the retry is idempotent
 * (same clientMessageId). Each user also has a budget of sends over all their sockets and REST (UserSendLimiter):
 * past it, COMMON.RATE_LIMITED.
 */
@Injectable()
export class MessageSender {
  private readonly admission: SendAdmission;

  constructor(
    config: AppConfig,
    private readonly messages: MessagesClient,
    private readonly images: MessageImages,
    private readonly metrics: Metrics,
    private readonly userLimit: UserSendLimiter,
  ) {
    this.admission = new SendAdmission(config.env.MAX_PENDING_SENDS, config.env.SEND_QUEUE_MS);
  }

  async send({ senderId, chatId, clientMessageId, text, replyToId, imageKey, fileKey, sentFrom }: OutgoingMessage): Promise<MessageDto> {
    if (imageKey && fileKey) throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'A message carries an image or a file, not both');
    await this.userLimit.take(senderId);
    const send = (image: ImageRef | null, file: FileRef | null = null) =>
      this.messages.send({ senderId, chatId, clientMessageId, text: text ?? null, image, file, replyToId: replyToId ?? null, sentFrom: sentFrom ?? null });
    const message = { chatId, clientMessageId };
    // An upload goes on one message only, and is freed again if the send is refused.
    return this.admit(() => {
      if (imageKey) return this.images.sendWith(imageKey, senderId, message, (image) => send(image));
      if (fileKey) return this.images.sendWithFile(fileKey, senderId, message, (file) => send(null, file));
      return send(null);
    });
  }

  /** A forward is a send like any other: the same per-user budget and back-pressure. */
  async forward(p: { userId: string; messageId: string; toChatId: string; clientMessageId: string }): Promise<MessageDto> {
    await this.userLimit.take(p.userId);
    return this.admit(() => this.messages.forward(p));
  }

  /** Runs `send` if there is room for one more send in flight; refuses it with COMMON.OVERLOADED otherwise. */
  async admit<T>(send: () => Promise<T>): Promise<T> {
    this.assertRoom();
    this.admission.enter();
    try {
      const sent = await send();
      this.metrics.messageSent();
      return sent;
    } finally {
      this.admission.leave();
    }
  }

  /** COMMON.OVERLOADED when the gateway has no room for one more send in flight (SendCapacityGuard asks before any other work). */
  assertRoom(): void {
    if (!this.admission.hasRoom()) {
      throw new DomainError(ErrorCodes.OVERLOADED, 'The server is busy; send again in a moment');
    }
  }
}
