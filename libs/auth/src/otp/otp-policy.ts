/** The limits of ASVS 5.0 for one-time codes (see DESIGN.md); the TTL and cooldown come from config. */
export const OTP_POLICY = {
  digits: 6,
  /** Wrong tries after which a code is burned. */
  maxTriesPerCode: 5,
  maxSendsPerEmailPerHour: 5,
  maxFailuresPerAccountPerHour: 100,
  windowMs: 3600_000,
} as const;
