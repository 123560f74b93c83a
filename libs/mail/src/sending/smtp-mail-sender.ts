import { Injectable } from '@nestjs/common';
import { MailerService } from '@nestjs-modules/mailer';
import { MailSender, OutgoingMail } from './mail-sender';

@Injectable()
export class SmtpMailSender extends MailSender {
  constructor(private readonly mailer: MailerService) {
    super();
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.mailer.sendMail({
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      // Lets a receiving system (and the tests) tell a redelivered job from a new one.
      headers: { 'X-Relay-Job-Id': mail.jobId },
    });
  }
}
