/**
 * The limits of ASVS 5.0 for one-time codes (see DESIGN.md); the TTL and the per-email resend cooldown come from
 * config. Nothing here is counted per account alone: what strangers do with someone's email (wrong codes, code
 * requests) must not keep that person out. A wrong guess burns the code, not the account; the address that
 * guesses runs out of tries, not its victim.
 */
export const OTP_POLICY = {
  digits: 6,
  /** Wrong tries after which a code is burned: with the resend cooldown, at most 5 guesses per cooldown per email. */
  maxTriesPerCode: 5,
  /** Codes one address may have sent to one email in a window (the cooldown spaces them out already). */
  maxSendsPerEmailAndAddress: 5,
  /** Wrong codes one address may present in a window, over every email, before it is refused. */
  maxFailuresPerAddress: 50,
  windowMs: 3600_000,
} as const;
