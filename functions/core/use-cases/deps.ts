/**
 * What the use cases need from the outside world: ports only. `functions/wiring` builds one of
 * these per process, with AWS or local adapters.
 */
import type { AuditLog } from '#ports/audit.ts';
import type { DirectoryStore } from '#ports/directory.ts';
import type { LinkSettings, LinkStore } from '#ports/links.ts';
import type { SmsSender } from '#ports/messaging.ts';
import type { OutcomeStore } from '#ports/outcomes.ts';
import type { ReportStore } from '#ports/reports.ts';
import type { WorkflowEngine } from '#ports/workflow.ts';
import type { Clock } from '../deadlines.ts';

export interface Deps {
  directory: DirectoryStore;
  /** The directory's append-only audit trail (core/audit.ts). */
  audit: AuditLog;
  reports: ReportStore;
  sms: SmsSender;
  workflow: WorkflowEngine;
  clock: Clock;
  /** Policy seconds per real second: 1 in production, TIME_SCALE in demos and tests. */
  timeScale: number;
  links: LinkStore;
  linkSettings: LinkSettings;
  /** The outcome counters (GET /api/v1/stats); absent where a process or a unit test does not keep them. */
  outcomes?: OutcomeStore;
}
