/** GET /api/v1/workbench: the reader's waiting reports, most urgent first, and their counts (工作台). */
import * as z from 'zod';
import { TIERS } from '#core/policy.ts';
import { readWorkbench } from '#core/use-cases/workbench.ts';
import { WORKBENCH_LIMIT } from '#core/workbench.ts';
import { authenticate, json, parseQuery, route } from './http.ts';
import { errorResponses, isoTime, query, ref } from './openapi-kit.ts';
import type { RouteModule } from './route-types.ts';
import { code } from './schemas.ts';

const workbenchQuery = z.strictObject({ node: code.optional() });

const tierCounts = { type: 'object', required: [...TIERS], properties: Object.fromEntries(TIERS.map((t) => [t, { type: 'integer' }])) };

export const WORKBENCH_ROUTES: RouteModule = {
  routes: [
    {
      method: 'GET',
      path: '/api/v1/workbench',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          return json(200, await readWorkbench(deps, actor, parseQuery(event, workbenchQuery)));
        }),
      doc: {
        summary:
          `What needs the reader now: the open reports of their scope waiting for 签收 (assigned) or 办结 (accepted), nearest deadline first ` +
          `(the first ${WORKBENCH_LIMIT}; \`more\` counts the rest), with counts by tier and status, past their deadline and due within 24 h`,
        tag: 'reports',
        bearer: true,
        query: [
          query(
            'node',
            { type: 'string' },
            'a node inside your scope (default: your scope; grid workers: their grid; department officers: their department, no node)',
          ),
        ],
        responses: { 200: { description: 'the workbench', schema: ref('Workbench') }, ...errorResponses(400, 401, 403, 404) },
      },
    },
  ],
  components: {
    Workbench: {
      type: 'object',
      required: ['now', 'scope', 'items', 'more', 'counts'],
      properties: {
        now: { ...isoTime, description: 'the server’s clock: count time left from this, not from the reader’s' },
        scope: {
          type: 'object',
          required: ['kind', 'code'],
          properties: {
            kind: { type: 'string', enum: ['node', 'department'] },
            code: { type: 'string' },
            name: { type: 'string' },
            level: { type: 'string', enum: ['county', 'township', 'village', 'grid'] },
          },
        },
        items: { type: 'array', items: ref('WorkbenchItem') },
        more: { type: 'integer', description: 'waiting reports beyond the listed ones' },
        counts: {
          type: 'object',
          required: ['total', 'byTier', 'byStatus', 'pastDeadline', 'dueSoon', 'overdue', 'mine'],
          properties: {
            total: { type: 'integer', description: 'every waiting report in scope, listed or not' },
            byTier: tierCounts,
            byStatus: {
              type: 'object',
              required: ['assigned', 'accepted'],
              properties: { assigned: { type: 'integer' }, accepted: { type: 'integer' } },
            },
            pastDeadline: { type: 'integer', description: 'past their current deadline now' },
            dueSoon: { type: 'integer', description: 'not yet past it, due within 24 hours' },
            overdue: { type: 'integer', description: '超期: late at this tier or an earlier one' },
            mine: { type: 'integer', description: 'assigned to the reader' },
          },
        },
      },
    },
    WorkbenchItem: {
      type: 'object',
      required: [
        'id',
        'title',
        'category',
        'urgency',
        'status',
        'tier',
        'ownerName',
        'assignees',
        'gridCode',
        'deadline',
        'deadlinePhase',
        'pastDeadline',
        'overdue',
        'mine',
        'createdAt',
      ],
      properties: {
        id: { type: 'string' },
        title: { type: 'string' },
        category: { type: 'string' },
        urgency: { type: 'string', enum: ['normal', 'urgent', 'emergency'] },
        status: { type: 'string', enum: ['assigned', 'accepted'] },
        tier: { type: 'string', enum: [...TIERS] },
        ownerName: { type: 'string' },
        assignees: { type: 'array', items: { type: 'string' }, description: 'names of its current assignees' },
        gridCode: { type: 'string' },
        gridName: { type: 'string', description: 'the grid’s name when it was filed' },
        deadline: { ...isoTime, description: 'the deadline it races now: 签收 while assigned, 办结 while accepted' },
        deadlinePhase: { type: 'string', enum: ['accept', 'complete'] },
        pastDeadline: { type: 'boolean' },
        overdue: { type: 'boolean', description: '超期: late at this tier or an earlier one' },
        mine: { type: 'boolean', description: 'the reader is among its current assignees: theirs to accept or resolve' },
        createdAt: isoTime,
      },
    },
  },
};
