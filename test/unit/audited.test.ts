import { describe, expect, it } from 'vitest';
import { OPERATOR } from '#core/admin-access.ts';
import { auditSubject, changedFields } from '#core/audit.ts';
import { historyOf, saveAudited, updateAudited } from '#core/use-cases/audited.ts';
import type { StoredNode } from '#ports/directory.ts';
import { InMemoryAuditLog, inMemoryDirectory } from '../support/fakes/in-memory-directory.ts';

const NOW = new Date('2026-11-02T01:00:00.000Z');
const clock = { now: () => NOW };
const village: StoredNode = {
  code: '451322201001',
  name: '那沙村',
  level: 'village',
  parentCode: '451322201',
  path: ['451322', '451322201', '451322201001'],
};
const subject = auditSubject('node', village.code);

function setup() {
  const directory = inMemoryDirectory();
  const audit = new InMemoryAuditLog();
  return { directory, audit, deps: { audit, clock } };
}

describe('saveAudited', () => {
  it('creates at version 1 with its entry on the record and in the trail', async () => {
    // Prepare
    const { directory, audit, deps } = setup();

    // Act
    const saved = await saveAudited(deps, {
      subject,
      actor: OPERATOR,
      change: 'created',
      before: null,
      after: village,
      save: (n, v) => directory.saveNode(n, v),
    });

    // Assess
    expect(saved).toMatchObject({ version: 1, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() });
    expect(saved.lastChange).toMatchObject({ subject, seq: 1, change: 'created', before: null, after: { name: '那沙村' } });
    expect(audit.entries).toEqual([saved.lastChange]);
    expect((await directory.getNode(village.code))?.version).toBe(1);
  });

  it('records only the fields that changed, and saves nothing for a change that changes nothing', async () => {
    // Prepare
    const { directory, audit, deps } = setup();
    const save = (n: StoredNode, v: number | null) => directory.saveNode(n, v);
    const created = await saveAudited(deps, { subject, actor: OPERATOR, change: 'created', before: null, after: village, save });

    // Act
    const renamed = await saveAudited(deps, {
      subject,
      actor: OPERATOR,
      change: 'updated',
      before: created,
      after: { ...created, name: '那沙村委会' },
      save,
    });
    const again = await saveAudited(deps, { subject, actor: OPERATOR, change: 'updated', before: renamed, after: { ...renamed }, save });

    // Assess
    expect(renamed.version).toBe(2);
    expect(renamed.lastChange).toMatchObject({ seq: 2, before: { name: '那沙村' }, after: { name: '那沙村委会' } });
    expect(again).toBe(renamed);
    expect(audit.entries.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('refuses a save on a stale version', async () => {
    // Prepare
    const { directory, deps } = setup();
    const save = (n: StoredNode, v: number | null) => directory.saveNode(n, v);
    const created = await saveAudited(deps, { subject, actor: OPERATOR, change: 'created', before: null, after: village, save });
    await saveAudited(deps, { subject, actor: OPERATOR, change: 'updated', before: created, after: { ...created, name: 'A' }, save });

    // Act + Assess
    await expect(
      saveAudited(deps, { subject, actor: OPERATOR, change: 'updated', before: created, after: { ...created, name: 'B' }, save }),
    ).rejects.toThrow(/changed by someone else/);
  });
});

describe('updateAudited', () => {
  it('applies the edit again to the newer record when someone saved in between', async () => {
    // Prepare: a concurrent rename lands between our read and our save, once
    const { directory, deps } = setup();
    const save = (n: StoredNode, v: number | null) => directory.saveNode(n, v);
    await saveAudited(deps, { subject, actor: OPERATOR, change: 'created', before: null, after: village, save });
    let interfered = false;

    // Act
    const result = await updateAudited(deps, {
      load: () => directory.getNode(village.code),
      apply: async (current) => {
        if (!interfered) {
          interfered = true;
          await saveAudited(deps, {
            subject,
            actor: OPERATOR,
            change: 'updated',
            before: current,
            after: { ...current, name: '别人改的' },
            save,
          });
        }
        return { after: { ...current, contacts: [{ label: '值班电话', phone: '+8613877200201' }] }, change: 'updated' };
      },
      save,
      subject,
      actor: OPERATOR,
      notFound: () => new Error('gone'),
    });

    // Assess
    expect(result).toMatchObject({ version: 3, name: '别人改的', contacts: [{ label: '值班电话' }] });
  });
});

describe('historyOf', () => {
  it('adds the record’s last change when the trail lost it (a crash between the two writes)', async () => {
    // Prepare
    const { directory, audit, deps } = setup();
    const save = (n: StoredNode, v: number | null) => directory.saveNode(n, v);
    const created = await saveAudited(deps, { subject, actor: OPERATOR, change: 'created', before: null, after: village, save });
    const renamed = await saveAudited(deps, {
      subject,
      actor: OPERATOR,
      change: 'updated',
      before: created,
      after: { ...created, name: '新名' },
      save,
    });
    audit.entries.pop();

    // Act
    const history = await historyOf(deps, subject, renamed, { limit: 10 });

    // Assess
    expect(history.items.map((e) => [e.seq, e.change])).toEqual([
      [2, 'updated'],
      [1, 'created'],
    ]);
  });
});

describe('changedFields', () => {
  it('leaves bookkeeping out and shows a removed field as null', () => {
    expect(changedFields({ name: 'a', contacts: [1], version: 1 }, { name: 'b', version: 2 })).toEqual({
      before: { name: 'a', contacts: [1] },
      after: { name: 'b', contacts: null },
    });
  });
});
