export * from './gateway.module';
export * from './configure-http';

export * from './auth/current-user.decorator';
export * from './auth/access-token.guard';
export * from './auth/access-token.verifier';
export * from './auth/access-token';
export * from './errors/error-status';
export * from './errors/http-error.filter';
export * from './http/api-errors.decorator';
export { RealtimeIoAdapter, WsErrorFilter } from './realtime';
export * from './auth/csrf.guard';
export * from './auth/auth-cookies';
