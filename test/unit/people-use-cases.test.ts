/**
 * The people use cases on in-memory ports: who may create, read, list, edit and deactivate whom,
 * and how a departing officer's open reports are handed over (reassigned, escalated, or refused
 * when nobody would be left), with the workflow woken so the new officers are texted.
 */
import { describe, expect, it } from 'vitest';
import { DomainRefusalError, ForbiddenError, ValidationError } from '#core/errors.ts';
import type { Actor } from '#core/people.ts';
import { withWaitingTask } from '#core/report.ts';
import type { Deps } from '#core/use-cases/deps.ts';
import { createPerson, deactivatePerson, getPerson, listPeople, type PeopleDeps, updatePerson } from '#core/use-cases/people.ts';
import { resolveAssignment } from '#core/use-cases/routing.ts';
import type { StoredPerson } from '#ports/directory.ts';
import { InMemoryAuditLog, inMemoryDirectory } from '../support/fakes/in-memory-directory.ts';
import { InMemoryReportStore, RecordingWorkflow } from '../support/fakes/in-memory-reports.ts';
import { RecordingAccounts } from '../support/fakes/recording-accounts.ts';
import {
  assignedReport,
  CATEGORY,
  COUNTY,
  countyAdmin,
  DEPARTMENT_CODE,
  deptOfficer,
  escalatedTo,
  GRID,
  NOW,
  OTHER_GRID,
  OTHER_TOWNSHIP,
  OTHER_VILLAGE,
  otherVillageAdmin,
  otherWorker,
  SIBLING_GRID,
  siblingWorker,
  TOWNSHIP,
  townshipAdmin,
  VILLAGE,
  villageAdmin,
  worker,
} from './fixtures.ts';

const NODES = [COUNTY, TOWNSHIP, VILLAGE, GRID, SIBLING_GRID, OTHER_TOWNSHIP, OTHER_VILLAGE, OTHER_GRID];
const PEOPLE: Actor[] = [worker, siblingWorker, otherWorker, villageAdmin, otherVillageAdmin, townshipAdmin, countyAdmin, deptOfficer];
const phoneOf = (i: number) => `+861387720${String(1000 + i)}`;

async function setup() {
  const directory = inMemoryDirectory();
  for (const node of NODES) await directory.putNode(node);
  const paths = new Map(NODES.map((n) => [n.code, n.path]));
  for (const [i, p] of PEOPLE.entries()) {
    const scopePath = paths.get(p.scope);
    await directory.putPerson({ ...p, phone: phoneOf(i), ...(scopePath ? { scopePath } : {}) });
  }
  await directory.putDepartment({ code: DEPARTMENT_CODE, name: '象州县住房和城乡建设局' });
  await directory.putCategory({ code: CATEGORY, name: '安全隐患', description: '危房', departmentCode: DEPARTMENT_CODE, public: false });
  const reports = new InMemoryReportStore();
  const workflow = new RecordingWorkflow();
  const accounts = new RecordingAccounts();
  const audit = new InMemoryAuditLog();
  const deps = {
    directory,
    audit,
    reports: reports as unknown as Deps['reports'],
    workflow,
    accounts,
    clock: { now: () => NOW },
    timeScale: 1,
  } as unknown as PeopleDeps;
  return { deps, directory, reports, workflow, accounts, audit };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );

/** Adds a second grid worker at GRID, who is there to take over worker1's reports. */
async function addNewcomer(deps: PeopleDeps) {
  return createPerson(deps, villageAdmin, { name: '李四', phone: '13977205555', role: 'grid_worker', scope: GRID.code });
}

