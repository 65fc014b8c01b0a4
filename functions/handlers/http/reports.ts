import { ValidationError } from '#core/errors.ts';
import { fileReport } from '#core/use-cases/duplicates.ts';
import { actOnReport, getReport, listReports } from '#core/use-cases/reports.ts';
import type { HttpDeps } from './deps.ts';
import { authenticate, header, json, parseJsonBody, parseQuery, pathParameter, route } from './http.ts';
import { presentHistory, presentReport } from './present.ts';
import { actionBody, createReportBody, idempotencyKey, listReportsQuery, reportId } from './schemas.ts';

export const createCreateReportHandler = (deps: HttpDeps) =>
  route(async (event) => {
    const actor = await authenticate(deps.tokens, event);
    const key = idempotencyKey.safeParse(header(event, 'idempotency-key'));
    if (!key.success) throw new ValidationError('REQUEST.IDEMPOTENCY_KEY', 'send an Idempotency-Key header (8–128 characters)');
    const body = parseJsonBody(event, createReportBody);
    const { report, replayed, possibleDuplicates } = await fileReport(deps, actor, body, key.data);
    const filed = { ...presentReport(report, deps.clock.now()), possibleDuplicates };
    return json(replayed ? 200 : 201, filed, replayed ? { 'idempotent-replayed': 'true' } : {});
  });

export const createGetReportHandler = (deps: HttpDeps) =>
  route(async (event) => {
    const actor = await authenticate(deps.tokens, event);
    const history = await getReport(deps, actor, pathParameter(event, 'id', reportId));
    return json(200, presentHistory(history, deps.clock.now(), actor));
  });

export const createListReportsHandler = (deps: HttpDeps) =>
  route(async (event) => {
    const actor = await authenticate(deps.tokens, event);
    const q = parseQuery(event, listReportsQuery);
    const page = await listReports(deps, actor, {
      node: q.node,
      status: q.status,
      tier: q.tier,
      category: q.category,
      overdue: q.overdue === 'true',
      from: q.from === undefined ? undefined : new Date(q.from),
      to: q.to === undefined ? undefined : new Date(q.to),
      cursor: q.cursor,
      limit: q.limit ?? 20,
    });
    const now = deps.clock.now();
    return json(200, { items: page.items.map((r) => presentReport(r, now)), nextCursor: page.nextCursor, now: now.toISOString() });
  });

export const createReportActionHandler = (deps: HttpDeps) =>
  route(async (event) => {
    const actor = await authenticate(deps.tokens, event);
    const id = pathParameter(event, 'id', reportId);
    const body = parseJsonBody(event, actionBody);
    const report = await actOnReport(deps, actor, id, body);
    return json(200, presentReport(report, deps.clock.now()));
  });
