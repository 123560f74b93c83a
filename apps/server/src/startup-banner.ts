import { INestApplication, Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { SOCKET_PATH } from '@chat/contracts';
import { AppConfig } from '@chat/platform';

/** The base URL a person on this machine opens: a wildcard listen address is reached as localhost. */
export function localBaseUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/** The one start-up line an operator reads: where the server is and, without SMTP, where sign-in codes go. */
export function startupLine(config: AppConfig, port: number): string {
  const url = localBaseUrl(config.env.HOST, port);
  const roles = config.isMonolith ? 'all roles' : `roles ${config.roles.join(',')}`;
  if (!config.runs('gateway')) {
    const mail = config.runsInProcess('mail') && !config.env.SMTP_URL ? '; mail is captured (no SMTP_URL): sign-in codes are printed in this log' : '';
    return `Relay Chat (${roles}) is ready: health ${url}/health/ready, metrics ${url}/metrics${mail}`;
  }
  const ui = config.env.SERVE_WEB ? `${url}/` : `${url}/ (web app off: SERVE_WEB=false)`;
  const wsUrl = url.replace(/^http/, 'ws');
  const where = config.runsInProcess('mail') ? 'in this log' : "in the mail process's log";
  const mail = config.env.SMTP_URL ? '' : `. Mail is captured (no SMTP_URL): sign-in codes are printed ${where} and listed on ${url}/dev/mailbox (from this machine only)`;
  return `Relay Chat (${roles}) is ready at ${ui} · API docs ${url}/docs · socket ${wsUrl}${SOCKET_PATH}${mail}`;
}

export function logStartup(app: INestApplication, config: AppConfig): void {
  const address = app.getHttpServer().address() as AddressInfo | string | null;
  const port = typeof address === 'object' && address ? address.port : config.env.PORT;
  new Logger('Startup').log(startupLine(config, port));
}
