import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@chat/platform';
import { CapturedMailboxPersistenceModule } from './capture/captured-mailbox-persistence.module';
import { MailJobsService } from './mail-jobs.service';
import { MailRpcController } from './rpc/mail.rpc.controller';
import { CapturingMailSender } from './sending/capturing-mail-sender';
import { MailSender } from './sending/mail-sender';

/** The `mail` role: consumes mail jobs from its own queue and sends them over SMTP, or captures them. */
@Module({})
export class MailModule {
  static forRoot(config: AppConfig): DynamicModule {
    const smtpUrl = config.env.SMTP_URL;
    const sending = smtpUrl
      ? // Required, not imported: only a process that sends over SMTP loads the mailer.
        (require('./sending/smtp-mailing') as typeof import('./sending/smtp-mailing')).smtpMailing(smtpUrl, config.env.MAIL_FROM)
      : {
          imports: [CapturedMailboxPersistenceModule.forRoot(config)],
          providers: [CapturingMailSender, { provide: MailSender, useExisting: CapturingMailSender }],
        };
    return {
      module: MailModule,
      imports: sending.imports,
      controllers: [MailRpcController],
      providers: [...sending.providers, MailJobsService],
    };
  }
}