describe('createPerson', () => {
  it('stores a person within the admin’s scope with their scope’s path, normalised and audited', async () => {
    // Prepare
    const { deps, directory, audit } = await setup();

    // Act
    const person = await createPerson(deps, townshipAdmin, {
      name: ' 韦新民 ',
      phone: '139 7720 1234',
      role: 'grid_worker',
      scope: SIBLING_GRID.code,
      title: '网格员',
    });

    // Assess
    expect(person).toMatchObject({ name: '韦新民', phone: '+8613977201234', active: true, responsible: true, version: 1 });
    expect((await directory.getPerson(person.id))?.scopePath).toEqual(SIBLING_GRID.path);
    expect(audit.entries).toEqual([expect.objectContaining({ subject: `person:${person.id}`, change: 'created', seq: 1 })]);
  });

  it.each([
    ['a grid worker', worker, { scope: GRID.code }, ForbiddenError, 'PEOPLE.NOT_AN_ADMIN'],
    [
      'a village admin creating a township admin',
      villageAdmin,
      { role: 'township_admin', scope: TOWNSHIP.code },
      ForbiddenError,
      'PEOPLE.ROLE_ABOVE_YOURS',
    ],
    ['a village admin creating in another village', villageAdmin, { scope: OTHER_GRID.code }, ForbiddenError, 'PEOPLE.OUT_OF_SCOPE'],
    [
      'a township admin creating a department officer',
      townshipAdmin,
      { role: 'department_officer', scope: DEPARTMENT_CODE },
      ForbiddenError,
      'PEOPLE.OUT_OF_SCOPE',
    ],
    ['a scope that does not exist', countyAdmin, { scope: '451322201001009' }, DomainRefusalError, 'PEOPLE.SCOPE_UNKNOWN'],
    ['a grid worker at a village', countyAdmin, { scope: VILLAGE.code }, DomainRefusalError, 'PEOPLE.SCOPE_MISMATCH'],
    ['a phone that takes no SMS', countyAdmin, { phone: '0772-4567890' }, ValidationError, 'PEOPLE.INVALID'],
  ] as const)('refuses %s and stores nothing', async (_case, actor, overrides, kind, code) => {
    // Prepare
    const { deps, directory, audit } = await setup();
    const before = directory.people.size;

    // Act
    const error = await failure(
      createPerson(deps, actor, { name: '拒绝', phone: '13977201234', role: 'grid_worker', scope: GRID.code, ...overrides }),
    );

    // Assess
    expect(error).toBeInstanceOf(kind);
    expect((error as { code: string }).code).toBe(code);
    expect(directory.people.size).toBe(before);
    expect(audit.entries).toEqual([]);
  });
});

describe('reading and listing people', () => {
  it('lists a subtree with each node’s own staff first, filtered by role, text and activity', async () => {
    // Prepare
    const { deps } = await setup();

    // Act
    const all = await listPeople(deps, villageAdmin, { limit: 50 });
    const workers = await listPeople(deps, villageAdmin, { role: 'grid_worker', limit: 50 });
    const byName = await listPeople(deps, countyAdmin, { q: '韦丽', limit: 50 });
    const inactive = await listPeople(deps, countyAdmin, { active: false, limit: 50 });

    // Assess
    expect(all.items.map((p) => p.id)).toEqual([villageAdmin.id, worker.id, siblingWorker.id]);
    expect(all.items[1]?.phone).toBe(phoneOf(0));
    expect(workers.items.map((p) => p.id)).toEqual([worker.id, siblingWorker.id]);
    expect(byName.items.map((p) => p.id)).toEqual([siblingWorker.id]);
    expect(inactive.items).toEqual([]);
  });

  it('lists a department’s officers for county admins only, and another subtree for nobody', async () => {
    // Prepare
    const { deps } = await setup();

    // Act
    const officers = await listPeople(deps, countyAdmin, { department: DEPARTMENT_CODE, limit: 50 });
    const refusals = await Promise.all([
      failure(listPeople(deps, townshipAdmin, { department: DEPARTMENT_CODE, limit: 50 })),
      failure(listPeople(deps, villageAdmin, { node: OTHER_VILLAGE.code, limit: 50 })),
      failure(listPeople(deps, deptOfficer, { limit: 50 })),
      failure(listPeople(deps, worker, { limit: 50 })),
    ]);

    // Assess
    expect(officers.items.map((p) => p.id)).toEqual([deptOfficer.id]);
    for (const error of refusals) expect(error).toBeInstanceOf(ForbiddenError);
  });

  it('shows a person to themselves and to the admins over them, to nobody else', async () => {
    // Prepare
    const { deps } = await setup();

    // Act
    const own = await getPerson(deps, worker, worker.id);
    const byAdmin = await getPerson(deps, villageAdmin, worker.id);
    const refused = await Promise.all([
      failure(getPerson(deps, siblingWorker, worker.id)),
      failure(getPerson(deps, otherVillageAdmin, worker.id)),
      failure(getPerson(deps, townshipAdmin, deptOfficer.id)),
    ]);

    // Assess
    expect(own.phone).toBe(phoneOf(0));
    expect(byAdmin.id).toBe(worker.id);
    for (const error of refused) expect((error as ForbiddenError).code).toBe('PEOPLE.OUT_OF_SCOPE');
  });
});

