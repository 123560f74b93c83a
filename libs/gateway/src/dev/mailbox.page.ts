import { CapturedMailDto } from '@chat/contracts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** The captured mails as a plain HTML list; every value escaped (addresses come from strangers). */
export function renderMailbox(mails: CapturedMailDto[]): string {
  const items = mails
    .map(
      (mail) => `<li>
  <p><strong>${escapeHtml(mail.subject)}</strong><br>
  to ${escapeHtml(mail.to)} · ${escapeHtml(mail.capturedAt)} · job ${escapeHtml(mail.jobId)}</p>
  <pre>${escapeHtml(mail.text)}</pre>
</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mailbox (captured mail)</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto;">
<h1>Mailbox</h1>
<p>No SMTP server is configured, so mail is captured here instead of sent. Only this machine can see this page.</p>
${mails.length ? `<ol>${items}</ol>` : '<p>No mail yet.</p>'}
</body></html>`;
}
