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

  const HOME = '192.0.2.1';
  const ATTACKER = '198.51.100.66';
  const wrongFor = (code: string) => String((Number(code) + 1) % 1e6).padStart(6, '0');

  it('mails 6 random digits and keeps neither the code, the email nor the address in the store', async () => {
    await otp.requestCode('Ada@Example.com', HOME);
    expect(codeSent()).toMatch(/^\d{6}$/);
    expect(sent[0].to).toBe('ada@example.com');
    await expectCode(otp.verifyCode('ada@example.com', wrongFor(codeSent()), HOME), 'AUTH.INVALID_CODE');
    expect(dump(kv)).not.toContain(codeSent());
    expect(dump(kv)).not.toContain('ada@example.com');
    expect(dump(kv)).not.toContain(HOME);
  });

  it('accepts the right code once, whatever the case of the email', async () => {
    await otp.requestCode('ada@example.com', HOME);
    await expect(otp.verifyCode('ADA@example.com', codeSent(), HOME)).resolves.toBe('ada@example.com');
    await expectCode(otp.verifyCode('ada@example.com', codeSent(), HOME), 'AUTH.INVALID_CODE');
  });

  it('burns the code on the fifth wrong try', async () => {
    await otp.requestCode('ada@example.com', HOME);
    const code = codeSent();
    for (let i = 0; i < 5; i++) await expectCode(otp.verifyCode('ada@example.com', wrongFor(code), ATTACKER), 'AUTH.INVALID_CODE');
    await expectCode(otp.verifyCode('ada@example.com', code, HOME), 'AUTH.INVALID_CODE');
  });

  it('lets only the newest code work', async () => {
    await otp.requestCode('ada@example.com', HOME);
    const first = codeSent();
    await new Promise((r) => setTimeout(r, 1050));
    await otp.requestCode('ada@example.com', HOME);
    if (first !== codeSent()) await expectCode(otp.verifyCode('ada@example.com', first, HOME), 'AUTH.INVALID_CODE');
    await expect(otp.verifyCode('ada@example.com', codeSent(), HOME)).resolves.toBe('ada@example.com');
  });

  it('refuses an address after 50 wrong codes in an hour, over any emails, even for a right code', async () => {
    for (let i = 0; i < 50; i++) await expectCode(otp.verifyCode(`victim${i % 7}@example.com`, '000000', ATTACKER), 'AUTH.INVALID_CODE');
    await otp.requestCode('mallory@example.com', ATTACKER);
    await expectCode(otp.verifyCode('mallory@example.com', codeSent(), ATTACKER), 'AUTH.TOO_MANY_ATTEMPTS');
  });

  it('never locks the account: after 100 wrong codes for it, its owner signs in with a fresh code', async () => {
    for (let i = 0; i < 100; i++) await expectCode(otp.verifyCode('bob@example.com', '000000', `203.0.113.${i}`), 'AUTH.INVALID_CODE');
    await otp.requestCode('bob@example.com', HOME);
    await expect(otp.verifyCode('bob@example.com', codeSent(), HOME)).resolves.toBe('bob@example.com');
  });

  it('refuses a resend within the cooldown, and a sixth code to one email from one address within the hour', async () => {
    await otp.requestCode('ada@example.com', ATTACKER);
    await expectCode(otp.requestCode('ada@example.com', HOME), 'AUTH.RESEND_COOLDOWN');
    for (let i = 0; i < 4; i++) {
      await kv.delete(keys.cooldown('ada@example.com'));
      await otp.requestCode('ada@example.com', ATTACKER);
    }
    await kv.delete(keys.cooldown('ada@example.com'));
    await expectCode(otp.requestCode('ada@example.com', ATTACKER), 'AUTH.TOO_MANY_ATTEMPTS');
    expect(sent).toHaveLength(5);
    // The refused request took no cooldown, and the owner's own address has its own budget.
    await otp.requestCode('ada@example.com', HOME);
    expect(sent).toHaveLength(6);
    await expect(otp.verifyCode('ada@example.com', codeSent(), HOME)).resolves.toBe('ada@example.com');
  });
});
