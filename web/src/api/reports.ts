/**
 * The reports area's calls: the listing, a report with its timeline, SMS and the reader's actions,
 * acting on it, the workbench, and what the report pages read beside (categories, the caller's
 * subtree for the node filter, a grid's boundary for the map, photos as blobs: their route wants
 * the bearer token, which an <img src> cannot send).
 */
import { api } from './http';
import type { components, operations } from './schema';

type Schemas = components['schemas'];

export type Report = Schemas['Report'];
export type TimelineEvent = Schemas['TimelineEvent'];
export type Sms = Schemas['Sms'];
export type ReportRead = Schemas['ReportHistory'];
/** The actions the generic action dialog takes; 合并 (merge) has its own dialog and route (ReportDetailDuplicates). */
export type ReaderAction = Exclude<ReportRead['actions'][number], 'merge'>;
export type ReportPage = Schemas['ReportPage'];
export type Workbench = Schemas['Workbench'];
export type WorkbenchItem = Schemas['WorkbenchItem'];
export type Category = Schemas['Category'];
export type Tier = Report['tier'];
export type ReportStatus = Report['status'];
export type Breach = NonNullable<Report['breaches']>[number];
/** A summoned department's lane (吹哨). */
export type Assignment = Schemas['Assignment'];
export type LaneAction = NonNullable<NonNullable<ReportRead['laneActions']>[number]['actions']>[number];
export type ReportQuery = NonNullable<operations['getApiV1Reports']['parameters']['query']>;
export type ActionBody = NonNullable<operations['postApiV1ReportsIdActions']['requestBody']>['content']['application/json'];
export type TreeNodeView = Schemas['NodeView'];
export type TimelineVerdict = operations['getApiV1ReportsIdTimelineVerify']['responses'][200]['content']['application/json'];

export function listReports(query: ReportQuery) {
  return api.get('/api/v1/reports', { query });
}

export function getReport(id: string) {
  return api.get('/api/v1/reports/{id}', { path: { id } });
}

/** Whether the report's stored timeline is the one its events were chained into. */
export function verifyTimeline(id: string) {
  return api.get('/api/v1/reports/{id}/timeline/verify', { path: { id } });
}

export function actOnReport(id: string, body: ActionBody) {
  return api.post('/api/v1/reports/{id}/actions', { path: { id }, body });
}

export function getWorkbench(node?: string) {
  return api.get('/api/v1/workbench', { query: { node } });
}

export function listCategories() {
  return api.get('/api/v1/categories');
}

/** One page of a node's children (the node filter's cascader opens a level at a time). */
export function nodeChildren(code: string, cursor?: string) {
  return api.get('/api/v1/tree/{code}/children', { path: { code }, query: { cursor, limit: '100' } });
}

export function getNode(code: string) {
  return api.get('/api/v1/tree/{code}', { path: { code } });
}

export function photoBlob(id: string) {
  return api.get('/api/v1/photos/{id}', { path: { id }, as: 'blob' }) as unknown as Promise<Blob>;
}
