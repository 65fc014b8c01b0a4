/** The county's working calendar (工作日历): everyone in the county reads it, its county admin saves it. */
import { api } from './http';
import type { components, operations } from './schema';

type JsonBodyOf<Op> = Op extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

export type CalendarView = components['schemas']['CalendarView'];
export type WorkingCalendar = components['schemas']['WorkingCalendar'];
export type CalendarOverride = WorkingCalendar['overrides'][number];
export type CalendarBody = JsonBodyOf<operations['putApiV1CountiesCodeCalendar']>;

export function getCalendar(countyCode: string, year?: number) {
  return api.get('/api/v1/counties/{code}/calendar', { path: { code: countyCode }, query: year ? { year } : {} });
}

export function saveCalendar(countyCode: string, body: CalendarBody) {
  return api.put('/api/v1/counties/{code}/calendar', { path: { code: countyCode }, body });
}
