export * from './gateway.module';
export * from './configure-http';

export * from './auth/current-user.decorator';
export * from './auth/access-token.guard';
export * from './auth/access-token.verifier';
export * from './auth/access-token';
export * from './errors/error-status';
export * from './error-filters';
export * from './http/api-errors.decorator';
export { RealtimeIoAdapter } from './realtime';
export * from './auth/csrf.guard';
export * from './auth/auth-cookies';
