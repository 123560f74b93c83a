import type { LoggerService, LogLevel } from '@nestjs/common';

/**
 * Nest's own start-up chatter: a line per module initialised, per controller and per route mapped, per
 * microservice started (about 140 lines for this server). Useful when debugging the wiring, noise otherwise.
 */
const FRAMEWORK_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
  'NestMicroservice',
  'WebSocketsController',
]);

/** The context Nest's Logger passes last (`new Logger('InstanceLoader').log(msg)` → `log(msg, 'InstanceLoader')`). */
const contextOf = (params: unknown[]): unknown => params[params.length - 1];

/**
 * The application logger with Nest's start-up chatter moved to debug, so the info level shows what an operator
 * needs (the address, where sign-in codes go, warnings). Everything else passes through unchanged.
 */
export class QuietFrameworkLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) {
      this.inner.debug?.(message, ...params);
      return;
    }
    this.inner.log(message, ...params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.inner.error(message, ...params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.inner.warn(message, ...params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.inner.debug?.(message, ...params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.inner.verbose?.(message, ...params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    (this.inner.fatal ?? this.inner.error).call(this.inner, message, ...params);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.inner.setLogLevels?.(levels);
  }
}
