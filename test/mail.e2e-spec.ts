import * as amqp from 'amqplib';
import { execFileSync } from 'node:child_process';
import { get } from 'node:http';
import { networkInterfaces } from 'node:os';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { RABBITMQ_URL } from './harness/services';
import { TcpProxy } from './harness/tcp-proxy';
import { randomClientIp } from './harness/sign-in';
import { codeOf, SmtpCapture } from './harness/smtp';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The broker goes away for this suite's processes only: their relay drops every connection and refuses new ones
 * for a moment, then accepts again. The broker itself is shared with suites running beside this one, so it is
 * never stopped (`rabbitmqctl stop_app` would fail them).
 */
async function brokerOutage(proxy: TcpProxy): Promise<void> {
  await proxy.cut();
  try {
    await sleep(1000);
  } finally {
    await proxy.restore();
  }
}

/**
 * What RabbitMQ keeps through its own restart is a persistent message in a durable queue; the broker's own
 * view of a queue, since a client cannot read a queue's durability or count its persistent messages.
 */
function queueAtBroker(queue: string): { durable: boolean; messages: number; persistentMessages: number } {
  const listing = execFileSync('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name', 'durable', 'messages', 'messages_persistent'], { encoding: 'utf8' });
  const row = listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find(([name]) => name === queue);
  if (!row) throw new Error(`RabbitMQ lists no queue ${queue}:\n${listing}`);
  return { durable: row[1] === 'true', messages: Number(row[2]), persistentMessages: Number(row[3]) };
}
const uniqueEmail = (name: string) => `${name}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;

const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': randomClientIp() },
    body: JSON.stringify(body),
  });

/** An address of this machine that is not loopback, so a request from it is "someone else" to the server. */
function externalAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((candidate) => candidate && candidate.family === 'IPv4' && !candidate.internal)?.address;
  if (!address) throw new Error('This test needs a non-loopback IPv4 interface to reach the server from "outside"');
  return address;
}

describe.each(DEPLOYMENT_MODES)('Captured mail without SMTP (%s)', (mode) => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await Cluster.start(mode, { env: { LOG_LEVEL: 'info' } });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('shows the code in the server log and on the loopback mailbox page, and it signs in', async () => {
    const email = uniqueEmail('dev');
    expect((await post(cluster.url, '/auth/otp', { email })).status).toBe(202);

    let page = '';
    for (let i = 0; i < 100 && !page.includes(email); i++) {
      const response = await fetch(`${cluster.url}/dev/mailbox`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      page = await response.text();
      if (!page.includes(email)) await sleep(100);
    }
    const code = /sign-in code: (\d{6})/.exec(page.slice(page.indexOf(email) - 400))?.[1];
    expect(code).toMatch(/^\d{6}$/);

    // The log is written asynchronously; give it a moment to reach the pipe.
    const mailProcess = mode === 'single' ? cluster.process('all') : cluster.process('mail');
    for (let i = 0; i < 50 && !mailProcess.logs.includes(`sign-in code: ${code}`); i++) await sleep(100);
    expect(mailProcess.logs).toContain(`sign-in code: ${code}`);
    expect(mailProcess.logs).toContain(email);

    const verified = await post(cluster.url, '/auth/verify', { email, code });
    expect(verified.status).toBe(200);
  });

  it('hides the mailbox from anyone not on this machine', async () => {
    const gateway = mode === 'single' ? cluster.process('all') : cluster.process('gateway');
    const fromOutside = await fetch(`http://${externalAddress()}:${gateway.port}/dev/mailbox`);
    expect(fromOutside.status).toBe(404);
    expect(await fromOutside.json()).toMatchObject({ code: 'COMMON.NOT_FOUND' });
    // A forged forwarding header from loopback does not make a remote client local, nor the reverse.
    const forged = await fetch(`http://${externalAddress()}:${gateway.port}/dev/mailbox`, { headers: { 'x-forwarded-for': '127.0.0.1' } });
    expect(forged.status).toBe(404);
  });

  it('hides the mailbox from a reverse proxy on this machine: forwarding headers or a public Host', async () => {
    const gateway = mode === 'single' ? cluster.process('all') : cluster.process('gateway');
    // Plain node:http: fetch would not let a test set Host.
    const statusFrom127 = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const request = get({ host: '127.0.0.1', port: gateway.port, path: '/dev/mailbox', headers }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
      });
    expect(await statusFrom127({ host: `localhost:${gateway.port}` })).toBe(200);
    expect(await statusFrom127({ host: `127.0.0.1:${gateway.port}` })).toBe(200);
    expect(await statusFrom127({ host: `localhost:${gateway.port}`, 'x-forwarded-for': '203.0.113.9' })).toBe(404);
    expect(await statusFrom127({ host: `localhost:${gateway.port}`, forwarded: 'for=203.0.113.9;proto=https' })).toBe(404);
    expect(await statusFrom127({ host: `localhost:${gateway.port}`, 'x-real-ip': '203.0.113.9' })).toBe(404);
    expect(await statusFrom127({ host: 'chat.example.com' })).toBe(404);
  });
});