describe('deactivatePerson', () => {
  it('hands a held report to the post’s other officer, after a dry run that changes nothing', async () => {
    // Prepare
    const { deps, reports, workflow, accounts, directory, audit } = await setup();
    const report = withWaitingTask(assignedReport(), { token: 'task-token-1', tierSeq: 1, phase: 'accept' });
    reports.add(report);
    const newcomer = await addNewcomer(deps);
    const entries = audit.entries.length;

    // Act
    const dryRun = await deactivatePerson(deps, villageAdmin, worker.id, { dryRun: true });
    const untouched = await reports.get(report.id);
    const done = await deactivatePerson(deps, villageAdmin, worker.id);

    // Assess
    const expected = [{ reportId: report.id, title: report.title, tier: 'grid', action: 'reassigned', to: ['李四'] }];
    expect(dryRun.handOver).toEqual(expected);
    expect(untouched?.version).toBe(report.version);
    expect(audit.entries.length).toBe(entries + 1);
    expect(done.handOver).toEqual(expected);
    expect(done.person.active).toBe(false);
    expect((await reports.get(report.id))?.assignees.map((a) => a.id)).toEqual([newcomer.id]);
    expect(reports.allEvents.map((e) => e.type)).toEqual(['handed_over']);
    expect(workflow.woken).toEqual(['task-token-1']);
    expect(accounts.calls).toEqual([`disable ${worker.id}`]);
    expect((await directory.getPerson(worker.id))?.lastChange?.change).toBe('deactivated');
  });

  it('escalates a held report to the next tier with an officer when the post has nobody left', async () => {
    // Prepare
    const { deps, reports } = await setup();
    const report = assignedReport();
    reports.add(report);

    // Act
    const done = await deactivatePerson(deps, villageAdmin, worker.id);

    // Assess
    expect(done.handOver).toEqual([expect.objectContaining({ action: 'escalated', tier: 'village', to: [villageAdmin.name] })]);
    expect(await reports.get(report.id)).toMatchObject({ tier: 'village', tierSeq: 2, assignees: [{ id: villageAdmin.id }] });
  });

  it('refuses, changing nothing, when a report would be left with nobody (the county’s only supervisor)', async () => {
    // Prepare
    const { deps, reports, directory } = await setup();
    reports.add(escalatedTo('supervision').report);
    const operatorLike: Actor = { ...countyAdmin, id: 'p-other-county-admin' };

    // Act
    const error = await failure(deactivatePerson(deps, operatorLike, countyAdmin.id));

    // Assess
    expect(error).toBeInstanceOf(DomainRefusalError);
    expect((error as DomainRefusalError).code).toBe('PEOPLE.NOBODY_TO_TAKE_OVER');
    expect((await directory.getPerson(countyAdmin.id))?.active).toBeUndefined();
  });

  it('finishes a deactivation that was cut short: the person is inactive but still holds a report', async () => {
    // Prepare
    const { deps, reports, directory } = await setup();
    reports.add(assignedReport());
    const stored = (await directory.getPerson(worker.id)) as StoredPerson;
    await directory.putPerson({ ...stored, active: false });

    // Act
    const done = await deactivatePerson(deps, villageAdmin, worker.id);

    // Assess
    expect(done.handOver).toEqual([expect.objectContaining({ action: 'escalated' })]);
  });

  it('refuses to deactivate yourself, and a person above your role', async () => {
    // Prepare
    const { deps } = await setup();

    // Act
    const self = await failure(deactivatePerson(deps, villageAdmin, villageAdmin.id));
    const above = await failure(deactivatePerson(deps, villageAdmin, townshipAdmin.id));

    // Assess
    expect((self as DomainRefusalError).code).toBe('PEOPLE.DEACTIVATE_SELF');
    expect(above).toBeInstanceOf(ForbiddenError);
  });
});

