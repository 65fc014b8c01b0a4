/**
 * GET /api/v1/stats and /api/v1/stats/reports: the outcome figures of README §Metrics for a
 * node's subtree and a range of Beijing days, and the reports behind each side of a figure.
 * Counts, report ids and titles only: no reporter, place or phone.
 */
import * as z from 'zod';
import { METRIC_NAMES } from '#core/outcomes.ts';
import { TIERS } from '#core/policy.ts';
import { readStats, readStatsReports, STATS_MAX_DAYS } from '#core/use-cases/outcomes.ts';
import { authenticate, json, parseQuery, route } from './http.ts';
import { errorResponses, isoTime, query, ref } from './openapi-kit.ts';
import type { RouteModule } from './route-types.ts';
import { code, pageLimit } from './schemas.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD (Beijing time)');

const statsQuery = z.strictObject({ node: code.optional(), from: day.optional(), to: day.optional() });

const statsReportsQuery = z.strictObject({
  node: code.optional(),
  from: day.optional(),
  to: day.optional(),
  metric: z.enum(METRIC_NAMES as [string, ...string[]]),
  part: z.enum(['numerator', 'denominator']),
  category: code.optional(),
  cursor: z.string().max(2000).optional(),
  limit: pageLimit.optional(),
});

const rangeQuery = [
  query('node', { type: 'string' }, 'a node in your subtree (default: your scope)'),
  query('from', { type: 'string', format: 'date' }, 'first day, YYYY-MM-DD in Beijing time (default: 29 days before `to`)'),
  query('to', { type: 'string', format: 'date' }, `last day, inclusive (default: today); at most ${STATS_MAX_DAYS} days`),
];

const nullableNumber = { type: ['number', 'null'] };
const rate = {
  type: 'object',
  required: ['numerator', 'denominator', 'value'],
  properties: { numerator: { type: 'integer' }, denominator: { type: ['integer', 'null'] }, value: nullableNumber },
};
const breakdown = {
  received: { type: 'integer' },
  acceptedOnTime: rate,
  completedOnTime: rate,
  resolution: rate,
  satisfaction: rate,
  breaches: { type: 'integer' },
  overdueNow: { type: 'integer' },
};

