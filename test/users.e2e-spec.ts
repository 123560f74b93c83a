import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { mintAccessToken } from './harness/tokens';

describe.each(DEPLOYMENT_MODES)('Users over real HTTP (%s)', (mode) => {
  let cluster: Cluster;
  let people: { id: string; email: string; displayName: string }[];
  let token: string;

  const api = (path: string, init: RequestInit = {}, bearer = token) =>
    fetch(`${cluster.url}/api/v1${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...init.headers },
    });

  beforeAll(async () => {
    // An open directory: everyone can be found by name (test/user-directory.e2e-spec.ts covers the private default).
    cluster = await Cluster.start(mode, { env: { USER_DIRECTORY: 'open' } });
    people = seedUsers(cluster.dataDir, [
      { email: 'ada@example.com', displayName: 'Ada Lovelace' },
      { email: 'alan@example.com', displayName: 'Alan Turing' },
      { email: 'grace@example.com', displayName: 'Grace Hopper' },
      { email: 'adele@music.test', displayName: 'Adele' },
      { email: 'zed@example.com', displayName: 'Zed' },
    ]);
    token = mintAccessToken(cluster.jwtSecret, people[0].id);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('returns the signed-in user and refuses without a token', async () => {
    const me = await api('/users/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: people[0].id, email: 'ada@example.com', displayName: 'Ada Lovelace', avatarUrl: null });

    const anonymous = await api('/users/me', {}, '');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
  });

  it('updates the profile and validates the change', async () => {
    const updated = await api('/users/me', { method: 'PATCH', body: JSON.stringify({ displayName: 'Countess Ada' }) });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ displayName: 'Countess Ada' });

    const bad = await api('/users/me', { method: 'PATCH', body: JSON.stringify({ displayName: '' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'VALIDATION.FAILED' });

    const servedHere = await api('/users/me', { method: 'PATCH', body: JSON.stringify({ avatarUrl: '/media/0123abcd.webp' }) });
    expect(await servedHere.json()).toMatchObject({ avatarUrl: '/media/0123abcd.webp' });
    const elsewhere = await api('/users/me', { method: 'PATCH', body: JSON.stringify({ avatarUrl: 'https://res.cloudinary.com/demo/a.webp' }) });
    expect(await elsewhere.json()).toMatchObject({ avatarUrl: 'https://res.cloudinary.com/demo/a.webp' });
    for (const hostile of ['javascript:alert(1)', 'data:image/svg+xml,<svg/>', '/api/v1/users/me']) {
      const refused = await api('/users/me', { method: 'PATCH', body: JSON.stringify({ avatarUrl: hostile }) });
      expect(refused.status).toBe(400);
    }

    const smuggled = await api('/users/me', { method: 'PATCH', body: JSON.stringify({ email: 'evil@example.com' }) });
    expect(smuggled.status).toBe(400);
    const after = await (await api('/users/me')).json();
    expect(after.email).toBe('ada@example.com');
  });

  it('gets one user, several users, and 404s an unknown id', async () => {
    const one = await api(`/users/${people[1].id}`);
    const alan = await one.json();
    expect(alan).toMatchObject({ displayName: 'Alan Turing' });
    expect(alan).not.toHaveProperty('email');

    const many = await api(`/users/batch?ids=${people[1].id},${people[2].id},unknown`);
    const list = (await many.json()) as { id: string }[];
    expect(list.map((u) => u.id).sort()).toEqual([people[1].id, people[2].id].sort());
    for (const user of list) expect(user).not.toHaveProperty('email');

    const missing = await api('/users/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'USER.NOT_FOUND' });
  });

  it('searches by name prefix or exact email, never showing an email, excluding the searcher', async () => {
    const byName = await (await api('/users?q=al')).json();
    expect(byName.items.map((u: { displayName: string }) => u.displayName)).toEqual(['Alan Turing']);

    const byEmail = await (await api('/users?q=Grace@Example.com')).json();
    expect(byEmail.items).toEqual([{ id: people[2].id, displayName: 'Grace Hopper', avatarUrl: null, createdAt: expect.any(String) }]);
    // An email prefix finds nobody: it would spell addresses out letter by letter.
    expect((await (await api('/users?q=grace@')).json()).items).toEqual([]);
    expect((await (await api('/users?q=ada@example.com')).json()).items).toEqual([]);

    const everyoneElse = await (await api('/users?q=')).json();
    expect(everyoneElse.items.map((u: { id: string }) => u.id)).not.toContain(people[0].id);
  });

  it('paginates everyone with a cursor, no gap and no duplicate', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await (await api(`/users?q=&limit=2${query}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u: { displayName: string }) => u.displayName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Adele', 'Alan Turing', 'Grace Hopper', 'Zed']);

    const badCursor = await api('/users?cursor=not-a-cursor');
    expect(badCursor.status).toBe(400);
  });

  it('answers malformed JSON with a clear 400, not a 500', async () => {
    const response = await api('/users/me', { method: 'PATCH', body: '{"displayName":' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION.FAILED' });
  });
});
