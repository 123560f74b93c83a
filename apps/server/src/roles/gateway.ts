// The gateway role's code: its Nest module, and the HTTP and Socket.IO edge bootstrap.ts sets up for it.
export { configureGatewayHttp, GatewayModule, RealtimeIoAdapter } from '@chat/gateway';
