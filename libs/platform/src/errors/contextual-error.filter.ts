import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';

type ContextType = 'http' | 'rpc' | 'ws';

/**
 * Hybrid apps share one set of global filters between HTTP and their microservices (Nest requires them to be
 * registered before init, with inheritAppConfig). This one filter hands each error to the filter of its context.
 */
@Catch()
export class ContextualErrorFilter implements ExceptionFilter {
  constructor(private readonly filters: Partial<Record<ContextType, ExceptionFilter>>) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const filter = this.filters[host.getType<ContextType>()];
    if (!filter) throw exception;
    return filter.catch(exception, host);
  }
}
