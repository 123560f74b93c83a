import { DynamicModule, Module, Provider } from '@nestjs/common';
import { MailerModule } from '@nestjs-modules/mailer';
import { AppConfig } from '@chat/platform';
import { CapturedMailboxPersistenceModule } from './capture/captured-mailbox-persistence.module';
import { MailJobsService } from './mail-jobs.service';
import { MailRpcController } from './rpc/mail.rpc.controller';
import { CapturingMailSender } from './sending/capturing-mail-sender';
import { MailSender } from './sending/mail-sender';
import { SmtpMailSender } from './sending/smtp-mail-sender';

/** The `mail` role: consumes mail jobs from its own queue and sends them over SMTP, or captures them. */
@Module({})
export class MailModule {
  static forRoot(config: AppConfig): DynamicModule {
    const smtpUrl = config.env.SMTP_URL;
    const senders: Provider[] = smtpUrl
      ? [SmtpMailSender, { provide: MailSender, useExisting: SmtpMailSender }]
      : [CapturingMailSender, { provide: MailSender, useExisting: CapturingMailSender }];
    return {
      module: MailModule,
      imports: smtpUrl
        ? [
            MailerModule.forRoot({
              // Bounded waits: a stuck SMTP server fails the job (and it is retried) instead of holding it forever.
              transport: { url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never,
              defaults: { from: config.env.MAIL_FROM },
            }),
          ]
        : [CapturedMailboxPersistenceModule.forRoot(config)],
      controllers: [MailRpcController],
      providers: [...senders, MailJobsService],
    };
  }
}
