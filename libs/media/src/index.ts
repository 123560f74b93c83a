export * from './media-store.port';
