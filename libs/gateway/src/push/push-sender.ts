import { Injectable, Logger } from '@nestjs/common';
import { PushSubscriptionDto } from '@chat/contracts';
import { AppConfig } from '@chat/platform';
import { isAllowedPushEndpoint, parseHostList } from './push-endpoint-policy';
import { resolveVapidKeys, VapidKeys } from './vapid-keys';

/** How long a push service keeps a push for a device that is off: a chat message is stale after a day. */
const PUSH_TTL_SECONDS = 24 * 3600;
const PUSH_TIMEOUT_MS = 10_000;

export type PushOutcome = 'sent' | 'gone' | 'failed';

/**
 * Sends one Web Push: the payload encrypted for the subscription's keys (RFC 8291, aes128gcm) and signed for the
 * push service with the gateways' VAPID key (RFC 8292), by the `web-push` package.
 */
@Injectable()
export class PushSender {
  private readonly logger = new Logger('PushSender');
  private readonly keys: VapidKeys;
  private readonly hosts: string[];

  constructor(private readonly config: AppConfig) {
    this.keys = resolveVapidKeys(config);
    this.hosts = parseHostList(config.env.WEB_PUSH_ENDPOINT_HOSTS);
  }

  get publicKey(): string {
    return this.keys.publicKey;
  }

  accepts(endpoint: string): boolean {
    return isAllowedPushEndpoint(endpoint, this.hosts);
  }

  /** `gone`: the push service no longer knows the subscription (404/410), so it should be forgotten. */
  async send(subscription: PushSubscriptionDto, payload: object): Promise<PushOutcome> {
    // Checked again on the way out: a subscription stored before WEB_PUSH_ENDPOINT_HOSTS changed gets nothing.
    if (!this.accepts(subscription.endpoint)) return 'failed';
    // web-push is required at the first push, not at boot: most processes of a deployment never send one.
    const { sendNotification, WebPushError } = require('web-push') as typeof import('web-push');
    try {
      await sendNotification(subscription, JSON.stringify(payload), {
        vapidDetails: { subject: this.config.env.WEB_PUSH_SUBJECT, publicKey: this.keys.publicKey, privateKey: this.keys.privateKey },
        TTL: PUSH_TTL_SECONDS,
        urgency: 'high',
        timeout: PUSH_TIMEOUT_MS,
        contentEncoding: 'aes128gcm',
      });
      return 'sent';
    } catch (error) {
      if (error instanceof WebPushError && (error.statusCode === 404 || error.statusCode === 410)) return 'gone';
      // The endpoint's host only: its path identifies the device.
      const status = error instanceof WebPushError ? error.statusCode : null;
      this.logger.warn({ host: new URL(subscription.endpoint).host, status, err: status ? undefined : error }, 'A push service refused or missed a push');
      return 'failed';
    }
  }
}
