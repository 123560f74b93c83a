import { Inject, Injectable } from '@nestjs/common';
import { ErrorCodes, MailClient, RequestCodeResult } from '@chat/contracts';
import { AppConfig, DomainError, KeyValueStore } from '@chat/platform';
import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { normalizeEmail } from '../domain/session';
import { OtpKeys } from './otp-keys';
import { OTP_POLICY } from './otp-policy';

export const OTP_KEYS = Symbol('OTP_KEYS');

interface StoredCode {
  id: string;
  /** HMAC of the code under the server secret: a leaked store does not reveal it, and 10^6 guesses need the key. */
  hash: string;
}

const invalidCode = () => new DomainError(ErrorCodes.AUTH_INVALID_CODE, 'The code is wrong or no longer valid; request a new one if needed');

/**
 * Issues and checks emailed one-time codes. Nothing here depends on whether the email has an account,
 * so known and unknown addresses get the same answer after the same work.
 */
@Injectable()
export class OtpService {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly config: AppConfig,
    private readonly mail: MailClient,
    @Inject(OTP_KEYS) private readonly keys: OtpKeys,
  ) {}

  private get ttlMs(): number {
    return this.config.env.OTP_TTL_SECONDS * 1000;
  }

  /** `ip`: the asker's address (null when unknown); the hourly cap counts per email and address. */
  async requestCode(rawEmail: string, ip: string | null): Promise<RequestCodeResult> {
    const email = normalizeEmail(rawEmail);
    const cooldownMs = this.config.env.OTP_RESEND_COOLDOWN_SECONDS * 1000;
    if (!(await this.kv.setIfAbsent(this.keys.cooldown(email), '1', cooldownMs))) {
      const retryAfterSeconds = Math.ceil(((await this.kv.ttlMs(this.keys.cooldown(email))) ?? cooldownMs) / 1000);
      throw new DomainError(ErrorCodes.AUTH_RESEND_COOLDOWN, `Wait ${retryAfterSeconds} s before asking for another code`, { retryAfterSeconds });
    }
    // Per email *and* address: someone asking for codes for another person's email spends their own budget,
    // never the budget of the person who owns the mailbox (the cooldown above is the per-email limit).
    const sends = await this.kv.increment(this.keys.sends(email, ip), OTP_POLICY.windowMs);
    if (sends > OTP_POLICY.maxSendsPerEmailAndAddress) {
      // This refusal sent nothing: the cooldown it just took must not hold back the mailbox's owner.
      await this.kv.delete(this.keys.cooldown(email));
      const retryAfterSeconds = Math.ceil(((await this.kv.ttlMs(this.keys.sends(email, ip))) ?? OTP_POLICY.windowMs) / 1000);
      throw new DomainError(ErrorCodes.AUTH_TOO_MANY_ATTEMPTS, 'Too many codes asked for this email; try again later', { retryAfterSeconds });
    }

    const code = String(randomInt(0, 10 ** OTP_POLICY.digits)).padStart(OTP_POLICY.digits, '0');
    const stored: StoredCode = { id: randomUUID(), hash: this.keys.digest('code', `${email}:${code}`) };
    // A new code replaces the previous one: only the latest mail works.
    await this.kv.set(this.keys.code(email), JSON.stringify(stored), this.ttlMs);
    try {
      await this.mail.request({
        jobId: stored.id,
        to: email,
        template: 'sign-in-code',
        data: { code, expiresInMinutes: Math.floor(this.config.env.OTP_TTL_SECONDS / 60) },
        requestedAt: new Date().toISOString(),
      });
    } catch (error) {
      // Nothing was queued: let the person ask again at once.
      await this.kv.delete(this.keys.cooldown(email));
      throw error;
    }
    return { status: 'sent', expiresInSeconds: this.config.env.OTP_TTL_SECONDS, resendAfterSeconds: this.config.env.OTP_RESEND_COOLDOWN_SECONDS };
  }

  /**
   * Consumes the code when right; throws AUTH.INVALID_CODE otherwise (also when burned, expired or used), and
   * AUTH.TOO_MANY_ATTEMPTS to an address that presented too many wrong codes lately. `ip`: the presenter's
   * address (null when unknown).
   */
  async verifyCode(rawEmail: string, code: string, ip: string | null): Promise<string> {
    const email = normalizeEmail(rawEmail);
    const failures = Number((await this.kv.get(this.keys.failures(ip))) ?? 0);
    if (failures >= OTP_POLICY.maxFailuresPerAddress) {
      const retryAfterSeconds = Math.ceil(((await this.kv.ttlMs(this.keys.failures(ip))) ?? OTP_POLICY.windowMs) / 1000);
      throw new DomainError(ErrorCodes.AUTH_TOO_MANY_ATTEMPTS, 'Too many wrong codes from this address; try again later', { retryAfterSeconds });
    }
    const raw = await this.kv.get(this.keys.code(email));
    const stored: StoredCode = raw ? (JSON.parse(raw) as StoredCode) : { id: '', hash: this.keys.digest('code', 'none') };
    const presented = this.keys.digest('code', `${email}:${code}`);
    // Compare even when there is no code, so "no code" and "wrong code" take the same time.
    // Both are base64url SHA-256 digests, always the same length, as timingSafeEqual requires.
    const matches = timingSafeEqual(Buffer.from(presented), Buffer.from(stored.hash));
    if (!raw) {
      await this.recordFailure(ip);
      throw invalidCode();
    }
    // Counted before the comparison result is used, atomically, so parallel guesses cannot exceed the budget.
    const tries = await this.kv.increment(this.keys.tries(stored.id), this.ttlMs);
    if (tries > OTP_POLICY.maxTriesPerCode || !matches) {
      await this.recordFailure(ip);
      if (tries >= OTP_POLICY.maxTriesPerCode) await this.burn(email, stored.id);
      throw invalidCode();
    }
    // Single use: whoever takes it first wins; a second, concurrent verify finds nothing or a newer code.
    const taken = await this.kv.take(this.keys.code(email));
    if (!taken || (JSON.parse(taken) as StoredCode).id !== stored.id) throw invalidCode();
    await this.kv.delete(this.keys.tries(stored.id));
    return email;
  }

  private async recordFailure(ip: string | null): Promise<void> {
    await this.kv.increment(this.keys.failures(ip), OTP_POLICY.windowMs);
  }

  /** Deletes the code only if it is still the one that was attacked (a fresh code must survive). */
  private async burn(email: string, codeId: string): Promise<void> {
    const current = await this.kv.get(this.keys.code(email));
    if (current && (JSON.parse(current) as StoredCode).id === codeId) await this.kv.delete(this.keys.code(email));
  }
}
