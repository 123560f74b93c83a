import type { LoggerService } from '@nestjs/common';
import { QuietFrameworkLogger } from './quiet-framework-logger';

describe('QuietFrameworkLogger', () => {
  const calls: [string, unknown[]][] = [];
  const record = (level: string) => (...args: unknown[]) => void calls.push([level, args]);
  const inner: LoggerService = { log: record('log'), error: record('error'), warn: record('warn'), debug: record('debug'), verbose: record('verbose') };
  const logger = new QuietFrameworkLogger(inner);
  beforeEach(() => calls.splice(0));

  it("moves Nest's start-up lines to debug", () => {
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Mapped {/api/v1/chats, GET} route', 'RouterExplorer');
    logger.log('Nest microservice successfully started', 'NestMicroservice');
    expect(calls.map(([level]) => level)).toEqual(['debug', 'debug', 'debug']);
    expect(calls[0][1]).toEqual(['AppModule dependencies initialized', 'InstanceLoader']);
  });

  it('passes everything else through at its own level', () => {
    logger.log('Relay Chat is ready', 'Startup');
    logger.log({ to: 'a@example.com' }, 'Captured mail', 'CapturingMailSender');
    logger.warn('Refused', 'SocketAuthenticator');
    logger.error('boom', 'stack', 'RouterExplorer');
    expect(calls.map(([level]) => level)).toEqual(['log', 'log', 'warn', 'error']);
  });
});
