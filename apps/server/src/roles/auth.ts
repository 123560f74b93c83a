export { AuthModule } from '@chat/auth';
