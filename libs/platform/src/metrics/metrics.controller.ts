import { Controller, Get, Header, Req, Res } from '@nestjs/common';
import { ErrorCodes } from '@chat/contracts/errors';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-error';
import { Public } from '../security/public.decorator';
import { AddressAllowList } from './address-allow-list';
import { Metrics } from './metrics';

/**
 * `GET /metrics` in the Prometheus text format, for the addresses METRICS_ALLOW lists (loopback by default).
 * The TCP peer decides, never X-Forwarded-For or Forwarded: a proxy in front makes every client look like the
 * proxy, so such a deployment lists its scraper's address and keeps /metrics off the proxy. Anyone else gets
 * the 404 an unknown path gets: nothing to learn about what is there.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly allowed: AddressAllowList;

  constructor(
    private readonly metrics: Metrics,
    config: AppConfig,
  ) {
    this.allowed = AddressAllowList.parse(config.env.METRICS_ALLOW);
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (!this.allowed.allows(request.socket.remoteAddress)) throw new DomainError(ErrorCodes.NOT_FOUND, 'Not found');
    const { contentType, body } = await this.metrics.render();
    response.type(contentType).send(body);
  }
}
