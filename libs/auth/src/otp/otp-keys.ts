import { createHmac } from 'node:crypto';

/**
 * Key-value store keys of the sign-in codes. Emails appear only as a keyed digest, so the store never holds
 * an address and a key cannot be guessed from one without the server secret.
 */
export class OtpKeys {
  constructor(private readonly pepper: Buffer) {}

  digest(kind: string, value: string): string {
    return createHmac('sha256', this.pepper).update(`${kind}:${value}`).digest('base64url');
  }

  private email(email: string): string {
    return this.digest('email', email).slice(0, 32);
  }

  code(email: string) { return `auth:otp:${this.email(email)}`; }
  tries(codeId: string) { return `auth:otp-tries:${codeId}`; }
  cooldown(email: string) { return `auth:otp-cooldown:${this.email(email)}`; }
  /** Addresses are keyed the same way: the store holds neither where people are nor who they are. */
  private address(ip: string | null): string {
    return this.digest('ip', ip ?? 'unknown').slice(0, 32);
  }

  sends(email: string, ip: string | null) { return `auth:otp-sends:${this.email(email)}:${this.address(ip)}`; }
  failures(ip: string | null) { return `auth:otp-failures:${this.address(ip)}`; }
}
