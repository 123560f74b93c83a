export * from './chats.module';
