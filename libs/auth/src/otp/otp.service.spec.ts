import { MailClient, MailRequestedEvent } from '@chat/contracts';
import { AppConfig, DomainError, EnvironmentVariables, MemoryKeyValueStore } from '@chat/platform';
import { OtpKeys } from './otp-keys';
import { OtpService } from './otp.service';

/** The store, read back whole: what an attacker with a copy of Redis would see. */
function dump(kv: MemoryKeyValueStore): string {
  return JSON.stringify([...(kv as unknown as { entries: Map<string, unknown> }).entries]);
}

describe('OtpService', () => {
  let kv: MemoryKeyValueStore;
  let sent: MailRequestedEvent[];
  let otp: OtpService;
  const keys = new OtpKeys(Buffer.from('pepper'));

  beforeEach(() => {
    kv = new MemoryKeyValueStore();
    sent = [];
    const mail = { request: async (job: MailRequestedEvent) => void sent.push(job) } as unknown as MailClient;
    const config = new AppConfig(Object.assign(new EnvironmentVariables(), { OTP_RESEND_COOLDOWN_SECONDS: 1 }));
    otp = new OtpService(kv, config, mail, keys);
  });

  afterEach(() => kv.close());

  const codeSent = () => sent[sent.length - 1].data.code;
  const expectCode = async (promise: Promise<unknown>, code: string) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
  };

  it('mails 6 random digits and keeps neither the code nor the email in the store', async () => {
    await otp.requestCode('Ada@Example.com');
    expect(codeSent()).toMatch(/^\d{6}$/);
    expect(sent[0].to).toBe('ada@example.com');
    expect(dump(kv)).not.toContain(codeSent());
    expect(dump(kv)).not.toContain('ada@example.com');
  });

  it('accepts the right code once, whatever the case of the email', async () => {
    await otp.requestCode('ada@example.com');
    await expect(otp.verifyCode('ADA@example.com', codeSent())).resolves.toBe('ada@example.com');
    await expectCode(otp.verifyCode('ada@example.com', codeSent()), 'AUTH.INVALID_CODE');
  });

  it('burns the code on the fifth wrong try', async () => {
    await otp.requestCode('ada@example.com');
    const code = codeSent();
    const wrong = String((Number(code) + 1) % 1e6).padStart(6, '0');
    for (let i = 0; i < 5; i++) await expectCode(otp.verifyCode('ada@example.com', wrong), 'AUTH.INVALID_CODE');
    await expectCode(otp.verifyCode('ada@example.com', code), 'AUTH.INVALID_CODE');
  });

  it('lets only the newest code work', async () => {
    await otp.requestCode('ada@example.com');
    const first = codeSent();
    await new Promise((r) => setTimeout(r, 1050));
    await otp.requestCode('ada@example.com');
    if (first !== codeSent()) await expectCode(otp.verifyCode('ada@example.com', first), 'AUTH.INVALID_CODE');
    await expect(otp.verifyCode('ada@example.com', codeSent())).resolves.toBe('ada@example.com');
  });

  it('locks an account after 100 failed verifications in an hour, even for the right code', async () => {
    await otp.requestCode('ada@example.com');
    const code = codeSent();
    for (let i = 0; i < 100; i++) await kv.increment(keys.failures('ada@example.com'), 3600_000);
    await expectCode(otp.verifyCode('ada@example.com', code), 'AUTH.TOO_MANY_ATTEMPTS');
  });

  it('counts failures from real wrong guesses towards the account limit', async () => {
    for (let i = 0; i < 100; i++) await expectCode(otp.verifyCode('bob@example.com', '000000'), 'AUTH.INVALID_CODE');
    await otp.requestCode('bob@example.com');
    await expectCode(otp.verifyCode('bob@example.com', codeSent()), 'AUTH.TOO_MANY_ATTEMPTS');
  });

  it('refuses a resend within the cooldown, and a sixth code within the hour', async () => {
    await otp.requestCode('ada@example.com');
    await expectCode(otp.requestCode('ada@example.com'), 'AUTH.RESEND_COOLDOWN');
    for (let i = 0; i < 4; i++) {
      await kv.delete(keys.cooldown('ada@example.com'));
      await otp.requestCode('ada@example.com');
    }
    await kv.delete(keys.cooldown('ada@example.com'));
    await expectCode(otp.requestCode('ada@example.com'), 'AUTH.TOO_MANY_ATTEMPTS');
    expect(sent).toHaveLength(5);
  });
});
