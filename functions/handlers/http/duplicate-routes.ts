/** Duplicates (重复上报) and merging (合并): a report's possible duplicates, and the merge of one into its parent. */
import { TIERS } from '#core/policy.ts';
import { STATUSES } from '#core/report.ts';
import { mergeReport, reportDuplicates } from '#core/use-cases/duplicates.ts';
import { authenticate, json, parseJsonBody, pathParameter, route } from './http.ts';
import { errorResponses, isoTime, ref, type Schema } from './openapi-kit.ts';
import { presentReport } from './present.ts';
import type { RouteModule } from './route-types.ts';
import { mergeBody, reportId } from './schemas.ts';

const suggestion: Schema = {
  type: 'object',
  required: ['id', 'title', 'status', 'tier', 'createdAt', 'distanceMeters'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'string', enum: [...STATUSES] },
    tier: { type: 'string', enum: [...TIERS] },
    createdAt: isoTime,
    distanceMeters: { type: ['integer', 'null'], description: 'metres between the two locations; null when either has none' },
  },
};

const relative: Schema = {
  type: 'object',
  required: ['id', 'title', 'status', 'createdAt'],
  properties: { id: { type: 'string' }, title: { type: 'string' }, status: { type: 'string', enum: [...STATUSES] }, createdAt: isoTime },
};

const SUGGESTION_RULE =
  'open reports of the same grid and category filed within 7 days and 300 m (any distance when either report has no location), ' +
  'only those the caller may read; nearest first, at most 10';

export const DUPLICATE_ROUTES: RouteModule = {
  components: {
    DuplicateSuggestion: suggestion,
    FiledReport: {
      allOf: [
        ref('Report'),
        {
          type: 'object',
          required: ['possibleDuplicates'],
          properties: {
            possibleDuplicates: {
              type: 'array',
              items: ref('DuplicateSuggestion'),
              description: `possible duplicates filed before this one: ${SUGGESTION_RULE}`,
            },
          },
        },
      ],
    },
  },
  routes: [
    {
      method: 'GET',
      path: '/api/v1/reports/{id}/duplicates',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          return json(200, await reportDuplicates(deps, actor, pathParameter(event, 'id', reportId)));
        }),
      doc: {
        summary:
          `The report’s possible duplicates (可能重复): ${SUGGESTION_RULE}, filed up to 7 days before or after it; none once it is closed or merged. ` +
          'Also the report it was merged into and the reports merged into it, those the caller may read. Anyone who may read the report may ask.',
        tag: 'reports',
        bearer: true,
        responses: {
          200: {
            description: 'the suggestions and the merge relatives',
            schema: {
              type: 'object',
              required: ['reportId', 'radiusMeters', 'windowDays', 'items', 'parent', 'children'],
              properties: {
                reportId: { type: 'string' },
                radiusMeters: { type: 'integer' },
                windowDays: { type: 'integer' },
                items: { type: 'array', items: ref('DuplicateSuggestion') },
                parent: { oneOf: [relative, { type: 'null' }], description: 'the report this one was merged into' },
                children: { type: 'array', items: relative, description: 'the reports merged into this one' },
              },
            },
          },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    {
      method: 'POST',
      path: '/api/v1/reports/{id}/merge',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const id = pathParameter(event, 'id', reportId);
          const { report, parent } = await mergeReport(deps, actor, id, parseJsonBody(event, mergeBody));
          const now = deps.clock.now();
          return json(200, { report: presentReport(report, now), parent: presentReport(parent, now) });
        }),
      doc: {
        summary:
          '合并: merges this report (a duplicate) into `parentId`. Village, township and county admins whose scope holds both; both open, same county. ' +
          'The duplicate becomes `merged` (its workflow ends), both timelines get a `merged` event ({parentId} / {childId}), the parent remembers it in ' +
          '`mergedChildren` and takes the duplicate’s deadline when it is earlier for the same phase; when the parent closes, the duplicate’s reporter is ' +
          'texted once and its timeline noted. Repeating a merge already made answers 200 and changes nothing.',
        tag: 'reports',
        bearer: true,
        body: mergeBody,
        responses: {
          200: {
            description: 'the merged report and its parent',
            schema: {
              type: 'object',
              required: ['report', 'parent'],
              properties: { report: ref('Report'), parent: ref('Report') },
            },
          },
          ...errorResponses(400, 401, 404, 415),
          403: {
            description:
              'REPORT.MERGE_ADMINS_ONLY (not a village, township or county admin), REPORT.OUT_OF_SCOPE (either report outside your scope)',
            schema: ref('Error'),
          },
          409: {
            description:
              'REPORT.ALREADY_MERGED (merged into another report), REPORT.MERGE_PARENT_MERGED (the parent is itself merged: details.parentId names the one to use), ' +
              'REPORT.MERGE_NOT_OPEN (either is closed), REPORT.MERGE_HAS_CHILDREN (others were merged into this one: merge into it instead)',
            schema: ref('Error'),
          },
          422: { description: 'REPORT.MERGE_INTO_ITSELF, REPORT.MERGE_OTHER_COUNTY', schema: ref('Error') },
        },
      },
    },
  ],
};
