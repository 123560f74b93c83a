import { SignInCodeMail } from '@chat/contracts';
import { escapeHtml } from './escape-html';
import { RenderedMail } from './rendered-mail';

export function renderSignInCode({ code, expiresInMinutes }: SignInCodeMail['data']): RenderedMail {
  const subject = `Your Relay Chat sign-in code: ${code}`;
  const text = [
    `Your sign-in code is ${code}`,
    '',
    `It works once, for ${expiresInMinutes} minutes.`,
    'If you did not ask for it, ignore this mail: nobody can sign in without the code.',
  ].join('\n');
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; color: #111;">
  <p>Your sign-in code is</p>
  <p style="font-size: 28px; font-weight: bold; letter-spacing: 6px;">${escapeHtml(code)}</p>
  <p>It works once, for ${escapeHtml(String(expiresInMinutes))} minutes.</p>
  <p style="color: #666;">If you did not ask for it, ignore this mail: nobody can sign in without the code.</p>
</body></html>`;
  return { subject, text, html };
}
