export * from './messages.module';