describe.each(DEPLOYMENT_MODES)('Captured mail through a crash (%s)', (mode) => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await Cluster.start(mode);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  /** How often each address appears as a recipient on the mailbox page. */
  const mailboxCounts = async (emails: string[]): Promise<Record<string, number>> => {
    const page = await (await fetch(`${cluster.url}/dev/mailbox`)).text();
    return Object.fromEntries(emails.map((email) => [email, page.split(`to ${email} ·`).length - 1]));
  };

  const requestCodes = async (emails: string[]) => {
    const statuses = await Promise.all(emails.map(async (email) => (await post(cluster.url, '/auth/otp', { email })).status));
    expect(statuses.every((status) => status === 202)).toBe(true);
  };

  const waitUntilListed = async (emails: string[]) => {
    for (let i = 0; i < 150 && Object.values(await mailboxCounts(emails)).some((n) => n === 0); i++) await sleep(100);
  };

  const mailProcess = () => (mode === 'single' ? cluster.process('all') : cluster.process('mail'));

  it('keeps the captured codes through a SIGKILL and a restart', async () => {
    const emails = Array.from({ length: 20 }, (_, i) => uniqueEmail(`kept${i}`));
    await requestCodes(emails);
    await waitUntilListed(emails);
    await mailProcess().kill();
    await mailProcess().start();
    expect(await mailboxCounts(emails)).toEqual(Object.fromEntries(emails.map((email) => [email, 1])));
  });

  if (mode === 'split') {
    it('has every code requested right before the mail process is killed in the mailbox, once each', async () => {
      // Fewer than the 50 the page lists; sent at once, so the kill lands while the mail role still works through them.
      const emails = Array.from({ length: 45 }, (_, i) => uniqueEmail(`kill${i}`));
      await requestCodes(emails);
      await mailProcess().kill();
      await mailProcess().start();
      await waitUntilListed(emails);
      // Jobs redelivered after the kill are recorded once: a marker requested after them shows nothing doubled.
      const marker = uniqueEmail('marker');
      await requestCodes([marker]);
      await waitUntilListed([marker]);
      expect(await mailboxCounts([...emails, marker])).toEqual(Object.fromEntries([...emails, marker].map((email) => [email, 1])));
    });
  }
});

describe.each(DEPLOYMENT_MODES)('Mail over a real SMTP server (%s)', (mode) => {
  let cluster: Cluster;
  let smtp: SmtpCapture;

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    cluster = await Cluster.start(mode, { env: { SMTP_URL: smtp.url } });
  });

  afterAll(async () => {
    await cluster?.stop();
    await smtp?.stop();
  });

  it('retries a failing SMTP server with backoff and delivers once', async () => {
    const email = uniqueEmail('retry');
    smtp.failNext = 2;
    expect((await post(cluster.url, '/auth/otp', { email })).status).toBe(202);
    const mail = await smtp.nextMailTo(email, 0, 30_000);
    expect(smtp.failNext).toBe(0);
    await sleep(1000);
    expect(smtp.mailsTo(email)).toHaveLength(1);
    expect((await post(cluster.url, '/auth/verify', { email, code: codeOf(mail) })).status).toBe(200);
  });

  it('does not serve the mailbox when SMTP is configured', async () => {
    expect((await fetch(`${cluster.url}/dev/mailbox`)).status).toBe(404);
  });
});

