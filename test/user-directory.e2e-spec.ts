import { randomBytes } from 'node:crypto';
import { Cluster, DEPLOYMENT_MODES, DeploymentMode } from './harness/cluster';
import { signIn, SignedIn } from './harness/sign-in';
import { SmtpCapture } from './harness/smtp';

type Directory = 'private' | 'open';
const CASES: [DeploymentMode, Directory][] = DEPLOYMENT_MODES.flatMap((mode) => (['private', 'open'] as const).map((directory): [DeploymentMode, Directory] => [mode, directory]));

describe.each(CASES)('People search and profiles never show others\' emails (%s, USER_DIRECTORY=%s)', (mode, directory) => {
  let cluster: Cluster;
  let smtp: SmtpCapture;
  let ada: SignedIn;
  let bob: SignedIn;
  let cy: SignedIn;
  /** Every answer body a test read, to check no one else's email is in any of them. */
  const answers: { as: SignedIn; text: string }[] = [];
  const tag = randomBytes(3).toString('hex');

  const call = async (as: SignedIn, path: string, init: RequestInit = {}) => {
    const response = await fetch(`${cluster.url}/api/v1${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${as.accessToken}`, ...init.headers },
    });
    const text = await response.text();
    answers.push({ as, text });
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const names = async (as: SignedIn, q: string) => {
    const { status, body } = await call(as, `/users?q=${encodeURIComponent(q)}&limit=100`);
    expect(status).toBe(200);
    return (body.items as { displayName: string }[]).map((u) => u.displayName).sort();
  };
  const nameOf = (person: SignedIn) => person.user.displayName;

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    cluster = await Cluster.start(mode, { env: { SMTP_URL: smtp.url, ...(directory === 'open' ? { USER_DIRECTORY: 'open' } : {}) } });
    [ada, bob, cy] = await Promise.all(['ada', 'bob', 'cy'].map((name) => signIn(cluster, `${name}.${tag}@example.com`, smtp)));
    // Ada and Bob share a chat; Cy shares none with anyone.
    expect([200, 201]).toContain((await call(ada, '/chats/direct', { method: 'POST', body: JSON.stringify({ userId: bob.user.id }) })).status);
  });

  afterAll(async () => {
    await cluster?.stop();
    await smtp?.stop();
  });

  it('shows me my own email, and nobody else\'s by id or in a batch', async () => {
    expect((await call(ada, '/users/me')).body).toMatchObject({ id: ada.user.id, email: `ada.${tag}@example.com` });
    const one = await call(ada, `/users/${cy.user.id}`);
    expect(one.body).toEqual({ id: cy.user.id, displayName: nameOf(cy), avatarUrl: null, createdAt: expect.any(String) });
    const batch = await call(ada, `/users/batch?ids=${bob.user.id},${cy.user.id}`);
    expect(batch.body.map((u: { id: string }) => u.id).sort()).toEqual([bob.user.id, cy.user.id].sort());
    for (const user of batch.body) expect(Object.keys(user).sort()).toEqual(['avatarUrl', 'createdAt', 'displayName', 'id']);
  });

  it('finds anyone by their exact email, without echoing it', async () => {
    const { body } = await call(ada, `/users?q=${encodeURIComponent(`CY.${tag}@Example.com`)}`);
    expect(body).toEqual({ items: [{ id: cy.user.id, displayName: nameOf(cy), avatarUrl: null, createdAt: expect.any(String) }], nextCursor: null });
    // Not by a piece of it, and never myself.
    expect(await names(ada, `cy.${tag}@`)).toEqual([]);
    expect(await names(ada, `ada.${tag}@example.com`)).toEqual([]);
  });

  if (directory === 'private') {
    it('finds by name only people who share a chat with me; a stranger finds nobody', async () => {
      expect(await names(ada, '')).toEqual([nameOf(bob)]);
      expect(await names(ada, 'bob.')).toEqual([nameOf(bob)]);
      expect(await names(ada, 'cy.')).toEqual([]);
      expect(await names(bob, '')).toEqual([nameOf(ada)]);
      expect(await names(cy, '')).toEqual([]);
      expect(await names(cy, 'ada.')).toEqual([]);
      // The seed clients' people list follows the same rule.
      const alias = await call(ada, '/user/all', { method: 'POST', body: JSON.stringify({ limit: 100 }) });
      expect(alias.status).toBe(200);
      expect(alias.body.items.map((u: { id: string }) => u.id)).toEqual([bob.user.id]);
      expect((await call(cy, '/user/all', { method: 'POST', body: '{}' })).body.items).toEqual([]);
    });
  } else {
    it('finds anyone by name', async () => {
      expect(await names(cy, '')).toEqual([nameOf(ada), nameOf(bob)].sort());
      expect(await names(ada, 'cy.')).toEqual([nameOf(cy)]);
      const alias = await call(cy, '/user/all', { method: 'POST', body: JSON.stringify({ q: 'bob.' }) });
      expect(alias.body.items.map((u: { id: string }) => u.id)).toEqual([bob.user.id]);
    });
  }

  it('never put anyone else\'s email in an answer', () => {
    expect(answers.length).toBeGreaterThanOrEqual(10);
    for (const { as, text } of answers) {
      for (const other of [ada, bob, cy].filter((person) => person !== as)) {
        expect({ as: as.user.email, leaked: text.toLowerCase().includes(other.user.email.toLowerCase()) }).toEqual({ as: as.user.email, leaked: false });
      }
    }
  });
});
