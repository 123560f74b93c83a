import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCodes } from '@chat/contracts';
import { AuthenticatedUser, DomainError } from '@chat/platform';
import type { Request } from 'express';
import { readAccessToken, TokenSource } from './access-token';
import { AccessTokenVerifier } from './access-token.verifier';
import { IS_PUBLIC } from '@chat/platform';

export type AuthenticatedRequest = Request & { user?: AuthenticatedUser; tokenSource?: TokenSource };

/** Global guard for HTTP routes: every route needs a valid access token unless marked @Public(). */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const found = readAccessToken(request);
    if (!found) throw new DomainError(ErrorCodes.AUTH_UNAUTHENTICATED, 'Sign in first');
    request.user = await this.verifier.verify(found.token);
    request.tokenSource = found.source;
    return true;
  }
}