describe('updatePerson', () => {
  it('a transfer moves the person’s scope and path and hands their reports over (reason moved)', async () => {
    // Prepare
    const { deps, reports, accounts, directory } = await setup();
    const report = assignedReport();
    reports.add(report);

    // Act
    const { person, handOver } = await updatePerson(deps, villageAdmin, worker.id, { scope: SIBLING_GRID.code });

    // Assess
    expect(person.scope).toBe(SIBLING_GRID.code);
    expect((await directory.getPerson(worker.id))?.scopePath).toEqual(SIBLING_GRID.path);
    expect((await directory.getPerson(worker.id))?.lastChange?.change).toBe('moved');
    expect(handOver).toEqual([expect.objectContaining({ action: 'escalated', tier: 'village' })]);
    expect(reports.allEvents.at(-1)?.data).toMatchObject({ reason: 'moved', from: worker.name });
    expect(accounts.calls).toEqual([`scopeChanged ${worker.id} ${SIBLING_GRID.code}`]);
  });

  it('a transfer cut short before its hand-over is finished by sending it again', async () => {
    // Prepare: the transfer was saved, then the process died before handing the report over.
    const { deps, reports } = await setup();
    await updatePerson(deps, villageAdmin, worker.id, { scope: SIBLING_GRID.code });
    const report = assignedReport();
    reports.add(report);

    // Act
    const retried = await updatePerson(deps, villageAdmin, worker.id, { scope: SIBLING_GRID.code });

    // Assess
    expect(retried.person.version).toBe(1);
    expect(retried.handOver).toEqual([expect.objectContaining({ reportId: report.id, action: 'escalated' })]);
  });

  it('one no longer responsible for the post hands over too; a plain edit hands nothing over', async () => {
    // Prepare
    const { deps, reports } = await setup();
    reports.add(assignedReport());
    await addNewcomer(deps);

    // Act
    const renamed = await updatePerson(deps, villageAdmin, worker.id, { title: '专职网格员' });
    const stepped = await updatePerson(deps, villageAdmin, worker.id, { responsible: false });

    // Assess
    expect(renamed.handOver).toEqual([]);
    expect(renamed.person.title).toBe('专职网格员');
    expect(stepped.person.responsible).toBe(false);
    expect(stepped.handOver).toEqual([expect.objectContaining({ action: 'reassigned', to: ['李四'] })]);
    expect(reports.allEvents.at(-1)?.data).toMatchObject({ reason: 'not_responsible' });
  });

  it('refuses a transfer out of the admin’s scope, or to a scope that does not fit the role', async () => {
    // Prepare
    const { deps, directory } = await setup();

    // Act
    const outside = await failure(updatePerson(deps, villageAdmin, worker.id, { scope: OTHER_GRID.code }));
    const misfit = await failure(updatePerson(deps, townshipAdmin, worker.id, { scope: VILLAGE.code }));

    // Assess
    expect(outside).toBeInstanceOf(ForbiddenError);
    expect((misfit as DomainRefusalError).code).toBe('PEOPLE.SCOPE_MISMATCH');
    expect((await directory.getPerson(worker.id))?.scope).toBe(GRID.code);
  });
});

describe('routing assigns only active, responsible officers', () => {
  it('passes over a deactivated grid worker and a village secretary who is not responsible', async () => {
    // Prepare
    const { deps, directory } = await setup();
    await directory.putPerson({ ...((await directory.getPerson(worker.id)) as StoredPerson), active: false });
    await directory.putPerson({ ...((await directory.getPerson(villageAdmin.id)) as StoredPerson), responsible: false });

    // Act
    const assignment = await resolveAssignment(deps, assignedReport(), 'grid');

    // Assess
    expect(assignment.tier).toBe('township');
    expect(assignment.skipped.map((s) => s.tier)).toEqual(['grid', 'village']);
  });
});
