import { Injectable } from '@nestjs/common';
import { ClientInfo, SignInResult, UsersClient } from '@chat/contracts';
import { OtpService } from './otp/otp.service';
import { SessionsService } from './sessions.service';

/** Code in, session out: the first successful verify of an email creates its account. */
@Injectable()
export class SignInService {
  constructor(
    private readonly otp: OtpService,
    private readonly users: UsersClient,
    private readonly sessions: SessionsService,
  ) {}

  async verify(email: string, code: string, client: ClientInfo): Promise<SignInResult> {
    const verifiedEmail = await this.otp.verifyCode(email, code, client.ip);
    const { user, created } = await this.users.ensureByEmail({ email: verifiedEmail });
    const tokens = await this.sessions.open(user, client);
    return { ...tokens, user, created };
  }
}
