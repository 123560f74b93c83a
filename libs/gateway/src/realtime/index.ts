export * from './realtime.gateway';
export * from './realtime-events.controller';
export * from './realtime-io.adapter';
export * from './ws-error.filter';
export * from './socket-server.ref';
