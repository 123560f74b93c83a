import { MailTemplateData } from '@chat/contracts';
import { renderSignInCode } from './sign-in-code.template';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Plain TypeScript templates, one per kind of mail: no template engine, every value escaped in HTML. */
export function renderMail(mail: MailTemplateData): RenderedMail {
  switch (mail.template) {
    case 'sign-in-code':
      return renderSignInCode(mail.data);
  }
}
