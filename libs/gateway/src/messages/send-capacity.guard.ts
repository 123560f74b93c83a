import { CanActivate, Injectable } from '@nestjs/common';
import { MessageSender } from './message-sender';

/**
 * Turns a send away with COMMON.OVERLOADED before its payload is even validated, when the gateway has no room for one
 * more send in flight (SendAdmission). Under overload most sends are refused, and each refusal that skips validation
 * leaves more of the CPU to the sends taken. Guards run before pipes, on sockets and HTTP alike. MessageSender.admit
 * still decides: a send let through here may be refused there, if the last place was taken meanwhile.
 */
@Injectable()
export class SendCapacityGuard implements CanActivate {
  constructor(private readonly sender: MessageSender) {}

  canActivate(): boolean {
    this.sender.assertRoom();
    return true;
  }
}
