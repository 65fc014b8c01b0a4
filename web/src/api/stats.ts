/** The outcome figures (总览, README §Metrics) and the reports behind each side of one. */
import { api } from './http';
import type { components, operations } from './schema';

export type Stats = components['schemas']['Stats'];
export type StatsFigure = components['schemas']['StatsFigure'];
export type StatsReports = components['schemas']['StatsReports'];
export type StatsReportItem = StatsReports['items'][number];
export type StatsQuery = NonNullable<operations['getApiV1Stats']['parameters']['query']>;
export type StatsReportsQuery = operations['getApiV1StatsReports']['parameters']['query'];
export type Metric = StatsReports['metric'];
export type FigurePart = StatsReports['part'];

export function getStats(query: StatsQuery) {
  return api.get('/api/v1/stats', { query });
}

export function listStatsReports(query: StatsReportsQuery) {
  return api.get('/api/v1/stats/reports', { query });
}
