export { MailModule } from '@chat/mail';
