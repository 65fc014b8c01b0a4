/**
 * The report store and the workflow engine in memory, for unit tests of use cases that change
 * reports (the hand-over of a deactivated officer's work): versioned saves as in the DynamoDB
 * adapter, open reports under a node or of a department; the rest is not needed there.
 */
import { isOpen, type Report, type TimelineEvent } from '#core/report.ts';
import type { ReportStore } from '#ports/reports.ts';
import { VersionConflictError } from '#ports/versioning.ts';
import type { WorkflowEngine } from '#ports/workflow.ts';

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryReportStore
  implements Pick<ReportStore, 'get' | 'save' | 'openReportsUnder' | 'openReportsOfDepartment' | 'repairEvent'>
{
  readonly reports = new Map<string, Report>();
  readonly events: TimelineEvent[] = [];

  add(report: Report): void {
    this.reports.set(report.id, copy(report));
  }
  async get(id: string) {
    const report = this.reports.get(id);
    return report ? copy(report) : null;
  }
  async save(report: Report, expectedVersion: number, event?: TimelineEvent) {
    if (this.reports.get(report.id)?.version !== expectedVersion) throw new VersionConflictError(`report ${report.id}`);
    this.reports.set(report.id, copy(report));
    if (event) this.events.push(copy(event));
  }
  async repairEvent() {}
  async *openReportsUnder(node: { code: string }) {
    for (const r of this.reports.values()) {
      if (isOpen(r) && [r.countyCode, r.townshipCode, r.villageCode, r.gridCode].includes(node.code)) yield copy(r);
    }
  }
  async *openReportsOfDepartment(code: string) {
    for (const r of this.reports.values()) if (isOpen(r) && r.departmentCodes.at(-1) === code) yield copy(r);
  }
}

export class RecordingWorkflow implements WorkflowEngine {
  readonly woken: string[] = [];
  async start() {}
  async wake(token: string) {
    this.woken.push(token);
  }
  async runningReportIds() {
    return new Set<string>();
  }
}
