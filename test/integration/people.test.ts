/**
 * The people directory on the real engines: admins create, edit and deactivate people within their
 * scope; a deactivated officer's open reports are handed to the post's other officers (or, when
 * there is none, escalated), on the timeline and by SMS; an account's one-time password must be
 * replaced at first sign-in; every change is in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_GRID, SECOND_GRID, scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;

/** The second village of 百丈乡 (那沙村's neighbour 百丈村) and its first grid: nobody else's tests touch them. */
const VILLAGE2 = '451322201002';
const VILLAGE2_GRID = '451322201002001';
const THIRD_GRID = '451322201001003';
/** 那沙村's secretary (village1), who gets what the third grid's worker leaves when nobody else is there. */
const VILLAGE1_PHONE = '+8613877200201';

beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
});
afterAll(async () => rt?.stop());

const as = async (username: string) => ({ token: await rt.login(username) });
const post = async (username: string, path: string, body?: unknown) => rt.http('POST', path, { ...(await as(username)), body });
const patch = async (username: string, path: string, body: unknown) => rt.http('PATCH', path, { ...(await as(username)), body });
const get = async (username: string, path: string) => rt.http('GET', path, await as(username));

const newWorker = (overrides: Record<string, unknown> = {}) => ({
  name: '韦新民',
  phone: '139 7720 1234',
  role: 'grid_worker',
  scope: VILLAGE2_GRID,
  title: '网格员',
  ...overrides,
});

describe('creating and editing people', () => {
  it('a township admin adds a grid worker in their subtree: the phone is normalised, the directory lists them with it in full', async () => {
    // Act
    const created = await post('township1', '/api/v1/people', newWorker());
    const listed = await get('village2', `/api/v1/people?node=${VILLAGE2}`);
    const found = await get('township1', `/api/v1/people?q=${encodeURIComponent('韦新民')}`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.person).toMatchObject({
      name: '韦新民',
      phone: '+8613977201234',
      role: 'grid_worker',
      scope: VILLAGE2_GRID,
      title: '网格员',
      active: true,
      responsible: true,
      version: 1,
    });
    expect(created.body.person.id).toMatch(/^p-[A-Za-z0-9]+$/);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p: { phone: string }) => p.phone)).toContain('+8613977201234');
    expect(listed.body.items.every((p: { scope: string }) => p.scope.startsWith(VILLAGE2))).toBe(true);
    expect(found.body.items.map((p: { name: string }) => p.name)).toEqual(['韦新民']);
  });

  it('records every change in the audit trail: who, when, which fields from what to what', async () => {
    // Prepare
    const { body } = await post('township1', '/api/v1/people', newWorker({ name: '蓝小燕', phone: '13977201235' }));
    const id = body.person.id as string;

    // Act
    const edited = await patch('village2', `/api/v1/people/${id}`, { title: '百丈村第一网格网格员', phone: '+8613977201236' });
    const again = await patch('village2', `/api/v1/people/${id}`, { title: '百丈村第一网格网格员' });
    const history = await get('admin', `/api/v1/history?subject=person:${id}`);

    // Assess
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ person: { phone: '+8613977201236', version: 2 }, handOver: [] });
    expect(again.body.person.version).toBe(2);
    expect(history.status).toBe(200);
    expect(history.body.items.map((e: { change: string }) => e.change)).toEqual(['updated', 'created']);
    expect(history.body.items[0]).toMatchObject({
      actor: { id: 'p-village-2', role: 'village_admin' },
      before: { title: '网格员', phone: '+8613977201235' },
      after: { title: '百丈村第一网格网格员', phone: '+8613977201236' },
    });
  });

  it.each([
    ['a village admin, a township admin', 'village1', { role: 'township_admin', scope: '451322201' }, 403, 'PEOPLE.ROLE_ABOVE_YOURS'],
    ['a township admin, someone in the other township', 'township1', { scope: '451322101001001' }, 403, 'PEOPLE.OUT_OF_SCOPE'],
    ['a village admin, a department officer', 'village1', { role: 'department_officer', scope: 'housing' }, 403, 'PEOPLE.OUT_OF_SCOPE'],
    ['a grid worker, anyone', 'worker1', {}, 403, 'PEOPLE.NOT_AN_ADMIN'],
    ['a department officer, anyone', 'dept4', {}, 403, 'PEOPLE.NOT_AN_ADMIN'],
    ['an admin, a grid worker scoped to a village', 'township1', { scope: VILLAGE2 }, 422, 'PEOPLE.SCOPE_MISMATCH'],
    ['an admin, someone at a node that does not exist', 'admin', { scope: '451322201009001' }, 422, 'PEOPLE.SCOPE_UNKNOWN'],
    ['an admin, a landline for SMS', 'admin', { phone: '0772-4567890' }, 400, 'PEOPLE.INVALID'],
    ['an admin, a name of spaces', 'admin', { name: '   ' }, 400, 'PEOPLE.INVALID'],
  ])('refuses %s, and stores nothing', async (_case, username, overrides, status, code) => {
    // Prepare
    const before = await get('admin', `/api/v1/people?limit=100`);

    // Act
    const res = await post(username, '/api/v1/people', newWorker({ name: '拒绝测试', ...overrides }));

    // Assess
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    const after = await get('admin', `/api/v1/people?limit=100`);
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('refuses a transfer out of the admin’s scope and leaves the person where they were', async () => {
    // Prepare
    const { body } = await post('township1', '/api/v1/people', newWorker({ name: '莫调动', phone: '13977201237' }));
    const id = body.person.id as string;

    // Act
    const res = await patch('township1', `/api/v1/people/${id}`, { scope: '451322101001001' });

    // Assess
    expect(res.status).toBe(403);
    expect((await get('township1', `/api/v1/people/${id}`)).body.person.scope).toBe(VILLAGE2_GRID);
  });

  it('lets people read their own record, and nobody else’s but the admins over them', async () => {
    // Act
    const own = await get('worker1', '/api/v1/people/p-worker-1');
    const colleague = await get('worker1', '/api/v1/people/p-worker-3');
    const listing = await get('worker1', '/api/v1/people');

    // Assess
    expect(own.status).toBe(200);
    expect(own.body.person).toMatchObject({ id: 'p-worker-1', scope: FIRST_GRID, active: true });
    expect(colleague.status).toBe(403);
    expect(listing.status).toBe(403);
  });
});

