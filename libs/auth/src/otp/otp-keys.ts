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
  sends(email: string) { return `auth:otp-sends:${this.email(email)}`; }
  failures(email: string) { return `auth:otp-failures:${this.email(email)}`; }
}
