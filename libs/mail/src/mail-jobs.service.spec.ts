import { MailRequestedEvent } from '@chat/contracts';
import { AppConfig, EnvironmentVariables, MemoryKeyValueStore } from '@chat/platform';
import { MailJobsService } from './mail-jobs.service';
import { MailSender, OutgoingMail } from './sending/mail-sender';

class FlakySender extends MailSender {
  sent: OutgoingMail[] = [];
  failures = 0;
  async send(mail: OutgoingMail): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('451 try later');
    }
    this.sent.push(mail);
  }
}

const job: MailRequestedEvent = {
  jobId: 'job-1',
  to: 'ada@example.com',
  template: 'sign-in-code',
  data: { code: '012345', expiresInMinutes: 10 },
  requestedAt: new Date().toISOString(),
};

describe('MailJobsService', () => {
  let kv: MemoryKeyValueStore;
  let sender: FlakySender;

  beforeEach(() => {
    kv = new MemoryKeyValueStore();
    sender = new FlakySender();
  });
  afterEach(() => kv.close());

  const service = (env: Partial<EnvironmentVariables> = {}) => new MailJobsService(sender, kv, new AppConfig(Object.assign(new EnvironmentVariables(), env)));

  it('sends a job id once, however often it is delivered', async () => {
    await service().handle(job);
    await service().handle(job);
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]).toMatchObject({ to: 'ada@example.com', subject: expect.stringContaining('012345') });
    expect(sender.sent[0].html).toContain('012345');
    expect(sender.sent[0].text).toContain('012345');
  });

  it('retries in one process until the SMTP server accepts', async () => {
    sender.failures = 1;
    await service().handle(job);
    expect(sender.sent).toHaveLength(1);
  });

  it('throws over RabbitMQ so the broker retries and dead-letters, and remembers nothing unsent', async () => {
    sender.failures = 1;
    await expect(service({ RABBITMQ_URL: 'amqp://localhost' }).handle(job)).rejects.toThrow('451');
    await service({ RABBITMQ_URL: 'amqp://localhost' }).handle(job);
    expect(sender.sent).toHaveLength(1);
  });
});