describe('deactivation hands open reports over', () => {
  it('to the post’s other officer, texted at their number, with the hand-over on the timeline', async () => {
    // Prepare: worker2's report waits for 签收 at their grid; a second worker joins the grid.
    const id = await s.file({ gridCode: SECOND_GRID, title: '二组水渠垮塌' }, 'worker2');
    await s.untilParked(id, 1);
    const oldToken = await rt.login('worker2');
    const joined = await post('village1', '/api/v1/people', newWorker({ name: '李四', phone: '13977205555', scope: SECOND_GRID }));
    const newcomer = joined.body.person.id as string;

    // Act
    const dryRun = await post('village1', '/api/v1/people/p-worker-2/deactivate', { dryRun: true });
    const unchanged = await rt.runtime.container.deps.reports.get(id);
    const done = await post('village1', '/api/v1/people/p-worker-2/deactivate', {});

    // Assess: the dry run shows the hand-over and changes nothing
    const expected = { reportId: id, title: '二组水渠垮塌', tier: 'grid', action: 'reassigned', to: ['李四'] };
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({ person: { id: 'p-worker-2', active: true }, handOver: [expected] });
    expect(unchanged).toMatchObject({ tierSeq: 1, assignees: [{ id: 'p-worker-2' }] });
    // …the real one does it
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ person: { id: 'p-worker-2', active: false }, handOver: [expected] });
    // 'sent', not just claimed: the claim is stored before the SMS reaches the phone (the outbox).
    const h = await s.until(
      id,
      (r) =>
        r.report.tierSeq === 2 && r.notifications.some((n: { toId: string; status: string }) => n.toId === newcomer && n.status === 'sent'),
    );
    expect(h.report).toMatchObject({ tier: 'grid', status: 'assigned', assignees: [{ id: newcomer, name: '李四' }] });
    expect(h.timeline.find((e: { type: string }) => e.type === 'handed_over')).toMatchObject({
      tier: 'grid',
      actor: { id: 'p-village-1' },
      data: { action: 'reassigned', from: '韦丽萍', to: ['李四'], reason: 'deactivated' },
    });
    const texts = await rt.inbox({ to: '+8613977205555', reportId: id });
    expect(texts).toHaveLength(1);
    expect(texts[0]?.text).toContain('二组水渠垮塌');
    // …and the person signs in nowhere: neither with the password nor with the token they held
    expect((await rt.http('POST', '/api/auth/login', { body: { username: 'worker2', password: 'demo' } })).status).toBe(401);
    expect((await rt.http('GET', '/api/v1/categories', { token: oldToken })).status).toBe(401);
    const history = await get('admin', '/api/v1/history?subject=person:p-worker-2');
    expect(history.body.items[0]).toMatchObject({ change: 'deactivated', before: { active: true }, after: { active: false } });
  });

  it('up to the next tier with an officer when the post has nobody left, texting them', async () => {
    // Prepare: worker3 is the only worker of the third grid.
    const id = await s.file({ gridCode: THIRD_GRID, title: '三组危房墙体开裂' }, 'worker3');
    await s.untilParked(id, 1);

    // Act
    const dryRun = await post('admin', '/api/v1/people/p-worker-3/deactivate', { dryRun: true });
    const done = await rt.http('POST', '/api/v1/people/p-worker-3/deactivate', await as('admin'));

    // Assess
    const expected = { reportId: id, tier: 'village', action: 'escalated', to: ['覃国庆'] };
    expect(dryRun.body.handOver).toEqual([expect.objectContaining(expected)]);
    expect(done.status).toBe(200);
    expect(done.body.handOver).toEqual([expect.objectContaining(expected)]);
    const h = await s.until(id, (r) =>
      r.notifications.some(
        (n: { toId: string; tierSeq: number; status: string }) => n.toId === 'p-village-1' && n.tierSeq === 2 && n.status === 'sent',
      ),
    );
    expect(h.report).toMatchObject({ tier: 'village', tierSeq: 2, assignees: [{ id: 'p-village-1' }] });
    expect(h.timeline.find((e: { type: string }) => e.type === 'handed_over')).toMatchObject({
      tier: 'village',
      actor: { id: 'p-county-admin' },
      data: { action: 'escalated', from: '蓝建华', to: ['覃国庆'], reason: 'deactivated', fromTier: 'grid', toTier: 'village' },
    });
    expect((await rt.inbox({ to: VILLAGE1_PHONE, reportId: id })).length).toBe(1);
  });

  it('refuses to deactivate yourself', async () => {
    // Act
    const res = await post('village1', '/api/v1/people/p-village-1/deactivate', {});

    // Assess
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('PEOPLE.DEACTIVATE_SELF');
    expect((await get('admin', '/api/v1/people/p-village-1')).body.person.active).toBe(true);
  });
});

