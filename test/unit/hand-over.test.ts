/** 交接: the pure change that passes an officer's part of a report to someone else. */
import { describe, expect, it } from 'vitest';
import { ConflictError, DomainRefusalError } from '#core/errors.ts';
import { accept, handOver, isHeldBy } from '#core/report.ts';
import {
  asAssignee,
  assignedReport,
  assignmentFor,
  countyAdmin,
  deadlinesFor,
  escalatedTo,
  NOW,
  secondsAfter,
  siblingWorker,
  thrownBy,
  villageAdmin,
  worker,
} from './fixtures.ts';

const LATER = secondsAfter(NOW, 600);
const cause = { actor: villageAdmin, reason: 'deactivated' as const };
const newcomer = { ...siblingWorker, id: 'p-newcomer', name: '李四' };

describe('handOver to the post’s other officers', () => {
  it('keeps tier, owner, status and deadlines, and makes it a new assignment so the newcomers are texted', () => {
    // Prepare
    const report = accept(assignedReport(), worker, NOW).report;

    // Act
    const { report: after, event } = handOver(report, worker, { action: 'reassigned', assignees: [asAssignee(newcomer)] }, cause, LATER);

    // Assess
    expect(after).toMatchObject({
      tier: 'grid',
      ownerCode: report.ownerCode,
      status: 'accepted',
      acceptedAt: report.acceptedAt,
      acceptBy: report.acceptBy,
      completeBy: report.completeBy,
      tierSeq: report.tierSeq + 1,
      assignees: [{ id: 'p-newcomer', name: '李四' }],
      waiting: null,
      version: report.version + 1,
    });
    expect(after.pastAssigneeIds).toEqual(expect.arrayContaining([worker.id, 'p-newcomer']));
    expect(after.notifiedTierSeq).toBeLessThan(after.tierSeq);
    expect(event).toMatchObject({
      type: 'handed_over',
      tier: 'grid',
      actor: { id: villageAdmin.id },
      data: { action: 'reassigned', from: worker.name, fromId: worker.id, to: ['李四'], reason: 'deactivated' },
    });
    expect(isHeldBy(after, worker.id)).toBe(false);
  });

  it('refuses a report the officer no longer holds (someone handed it over first)', () => {
    // Prepare
    const report = handOver(assignedReport(), worker, { action: 'reassigned', assignees: [asAssignee(newcomer)] }, cause, LATER).report;

    // Act
    const error = thrownBy(() => handOver(report, worker, { action: 'reassigned', assignees: [asAssignee(newcomer)] }, cause, LATER));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('REPORT.NOT_HELD');
  });
});

describe('handOver up a tier when the post has nobody left', () => {
  it('assigns the next tier with fresh deadlines, and charges no breach to a tier that was on time', () => {
    // Prepare
    const report = assignedReport();

    // Act
    const { report: after, event } = handOver(
      report,
      worker,
      { action: 'escalated', assignment: assignmentFor('village'), deadlines: deadlinesFor('village', LATER) },
      cause,
      LATER,
    );

    // Assess
    expect(after).toMatchObject({ tier: 'village', status: 'assigned', tierSeq: 2, assignees: [{ id: villageAdmin.id }], breaches: [] });
    expect(after.acceptBy).toBe(deadlinesFor('village', LATER).acceptBy);
    expect(event).toMatchObject({
      type: 'handed_over',
      tier: 'village',
      data: { action: 'escalated', from: worker.name, to: [villageAdmin.name], fromTier: 'grid', toTier: 'village', reason: 'deactivated' },
    });
  });

  it('charges the breach when the tier was already late, as any escalation would', () => {
    // Prepare
    const report = assignedReport();
    const late = new Date(Date.parse(report.acceptBy ?? '') + 1000);

    // Act
    const { report: after } = handOver(
      report,
      worker,
      { action: 'escalated', assignment: assignmentFor('village'), deadlines: deadlinesFor('village', late) },
      cause,
      late,
    );

    // Assess
    expect(after.breaches).toEqual([expect.objectContaining({ tier: 'grid', phase: 'accept', deadline: report.acceptBy })]);
  });

  it('refuses at county supervision, which has no tier above', () => {
    // Prepare
    const { report } = escalatedTo('supervision');

    // Act
    const error = thrownBy(() =>
      handOver(
        report,
        countyAdmin,
        { action: 'escalated', assignment: assignmentFor('supervision'), deadlines: deadlinesFor('supervision') },
        cause,
        LATER,
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(DomainRefusalError);
  });
});