describe('Mail reliability over RabbitMQ (split)', () => {
  let cluster: Cluster;
  let smtp: SmtpCapture;
  let proxy: TcpProxy;

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    // Every process reaches the broker through a relay, so an outage can be theirs alone.
    proxy = await TcpProxy.start(RABBITMQ_URL);
    cluster = await Cluster.start('split', { env: { SMTP_URL: smtp.url, RABBITMQ_MAX_DELIVERIES: '3', RABBITMQ_URL: proxy.urlFor(RABBITMQ_URL) } });
  });

  afterAll(async () => {
    await proxy?.restore();
    await cluster?.stop();
    await proxy?.stop();
    await smtp?.stop();
  });

  it('delivers exactly once when the Mail process dies before it acks', async () => {
    const email = uniqueEmail('crash');
    smtp.holdMs = 10_000;
    const started = smtp.dataStarted;
    expect((await post(cluster.url, '/auth/otp', { email })).status).toBe(202);
    // The mail is mid-delivery: SMTP got the data but has not answered, so the job is not acked yet.
    await smtp.waitUntil(() => smtp.dataStarted > started, 15_000, 'the delivery to start');
    await cluster.process('mail').kill();
    smtp.holdMs = 0;
    await sleep(500);
    expect(smtp.mailsTo(email)).toHaveLength(0);

    await cluster.process('mail').start();
    const mail = await smtp.nextMailTo(email, 0, 30_000);
    await sleep(2000);
    expect(smtp.mailsTo(email)).toHaveLength(1);
    expect((await post(cluster.url, '/auth/verify', { email, code: codeOf(mail) })).status).toBe(200);
  });

  it('keeps a queued mail job through a broker outage, and everyone reconnects by themselves', async () => {
    const email = uniqueEmail('restart');
    await cluster.process('mail').stop();
    expect((await post(cluster.url, '/auth/otp', { email })).status).toBe(202);
    // The job now waits in the mail role's queue: durable, and the job persistent, so a broker restart keeps it too.
    const mailQueue = `${cluster.namespace}.mail`;
    let queued = queueAtBroker(mailQueue);
    for (let i = 0; i < 20 && queued.messages === 0; i++) {
      await sleep(200);
      queued = queueAtBroker(mailQueue);
    }
    expect(queued.durable).toBe(true);
    expect(queued.messages).toBeGreaterThanOrEqual(1);
    expect(queued.persistentMessages).toBe(queued.messages);
    // Take the broker away from every process under it.
    await brokerOutage(proxy);
    await cluster.process('mail').start();
    const mail = await smtp.nextMailTo(email, 0, 60_000);
    await sleep(1000);
    expect(smtp.mailsTo(email)).toHaveLength(1);
    // The gateway and auth processes were never restarted: their connections came back on their own.
    let verified = 0;
    for (let i = 0; i < 60 && verified !== 200; i++) {
      verified = (await post(cluster.url, '/auth/verify', { email, code: codeOf(mail) })).status;
      if (verified !== 200) await sleep(500);
    }
    expect(verified).toBe(200);
  });

  it('dead-letters a job the SMTP server keeps refusing, and sends nothing', async () => {
    const email = uniqueEmail('dead');
    const deadQueue = `${cluster.namespace}.mail.dead`;
    const connection = await amqp.connect(RABBITMQ_URL);
    try {
      const channel = await connection.createChannel();
      const before = (await channel.checkQueue(deadQueue)).messageCount;
      smtp.failNext = 1000;
      expect((await post(cluster.url, '/auth/otp', { email })).status).toBe(202);
      let dead = before;
      for (let i = 0; i < 150 && dead === before; i++) {
        await sleep(100);
        dead = (await channel.checkQueue(deadQueue)).messageCount;
      }
      expect(dead).toBe(before + 1);
      const parked = await channel.get(deadQueue, { noAck: true });
      expect(parked && JSON.parse(parked.content.toString()).data).toMatchObject({ to: email, template: 'sign-in-code' });
    } finally {
      smtp.failNext = 0;
      await connection.close();
    }
    expect(smtp.mailsTo(email)).toHaveLength(0);
  });
});