export const STATS_ROUTES: RouteModule = {
  routes: [
    {
      method: 'GET',
      path: '/api/v1/stats',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const { itemsRead: _itemsRead, ...stats } = await readStats(deps, actor, parseQuery(event, statsQuery));
          return json(200, stats);
        }),
      doc: {
        summary:
          'The outcome figures (README §Metrics) of a node’s subtree over a range of Beijing days, each as n / N with its definition key and the links to the reports behind its numerator and denominator; with breakdowns by day, category and child node, working time per tier, breaches by tier, owner and officer, and the open overdue reports now. Read from per-node per-day counters: O(days), not O(reports). Village, township and county admins, inside their scope (403 STATS.ADMINS_ONLY for others)',
        tag: 'stats',
        bearer: true,
        query: rangeQuery,
        responses: { 200: { description: 'the figures', schema: ref('Stats') }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    {
      method: 'GET',
      path: '/api/v1/stats/reports',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const q = parseQuery(event, statsReportsQuery);
          return json(200, await readStatsReports(deps, actor, { ...q, metric: q.metric as (typeof METRIC_NAMES)[number] }));
        }),
      doc: {
        summary:
          'The reports behind one side of a figure of GET /api/v1/stats: one item per counted unit (a report, or an assignment’s 签收/办结 phase, a visit, a breach) with the day it counts on; ids and titles only. 400 STATS.NO_DENOMINATOR for a count',
        tag: 'stats',
        bearer: true,
        query: [
          ...rangeQuery,
          query('metric', { type: 'string', enum: [...METRIC_NAMES] }, 'the figure'),
          query('part', { type: 'string', enum: ['numerator', 'denominator'] }, 'which side of it'),
          query('category', { type: 'string' }, 'only this category'),
          query('cursor', { type: 'string' }, 'nextCursor of the previous page'),
          query('limit', { type: 'string', pattern: '^[0-9]{1,3}$' }, '1–100, default 50'),
        ],
        responses: {
          200: { description: 'a page of counted units, by day', schema: ref('StatsReports') },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
  ],
  components: {
    Stats: {
      type: 'object',
      required: ['now', 'node', 'from', 'to', 'metrics', 'workingTime', 'overdueNow', 'breaches', 'byDay', 'byCategory', 'byChild'],
      properties: {
        now: isoTime,
        node: ref('StatsNode'),
        from: { type: 'string', format: 'date' },
        to: { type: 'string', format: 'date' },
        metrics: {
          type: 'object',
          required: [...METRIC_NAMES],
          properties: Object.fromEntries(METRIC_NAMES.map((m) => [m, ref('StatsFigure')])),
        },
        workingTime: {
          type: 'array',
          items: {
            type: 'object',
            required: ['tier', 'count', 'median', 'p90'],
            properties: {
              tier: { type: 'string', enum: [...TIERS] },
              count: { type: 'integer' },
              median: { ...nullableNumber, description: 'working seconds (policy time) from assignment to 办结 by this tier' },
              p90: nullableNumber,
            },
          },
        },
        overdueNow: {
          type: 'object',
          required: ['count', 'reports'],
          properties: { count: { type: 'integer' }, reports: { type: 'string', description: 'the report listing behind it' } },
        },
        breaches: {
          type: 'object',
          required: ['total', 'byTier', 'byOwner', 'byPerson'],
          properties: {
            total: { type: 'integer' },
            byTier: {
              type: 'array',
              items: {
                type: 'object',
                required: ['tier', 'count'],
                properties: { tier: { type: 'string', enum: [...TIERS] }, count: { type: 'integer' } },
              },
            },
            byOwner: {
              type: 'array',
              items: { type: 'object', required: ['code', 'count'], properties: { code: { type: 'string' }, count: { type: 'integer' } } },
            },
            byPerson: {
              type: 'array',
              items: { type: 'object', required: ['name', 'count'], properties: { name: { type: 'string' }, count: { type: 'integer' } } },
            },
          },
        },
        byDay: {
          type: 'array',
          items: {
            type: 'object',
            required: ['day', ...Object.keys(breakdown)],
            properties: { day: { type: 'string', format: 'date' }, ...breakdown },
          },
        },
        byCategory: {
          type: 'array',
          items: {
            type: 'object',
            required: ['category', ...Object.keys(breakdown)],
            properties: { category: { type: 'string' }, ...breakdown },
          },
        },
        byChild: {
          type: 'array',
          items: {
            type: 'object',
            required: ['code', 'name', ...Object.keys(breakdown)],
            properties: { code: { type: 'string' }, name: { type: 'string' }, ...breakdown },
          },
        },
      },
    },
    StatsNode: {
      type: 'object',
      required: ['code', 'name', 'level'],
      properties: {
        code: { type: 'string' },
        name: { type: 'string' },
        level: { type: 'string', enum: ['county', 'township', 'village', 'grid'] },
      },
    },
    StatsFigure: {
      type: 'object',
      required: ['numerator', 'denominator', 'value', 'definition', 'reports'],
      properties: {
        numerator: { type: 'integer' },
        denominator: { type: ['integer', 'null'], description: 'null for a count' },
        value: { ...nullableNumber, description: 'numerator / denominator (the count itself for a count); null when nothing was due' },
        definition: { type: 'string', enum: [...METRIC_NAMES], description: 'its definition in README §Metrics' },
        reports: {
          type: 'object',
          required: ['numerator', 'denominator'],
          properties: { numerator: { type: 'string' }, denominator: { type: ['string', 'null'] } },
        },
      },
    },
    StatsReports: {
      type: 'object',
      required: ['node', 'metric', 'part', 'from', 'to', 'items', 'nextCursor'],
      properties: {
        node: ref('StatsNode'),
        metric: { type: 'string', enum: [...METRIC_NAMES] },
        part: { type: 'string', enum: ['numerator', 'denominator'] },
        from: { type: 'string', format: 'date' },
        to: { type: 'string', format: 'date' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['reportId', 'title', 'day', 'unit', 'category'],
            properties: {
              reportId: { type: 'string' },
              title: { type: 'string' },
              day: { type: 'string', format: 'date' },
              unit: {
                type: 'string',
                description:
                  'r = the report; a<seq>/c<seq> = the 签收/办结 phase of the assignment opened at event seq; v<seq> a visit; b<seq> a breach',
              },
              tier: { type: 'string' },
              category: { type: 'string' },
            },
          },
        },
        nextCursor: { type: ['string', 'null'] },
      },
    },
  },
};
