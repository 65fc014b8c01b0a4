/** A report's possible duplicates (可能重复) and its merge (合并) into another. */
import { api } from './http';
import type { components, operations } from './schema';

export type DuplicateSuggestion = components['schemas']['DuplicateSuggestion'];
export type ReportDuplicates = operations['getApiV1ReportsIdDuplicates']['responses'][200]['content']['application/json'];
export type MergeRelative = ReportDuplicates['children'][number];

export function getDuplicates(id: string) {
  return api.get('/api/v1/reports/{id}/duplicates', { path: { id } });
}

export function mergeReport(id: string, parentId: string, note?: string) {
  return api.post('/api/v1/reports/{id}/merge', { path: { id }, body: note ? { parentId, note } : { parentId } });
}
