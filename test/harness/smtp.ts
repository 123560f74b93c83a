import { SMTPServer } from 'smtp-server';
import { freePort } from './ports';

export interface ReceivedMail {
  to: string[];
  subject: string;
  /** Content types of the MIME parts (a sign-in mail has text/plain and text/html). */
  partTypes: string[];
  /** The X-Relay-Job-Id header: tells a redelivered job from a new one. */
  jobId: string | null;
  raw: string;
}

/**
 * A real SMTP server on a free port that keeps what it accepts. Knobs for reliability tests:
 * `holdMs` delays the final 250 reply (a slow server), `failNext` answers that many mails with 451.
 * A mail counts as received only once the 250 went out to a still-connected client, as a real server would.
 */
export class SmtpCapture {
  readonly mails: ReceivedMail[] = [];
  holdMs = 0;
  failNext = 0;
  /** Deliveries whose DATA arrived in full, accepted or not (to see a slow server being used). */
  dataStarted = 0;
  private readonly closedSessions = new Set<string>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpCapture> {
    const port = await freePort();
    let capture!: SmtpCapture;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onClose: (session) => capture.closedSessions.add(session.id),
      onData: (stream, session, callback) => void capture.receive(stream, session.id, callback),
    });
    capture = new SmtpCapture(server, port);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    // smtp-server reports a client's dropped connection (a mail process stopped or killed mid-session: ECONNRESET,
    // EPIPE) as an 'error' of the server; unheard, it would end the whole suite. The mail is simply not delivered,
    // which is what the suites check.
    server.on('error', () => undefined);
    return capture;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  private async receive(stream: NodeJS.ReadableStream, sessionId: string, callback: (error?: Error | null) => void): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of stream) chunks.push(chunk as Buffer);
    } catch {
      return; // the client went away mid-DATA: nothing was delivered
    }
    this.dataStarted++;
    this.notify();
    if (this.failNext > 0) {
      this.failNext--;
      callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      return;
    }
    if (this.holdMs > 0) await new Promise((r) => setTimeout(r, this.holdMs).unref());
    if (this.closedSessions.has(sessionId)) return; // the client died before our 250: not delivered
    const raw = Buffer.concat(chunks).toString('utf8');
    const headers = parseHeaders(raw);
    const to = (headers.get('to') ?? '').split(',').map((a) => (/<([^>]+)>/.exec(a)?.[1] ?? a).trim().toLowerCase());
    const partTypes = [...raw.matchAll(/^Content-Type:\s*([\w/+.-]+)/gim)].map((m) => m[1].toLowerCase()).filter((t) => !t.startsWith('multipart/'));
    this.mails.push({ to, subject: headers.get('subject') ?? '', partTypes, jobId: headers.get('x-relay-job-id') ?? null, raw });
    callback();
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Resolves when `check` returns a value (checked now and after every SMTP event), or fails after `timeoutMs`. */
  async waitUntil<T>(check: () => T | undefined | null | false, timeoutMs = 15_000, what = 'a mail'): Promise<T> {
    const now = check();
    if (now) return now;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`SMTP: timed out after ${timeoutMs} ms waiting for ${what}; got ${this.mails.length} mails`));
      }, timeoutMs);
      const waiter = () => {
        const value = check();
        if (!value) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(value);
      };
      this.waiters.add(waiter);
    });
  }

  mailsTo(email: string): ReceivedMail[] {
    return this.mails.filter((mail) => mail.to.includes(email.toLowerCase()));
  }

  /** The next mail to `email` after the first `seen` ones (call `mailsTo(email).length` before asking). */
  nextMailTo(email: string, seen: number, timeoutMs?: number): Promise<ReceivedMail> {
    return this.waitUntil(() => this.mailsTo(email)[seen], timeoutMs, `mail #${seen + 1} to ${email}`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Top-level headers of a raw message, lower-cased names, folded lines joined (enough for plain ASCII headers). */
function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** The 6-digit code of a sign-in mail. */
export function codeOf(mail: ReceivedMail): string {
  const match = /\b(\d{6})\b/.exec(mail.subject);
  if (!match) throw new Error(`No code in mail "${mail.subject}"`);
  return match[1];
}
