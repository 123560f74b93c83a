import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';

const THROTTLE_BUCKET = 'chat:throttle-bucket';

/** Names the per-IP budget a route draws from, so an alias (`/login`) shares it with its original (`/auth/otp`). */
export const ThrottleBucket = (bucket: 'request-code' | 'verify-code' | 'refresh'): MethodDecorator => SetMetadata(THROTTLE_BUCKET, bucket);

/** The throttler, keyed by bucket and client IP instead of by controller method. */
@Injectable()
export class SignInThrottlerGuard extends ThrottlerGuard {
  protected generateKey(context: ExecutionContext, suffix: string, name: string): string {
    const bucket = this.reflector.get<string | undefined>(THROTTLE_BUCKET, context.getHandler()) ?? `${context.getClass().name}.${context.getHandler().name}`;
    return createHash('sha256').update(`${bucket}|${name}|${suffix}`).digest('hex');
  }
}
