// The gateway's error filters, which every process applies (apps/server/src/bootstrap.ts), as an entry of their own
// (`@chat/gateway/error-filters`): the index would load the rest of the gateway, which a process without the gateway
// role never needs.
export { HttpErrorFilter } from './errors/http-error.filter';
export { WsErrorFilter } from './realtime/ws-error.filter';
