/**
 * 吹哨、部门报到: the use cases and workflow operations of summoned departments' lanes
 * (core/assignments.ts holds the model and its pure transitions). People whistle and act on lanes
 * through actOnReport; the Advance step runs `laneOp` for whatever a lane has due (its summons
 * SMS, an escalation to county supervision, a 督办) and waits for the earliest lane deadline too.
 */
import type { SmsRecord } from '#ports/reports.ts';
import { mayWhistle } from '../access.ts';
import {
  type Assignment,
  actOnLane,
  escalateLane,
  type LaneAction,
  laneBySeq,
  laneDeadline,
  markLaneNotified,
  nextLaneStep,
  openLanes,
  type Summons,
  settleLanesOnResolve,
  whistle,
  withoutPendingWhistle,
} from '../assignments.ts';
import { ConflictError, DomainRefusalError, ForbiddenError, NotFoundError } from '../errors.ts';
import { type ActionLink, linkIdFor, linkToken, linkUrl, maskLinks } from '../links.ts';
import type { Actor } from '../people.ts';
import { DEFAULT_CHECK_IN_SECONDS } from '../policy.ts';
import { type Assignee, type Change, type Report, SYSTEM_ACTOR } from '../report.ts';
import { laneSupervisionSms, summonsSms } from '../whistle-sms.ts';
import type { Deps } from './deps.ts';
import { mutateReport } from './mutate.ts';
import { policyFor, policyTimeFor, postOfficers, scheduleFor } from './routing.ts';
import { deliverOnce, type SmsOutcome } from './sms-delivery.ts';

export const LANE_ACTIONS: readonly LaneAction[] = ['check_in', 'accept', 'resolve', 'return'];
export const isLaneAction = (action: string): action is LaneAction => (LANE_ACTIONS as readonly string[]).includes(action);

/** A department summoned now: its officers and its 报到, 签收 and 办结 deadlines, in policy time from `now`. */
async function summonsFor(deps: Deps, report: Report, code: string, now: Date): Promise<Summons> {
  const department = await deps.directory.getDepartment(code);
  if (!department) throw new NotFoundError('DEPARTMENT.UNKNOWN', `department ${code} does not exist`);
  const assignees = await postOfficers(deps, 'department', code);
  if (assignees.length === 0) {
    throw new DomainRefusalError('WHISTLE.NO_OFFICER', `${department.name} has no active officer to summon`, { department: code });
  }
  const policy = await policyFor(deps, report);
  const time = await policyTimeFor(deps, report, policy);
  const { acceptBy, completeBy } = await scheduleFor(deps, report, 'department', now);
  const checkInBy = time.add(now, policy.checkInSeconds ?? DEFAULT_CHECK_IN_SECONDS).toISOString();
  return { ownerCode: code, ownerName: department.name, assignees, checkInBy, acceptBy, completeBy };
}

export interface WhistleInput {
  departments?: string[];
  note?: string;
}

/** 吹哨 by a person: the current tier's officers or an admin over the report summon departments. */
export async function whistleChange(deps: Deps, actor: Actor, report: Report, input: WhistleInput): Promise<Change> {
  if (report.status !== 'assigned' && report.status !== 'accepted') {
    throw new ConflictError('WHISTLE.NOT_OPEN', `a ${report.status} report cannot summon departments`, { status: report.status });
  }
  if (!mayWhistle(actor, report)) {
    throw new ForbiddenError('WHISTLE.NOT_ALLOWED', 'only the officers holding the report or an admin over it may summon departments');
  }
  const codes = [...new Set(input.departments ?? [])];
  if (codes.length === 0) throw new DomainRefusalError('WHISTLE.DEPARTMENTS_REQUIRED', 'name at least one department to summon');
  const now = deps.clock.now();
  const summonses: Summons[] = [];
  for (const code of codes) summonses.push(await summonsFor(deps, report, code, now));
  return whistle(report, actor, summonses, now, input.note);
}

export interface LaneActionInput {
  action: LaneAction;
  department?: string;
  note?: string;
  public?: boolean;
  /** The lane an SMS link was issued for. */
  laneSeq?: number;
}

/** 报到 / 签收 / 办结 / 退回 on a department's lane; a department officer's 报到 names their own department by default. */
export function laneActionChange(deps: Deps, actor: Actor, report: Report, input: LaneActionInput): Change {
  const department = input.department ?? (actor.role === 'department_officer' ? actor.scope : undefined);
  if (department === undefined)
    throw new DomainRefusalError('LANE.DEPARTMENT_REQUIRED', 'say which department’s part this is (department)');
  return actOnLane(report, department, input.action, actor, deps.clock.now(), {
    note: input.note,
    public: input.public,
    expectedSeq: input.laneSeq,
  });
}

/** The tier's 办结 waits on the summoned departments (assignments.ts settleLanesOnResolve states the rule). */
export async function settleOnResolve(deps: Deps, report: Report, change: Change): Promise<Change> {
  if (!report.assignments?.length) return change;
  const policy = await policyFor(deps, report);
  const assignments = settleLanesOnResolve(report, policy.whistleCompletion ?? 'all', deps.clock.now());
  return assignments ? { ...change, report: { ...change.report, assignments } } : change;
}

/** The departments a policy whistles at a report's first assignment, for the workflow to summon. */
export async function policyWhistle(deps: Deps, report: Report): Promise<string[]> {
  return (await policyFor(deps, report)).whistleDepartments ?? [];
}

/**
 * One SMS of a lane, sent at most once: keyed `L<lane>#<round>#<person>` (round 0 is the summons to
 * the department's officers, with its action link; rounds after it are 督办 to the county, without
 * one). As for the tier's SMS, the link goes to the provider only and is masked everywhere else.
 */
