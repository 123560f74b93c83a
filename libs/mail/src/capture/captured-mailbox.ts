import { CapturedMailDto } from '@chat/contracts';

/**
 * The captured mails of the embedded default, in the mail module's own store, so a code is durably recorded
 * before its job counts as done and the mailbox survives a restart. Keyed by job id: recording a redelivered
 * job again is a no-op, so a crash between the record and the broker's ack never shows a code twice.
 * The port is also the DI token.
 */
export abstract class CapturedMailbox {
  /** Stores the mail; false when its job id was recorded before (nothing changes then). */
  abstract record(mail: CapturedMailDto): Promise<boolean>;
  /** The newest mails first. */
  abstract latest(limit: number): Promise<CapturedMailDto[]>;
}

/** How long a captured mail is kept: far longer than a sign-in code lives, short enough to stay small. */
export const CAPTURED_MAIL_RETENTION_MS = 86_400_000;
