/**
 * 吹哨 on the open report: the departments the picker offers, whistling some of them, and the
 * summoned departments' lanes with the actions their officers take on them (报到、签收、办结、退回).
 * The report itself is the reports store's; after every action it is read again from there.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { listDepartments } from '../api/catalog';
import type { ActionBody, Assignment, LaneAction } from '../api/reports';
import * as reportsApi from '../api/reports';
import { useReportsStore } from './reports';

export interface DepartmentOption {
  code: string;
  name: string;
}

export const useWhistleStore = defineStore('whistle', () => {
  const reports = useReportsStore();
  const departments = ref<DepartmentOption[]>([]);
  let departmentsLoaded: Promise<void> | null = null;

  function loadDepartments(): Promise<void> {
    departmentsLoaded ??= listDepartments()
      .then((answer) => {
        departments.value = answer.items.map((d) => ({ code: d.code, name: d.name }));
      })
      .catch((error: unknown) => {
        departmentsLoaded = null;
        throw error;
      });
    return departmentsLoaded;
  }

  /** The summoned departments' lanes of the open report, in the order they were summoned. */
  const lanes = computed<Assignment[]>(() => reports.current?.report.assignments ?? []);
  const mayWhistle = computed(() => reports.current?.mayWhistle ?? false);
  /** Departments with an open lane: the picker does not offer them again (the API would answer 409). */
  const summonedNow = computed(
    () => new Set(lanes.value.filter((l) => ['summoned', 'checked_in', 'accepted'].includes(l.status)).map((l) => l.ownerCode)),
  );

  /** What the reader may do on a lane: its officers alone get anything. */
  function actionsOn(seq: number): LaneAction[] {
    return reports.current?.laneActions?.find((l) => l.seq === seq)?.actions ?? [];
  }

  async function run(body: ActionBody): Promise<void> {
    const read = reports.current;
    if (!read) throw new Error('no report is open');
    await reportsApi.actOnReport(read.report.id, body);
    await reports.loadReport(read.report.id, { quietly: true });
  }

  /** Throws the API's error (its message in the reader's language). */
  async function whistle(codes: string[], note?: string): Promise<void> {
    const text = note?.trim();
    await run({ action: 'whistle', departments: codes, ...(text ? { note: text } : {}) });
  }

  async function actOnLane(department: string, action: LaneAction, note?: string): Promise<void> {
    const text = note?.trim();
    await run({ action, department, ...(text ? { note: text } : {}) });
  }

  return { departments, loadDepartments, lanes, mayWhistle, summonedNow, actionsOn, whistle, actOnLane };
});
