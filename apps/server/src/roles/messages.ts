export { MessagesModule } from '@chat/messages';
