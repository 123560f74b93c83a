import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedUser } from '@chat/platform';
import type { AuthenticatedRequest } from './access-token.guard';

/** The authenticated caller; the only source of "who is acting" (never a body or query field). */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedUser => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().user!;
});
