export * from './roles';
export * from './errors';
export * from './pagination';
export * from './users.contract';
export * from './chats.contract';
export * from './messages.contract';
export * from './auth.contract';
export * from './mail.contract';