describe('accounts', () => {
  let personId = '';
  let initialPassword = '';

  beforeAll(async () => {
    const { body } = await post('township1', '/api/v1/people', newWorker({ name: '覃账号', phone: '13977206666' }));
    personId = body.person.id;
  });

  it('creates a username and a one-time password, shown once and nowhere else', async () => {
    // Act
    const res = await post('township1', `/api/v1/people/${personId}/account`, { username: 'qin.zhanghao' });
    const again = await post('township1', `/api/v1/people/${personId}/account`, { username: 'qin.other' });
    const person = await get('township1', `/api/v1/people/${personId}`);
    const history = await get('township1', `/api/v1/history?subject=person:${personId}`);

    // Assess
    expect(res.status).toBe(201);
    expect(res.body.username).toBe('qin.zhanghao');
    expect(res.body.initialPassword).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
    initialPassword = res.body.initialPassword;
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ACCOUNT.EXISTS');
    expect(person.body.person.username).toBe('qin.zhanghao');
    expect(history.body.items[0]).toMatchObject({ change: 'account_created', after: { username: 'qin.zhanghao' } });
    expect(JSON.stringify([person.body, history.body])).not.toContain(initialPassword);
  });

  it.each([
    ['a username someone has', { username: 'admin' }, 409, 'ACCOUNT.USERNAME_TAKEN'],
    ['a username with capitals and spaces', { username: 'Qin Two' }, 400, 'ACCOUNT.INVALID_USERNAME'],
  ])('refuses %s', async (_case, body, status, code) => {
    // Prepare
    const { body: created } = await post('township1', '/api/v1/people', newWorker({ name: '覃二号', phone: '13977206667' }));

    // Act
    const res = await post('township1', `/api/v1/people/${created.person.id}/account`, body);

    // Assess
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect((await get('township1', `/api/v1/people/${created.person.id}`)).body.person.username).toBeUndefined();
  });

  it('refuses an account for a deactivated person, or for a person outside the admin’s scope', async () => {
    // Act
    const inactive = await post('admin', '/api/v1/people/p-worker-2/account', { username: 'weiliping' });
    const outside = await post('township2', `/api/v1/people/${personId}/account`, { username: 'qin.three' });

    // Assess
    expect(inactive.status).toBe(422);
    expect(inactive.body.error.code).toBe('PEOPLE.INACTIVE');
    expect(outside.status).toBe(403);
  });

  it('makes the first sign-in set a new password, then signs in with it only', async () => {
    // Prepare
    const login = (body: Record<string, string>) => rt.http('POST', '/api/auth/login', { body: { username: 'qin.zhanghao', ...body } });

    // Act
    const withoutChange = await login({ password: initialPassword });
    const sameAgain = await login({ password: initialPassword, newPassword: initialPassword });
    const tooShort = await login({ password: initialPassword, newPassword: 'short' });
    const changed = await login({ password: initialPassword, newPassword: 'qin-chosen-password-1' });
    const oneTimeAgain = await login({ password: initialPassword });
    const chosen = await login({ password: 'qin-chosen-password-1' });

    // Assess
    expect(withoutChange.status).toBe(403);
    expect(withoutChange.body.error.code).toBe('AUTH.PASSWORD_CHANGE_REQUIRED');
    expect(withoutChange.body.token).toBeUndefined();
    expect(sameAgain.status).toBe(422);
    expect(tooShort.status).toBe(400);
    expect(changed.status).toBe(200);
    expect(changed.body.user).toEqual({ id: personId, name: '覃账号', role: 'grid_worker', scope: VILLAGE2_GRID });
    expect(oneTimeAgain.status).toBe(401);
    expect(chosen.status).toBe(200);
  });

  it('lets a signed-in user change their password with the current one, ending their other sign-ins', async () => {
    // Prepare
    const login = (password: string) => rt.http('POST', '/api/auth/login', { body: { username: 'qin.zhanghao', password } });
    const first = (await login('qin-chosen-password-1')).body;
    const second = (await login('qin-chosen-password-1')).body;

    // Act
    const wrong = await rt.http('POST', '/api/auth/password', {
      token: second.token,
      body: { currentPassword: 'not-my-password', newPassword: 'qin-second-password-2' },
    });
    const right = await rt.http('POST', '/api/auth/password', {
      token: second.token,
      body: { currentPassword: 'qin-chosen-password-1', newPassword: 'qin-second-password-2' },
    });

    // Assess
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('AUTH.WRONG_PASSWORD');
    expect(right.status).toBe(204);
    expect((await login('qin-chosen-password-1')).status).toBe(401);
    expect((await login('qin-second-password-2')).status).toBe(200);
    expect((await rt.http('GET', `/api/v1/people/${personId}`, { token: first.token })).status).toBe(401);
    expect((await rt.http('GET', `/api/v1/people/${personId}`, { token: second.token })).status).toBe(200);
  });

  it('stops signing in once the person is deactivated', async () => {
    // Act
    const res = await post('township1', `/api/v1/people/${personId}/deactivate`, {});
    const login = await rt.http('POST', '/api/auth/login', { body: { username: 'qin.zhanghao', password: 'qin-second-password-2' } });

    // Assess
    expect(res.status).toBe(200);
    expect(login.status).toBe(401);
  });
});
