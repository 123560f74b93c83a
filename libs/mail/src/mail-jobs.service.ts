import { Injectable, Logger } from '@nestjs/common';
import { MailRequestedEvent } from '@chat/contracts';
import { AppConfig, KeyValueStore } from '@chat/platform';
import { MailSender } from './sending/mail-sender';
import { renderMail } from './templates/rendered-mail';

/** How long a sent job id is remembered: far longer than any redelivery or retry could take. */
const SENT_MEMORY_MS = 7 * 86400_000;
/** In-process mode has no broker to retry for us: this many tries, doubling from the first delay. */
const IN_PROCESS_ATTEMPTS = 5;
const FIRST_BACKOFF_MS = 500;

const sentKey = (jobId: string) => `mail:sent:${jobId}`;

/**
 * Sends each mail job once. Over RabbitMQ a failure is thrown back to the transport, which retries with
 * backoff and then dead-letters (the message stays unacked until we return, so a crash means redelivery).
 * In one process there is no broker: we retry here, then log the job as dead.
 */
@Injectable()
export class MailJobsService {
  private readonly logger = new Logger('MailJobs');

  constructor(
    private readonly sender: MailSender,
    private readonly kv: KeyValueStore,
    private readonly config: AppConfig,
  ) {}

  async handle(job: MailRequestedEvent): Promise<void> {
    if (this.config.usesRabbitMq) return this.sendOnce(job);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sendOnce(job);
      } catch (err) {
        if (attempt >= IN_PROCESS_ATTEMPTS) {
          this.logger.error({ err, jobId: job.jobId, attempts: attempt }, `Mail job ${job.jobId} failed ${attempt} times; dead-lettered`);
          return;
        }
        const backoffMs = FIRST_BACKOFF_MS * 2 ** (attempt - 1);
        this.logger.warn({ err, jobId: job.jobId, attempt, backoffMs }, `Mail job ${job.jobId} failed; retrying`);
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
      }
    }
  }

  private async sendOnce(job: MailRequestedEvent): Promise<void> {
    if (await this.kv.get(sentKey(job.jobId))) {
      this.logger.log({ jobId: job.jobId }, 'Mail job already sent; skipped');
      return;
    }
    await this.sender.send({ jobId: job.jobId, to: job.to, ...renderMail(job) });
    await this.kv.set(sentKey(job.jobId), new Date().toISOString(), SENT_MEMORY_MS);
  }
}
