import { DynamicModule, Provider } from '@nestjs/common';
import { MailerModule } from '@nestjs-modules/mailer';
import { MailSender } from './mail-sender';
import { SmtpMailSender } from './smtp-mail-sender';

/**
 * Sending over SMTP: the mailer module and the sender on it. MailModule requires this file only when SMTP_URL is
 * set, so a process that captures mail (the default) never loads the mailer, nodemailer or their templates.
 */
export function smtpMailing(smtpUrl: string, from: string): { imports: DynamicModule[]; providers: Provider[] } {
  return {
    imports: [
      MailerModule.forRoot({
        // Bounded waits: a stuck SMTP server fails the job (and it is retried) instead of holding it forever.
        transport: { url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never,
        defaults: { from },
      }),
    ],
    providers: [SmtpMailSender, { provide: MailSender, useExisting: SmtpMailSender }],
  };
}
