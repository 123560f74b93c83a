export { ChatsModule } from '@chat/chats';
