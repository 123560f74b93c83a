import type { NextFunction, Request, Response } from 'express';

/**
 * `Cache-Control: no-store` on every API answer: they carry user data (profiles, chats, messages, sessions) or
 * tokens (sign-in, refresh), which no browser cache or shared proxy may keep. Set before the handler runs, so
 * error answers get it too; a route that may be cached sets its own header over it. Media files, the web app
 * and the docs are outside the API prefix and keep their own caching.
 */
export function noStore(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Cache-Control', 'no-store');
  next();
}
