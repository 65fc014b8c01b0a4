/**
 * The SMS log use case on in-memory ports: whose SMS an admin reads (their subtree, or a node
 * inside it) and who is refused (grid workers, department officers, a node outside the scope).
 */
import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '#core/errors.ts';
import { listSmsLog } from '#core/use-cases/sms-log.ts';
import type { SmsRecord } from '#ports/reports.ts';
import { inMemoryDirectory } from '../support/fakes/in-memory-directory.ts';
import { InMemoryReportStore } from '../support/fakes/in-memory-reports.ts';
import {
  COUNTY,
  countyAdmin,
  deptOfficer,
  GRID,
  OTHER_GRID,
  OTHER_TOWNSHIP,
  OTHER_VILLAGE,
  TOWNSHIP,
  townshipAdmin,
  VILLAGE,
  villageAdmin,
  worker,
} from './fixtures.ts';

function sms(reportId: string, toId: string, at: string): SmsRecord {
  return {
    reportId,
    key: `001#000#${toId}`,
    tierSeq: 1,
    reminder: 0,
    toId,
    toName: toId,
    to: '+8613877200301',
    text: '…',
    status: 'sent',
    attempts: 1,
    at,
  };
}

async function setup() {
  const directory = inMemoryDirectory();
  for (const node of [COUNTY, TOWNSHIP, VILLAGE, GRID, OTHER_TOWNSHIP, OTHER_VILLAGE, OTHER_GRID]) await directory.putNode(node);
  const reports = new InMemoryReportStore();
  await reports.claimSms(sms('r-nasha', 'p-worker-1', '2026-03-23T01:00:00.000Z'), {
    path: GRID.path,
    reportTitle: '小桥塌陷',
    tier: 'grid',
  });
  await reports.claimSms(sms('r-shilong', 'p-worker-7', '2026-03-23T02:00:00.000Z'), {
    path: OTHER_GRID.path,
    reportTitle: '路灯损坏',
    tier: 'grid',
  });
  return { directory, reports };
}

describe('the SMS log', () => {
  it('gives an admin the SMS of their subtree, newest first, with the report each is about', async () => {
    // Prepare
    const deps = await setup();

    // Act
    const county = await listSmsLog(deps, countyAdmin, { limit: 50 });
    const township = await listSmsLog(deps, townshipAdmin, { limit: 50 });
    const village = await listSmsLog(deps, villageAdmin, { node: GRID.code, limit: 50 });

    // Assess
    expect(county.items.map((i) => i.report.id)).toEqual(['r-shilong', 'r-nasha']);
    expect(township.items.map((i) => i.report)).toEqual([{ id: 'r-nasha', title: '小桥塌陷', tier: 'grid' }]);
    expect(village.items).toHaveLength(1);
  });

  it('refuses grid workers, department officers, a node outside the scope, and names an unknown node', async () => {
    // Prepare
    const deps = await setup();

    // Act + Assess
    await expect(listSmsLog(deps, worker, { limit: 50 })).rejects.toMatchObject({ code: 'SMS.ADMINS_ONLY' });
    await expect(listSmsLog(deps, deptOfficer, { limit: 50 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listSmsLog(deps, townshipAdmin, { node: OTHER_TOWNSHIP.code, limit: 50 })).rejects.toMatchObject({
      code: 'NODE.OUT_OF_SCOPE',
    });
    await expect(listSmsLog(deps, countyAdmin, { node: '451322999', limit: 50 })).rejects.toBeInstanceOf(NotFoundError);
  });
});
