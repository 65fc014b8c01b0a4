/**
 * GET /api/v1/history: the audit trail of one node, person, department or category (who, when,
 * what changed from what to what), newest first, for admins who manage it.
 */
import * as z from 'zod';
import { readHistory } from '#core/use-cases/history.ts';
import { authenticate, json, parseQuery, route } from './http.ts';
import { errorResponses, query, ref } from './openapi-kit.ts';
import type { RouteModule } from './routes.ts';
import { pageLimit } from './schemas.ts';

const historyQuery = z.strictObject({
  subject: z.string().min(3).max(80),
  cursor: z.string().max(2000).optional(),
  limit: pageLimit.optional(),
});

export const HISTORY_ROUTES: RouteModule = {
  routes: [
    {
      method: 'GET',
      path: '/api/v1/history',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const q = parseQuery(event, historyQuery);
          return json(200, await readHistory(deps, actor, q.subject, { cursor: q.cursor, limit: q.limit ?? 50 }));
        }),
      doc: {
        summary: 'The audit trail of a node, person, department or category: every change, who made it and when, newest first',
        tag: 'history',
        bearer: true,
        query: [
          {
            name: 'subject',
            in: 'query',
            required: true,
            schema: { type: 'string' },
            description: 'node:<code>, person:<id>, department:<code> or category:<code>',
          },
          query('cursor', { type: 'string' }, 'nextCursor of the previous page'),
          query('limit', { type: 'string', pattern: '^[0-9]{1,3}$' }, '1–100, default 50'),
        ],
        responses: {
          200: {
            description: 'a page of changes',
            schema: {
              type: 'object',
              required: ['items', 'nextCursor'],
              properties: { items: { type: 'array', items: ref('AuditEntry') }, nextCursor: { type: ['string', 'null'] } },
            },
          },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
  ],
  components: {
    AuditEntry: {
      type: 'object',
      required: ['subject', 'seq', 'at', 'actor', 'change', 'before', 'after'],
      properties: {
        subject: { type: 'string', examples: ['node:451322201001'] },
        seq: { type: 'integer', description: 'the subject’s version after the change (1: created)' },
        at: { type: 'string', format: 'date-time' },
        actor: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } } },
        change: { type: 'string', examples: ['created', 'updated', 'moved', 'retired', 'merged', 'deactivated'] },
        before: { type: ['object', 'null'], description: 'the changed fields as they were (null: created)' },
        after: { type: ['object', 'null'], description: 'the changed fields as they are now' },
        importId: { type: 'string', description: 'the CSV import that made the change' },
      },
    },
  },
};
