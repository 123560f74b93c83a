export { UsersModule } from '@chat/users';
