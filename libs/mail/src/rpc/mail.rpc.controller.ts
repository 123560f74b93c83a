import { Controller, Optional } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MailEvents, MailPatterns } from '@chat/contracts';
import { RoleEventPattern, RoleMessagePattern } from '@chat/platform';
import { MailJobsService } from '../mail-jobs.service';
import { CapturingMailSender } from '../sending/capturing-mail-sender';
import { CapturedMailsDto, MailRequestedDto } from './mail.rpc.dto';

@Controller()
export class MailRpcController {
  constructor(
    private readonly jobs: MailJobsService,
    @Optional() private readonly capture?: CapturingMailSender,
  ) {}

  @RoleEventPattern('mail', MailEvents.requested)
  requested(@Payload() job: MailRequestedDto) {
    return this.jobs.handle(job);
  }

  /** Empty when mail goes out over SMTP: nothing is captured then. */
  @RoleMessagePattern('mail', MailPatterns.capturedMails)
  capturedMails(@Payload() { limit }: CapturedMailsDto) {
    return this.capture?.list(limit) ?? [];
  }
}