async function sendLaneSms(
  deps: Deps,
  report: Report,
  lane: Assignment,
  round: number,
  to: Assignee,
): Promise<{ name: string; outcome: SmsOutcome }> {
  const person = await deps.directory.getPerson(to.id);
  if (!person) return { name: to.name, outcome: 'failed' };
  const key = `L${String(lane.seq).padStart(3, '0')}#${String(round).padStart(3, '0')}#${person.id}`;
  const now = deps.clock.now();
  let fullText: string;
  if (round === 0) {
    const { secret, baseUrl } = deps.linkSettings;
    const link: ActionLink = {
      id: linkIdFor(secret, key, report.id),
      reportId: report.id,
      personId: person.id,
      tierSeq: report.tierSeq,
      laneSeq: lane.seq,
      expiresAt:
        [lane.checkInBy, lane.acceptBy, lane.completeBy]
          .filter((d): d is string => d !== null)
          .sort()
          .at(-1) ?? now.toISOString(),
      createdAt: now.toISOString(),
    };
    await deps.links.putLink(link);
    fullText = summonsSms(report.title, person.name, linkUrl(baseUrl(), linkToken(secret, link)));
  } else {
    fullText = laneSupervisionSms(report.title, person.name, lane.ownerName);
  }
  const record: SmsRecord = {
    reportId: report.id,
    key,
    tierSeq: report.tierSeq,
    reminder: round,
    department: lane.ownerCode,
    laneSeq: lane.seq,
    toId: person.id,
    toName: person.name,
    ...(person.title ? { toTitle: person.title } : {}),
    to: person.phone,
    text: maskLinks(fullText),
    status: 'sending',
    attempts: 1,
    at: now.toISOString(),
  };
  const listing = {
    path: [report.countyCode, report.townshipCode, report.villageCode, report.gridCode],
    reportTitle: report.title,
    tier: round === 0 ? ('department' as const) : ('supervision' as const),
  };
  return { name: person.name, outcome: await deliverOnce(deps, record, listing, fullText) };
}

async function textLane(deps: Deps, report: Report, lane: Assignment, round: number, recipients: Assignee[]) {
  const results = await Promise.all(recipients.map((a) => sendLaneSms(deps, report, lane, round, a)));
  return {
    sent: results.filter((r) => r.outcome !== 'failed').map((r) => r.name),
    failed: results.filter((r) => r.outcome === 'failed').map((r) => r.name),
  };
}

/** Summons the departments a policy whistles at once; one that cannot be summoned (unknown, nobody in post) is left out. */
async function pendingWhistleOp(deps: Deps, known: Report): Promise<Report> {
  const { after } = await mutateReport(
    deps,
    known.id,
    async (report) => {
      const pending = report.pendingWhistle ?? [];
      if (pending.length === 0) return null;
      if (report.status !== 'assigned' && report.status !== 'accepted') return withoutPendingWhistle(report);
      const now = deps.clock.now();
      const summonses: Summons[] = [];
      for (const code of new Set(pending)) {
        if (openLanes(report).some((l) => l.ownerCode === code)) continue;
        try {
          summonses.push(await summonsFor(deps, report, code, now));
        } catch (error) {
          if (!(error instanceof NotFoundError || error instanceof DomainRefusalError)) throw error;
        }
      }
      return summonses.length === 0 ? withoutPendingWhistle(report) : whistle(report, SYSTEM_ACTOR, summonses, now);
    },
    known,
  );
  return after;
}

async function notifyLaneOp(deps: Deps, known: Report, seq: number): Promise<Report> {
  const lane = laneBySeq(known, seq);
  if (!lane || lane.notified) return known;
  const outcome = await textLane(deps, known, lane, 0, lane.assignees);
  const { after } = await mutateReport(
    deps,
    known.id,
    (report) => (laneBySeq(report, seq)?.notified === false ? markLaneNotified(report, seq, outcome, deps.clock.now()) : null),
    known,
  );
  return after;
}

/** A lane's deadline passed: escalate it to county supervision (first miss) or 督办 again, and text the county. */
async function overdueLaneOp(deps: Deps, known: Report, seq: number): Promise<Report> {
  const { after, changed } = await mutateReport(
    deps,
    known.id,
    async (report) => {
      const now = deps.clock.now();
      const lane = laneBySeq(report, seq);
      const due = lane ? laneDeadline(lane) : null;
      if (!lane || !due || Date.parse(due.deadline) > now.getTime()) return null;
      const supervisors = lane.escalatedAt ? lane.supervisors : await postOfficers(deps, 'supervision', report.countyCode);
      const next = await scheduleFor(deps, report, 'supervision', now);
      return escalateLane(report, seq, supervisors, due.phase === 'complete' ? next.completeBy : next.acceptBy, now);
    },
    known,
  );
  const lane = laneBySeq(after, seq);
  if (changed && lane) await textLane(deps, after, lane, lane.remindersSent, lane.supervisors);
  return after;
}

/** The Advance's operation for the lanes: whatever `nextLaneStep` says is due. */
export async function laneOp(deps: Deps, known: Report): Promise<Report> {
  const step = nextLaneStep(known, deps.clock.now());
  switch (step.kind) {
    case 'whistle':
      return pendingWhistleOp(deps, known);
    case 'notify':
      return notifyLaneOp(deps, known, step.seq);
    case 'escalate':
    case 'supervise':
      return overdueLaneOp(deps, known, step.seq);
    case 'wait':
      return known;
  }
}
