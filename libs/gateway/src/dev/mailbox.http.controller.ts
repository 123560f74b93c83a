import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ErrorCodes, MailClient } from '@chat/contracts';
import { AppConfig, DomainError, Public } from '@chat/platform';
import type { Request } from 'express';
import { isDirectLocalRequest } from './loopback';
import { renderMailbox } from './mailbox.page';

/**
 * `GET /dev/mailbox`: the mails captured while no SMTP server is configured, for the person running the
 * server. Anyone not on this machine, anything that came through a proxy (even one on this machine), and
 * everyone once SMTP is configured, gets a plain 404.
 */
@ApiExcludeController()
@Public()
@Controller('dev')
export class MailboxHttpController {
  constructor(
    private readonly mail: MailClient,
    private readonly config: AppConfig,
  ) {}

  @Get('mailbox')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async mailbox(@Req() request: Request): Promise<string> {
    if (this.config.env.SMTP_URL || !isDirectLocalRequest(request)) {
      throw new DomainError(ErrorCodes.NOT_FOUND, 'Not found');
    }
    return renderMailbox(await this.mail.capturedMails({ limit: 50 }));
  }
}
