/**
 * GET /api/v1/sms: the SMS log of an admin's subtree — who was texted about which report, when,
 * and whether it arrived. Shown as every reader of a report sees SMS (present.ts): the link
 * masked, numbers masked but the reader's own.
 */
import * as z from 'zod';
import { TIERS } from '#core/policy.ts';
import { listSmsLog } from '#core/use-cases/sms-log.ts';
import { authenticate, json, parseQuery, route } from './http.ts';
import { errorResponses, isoTime, query, ref } from './openapi-kit.ts';
import { presentSms } from './present.ts';
import type { RouteModule } from './routes.ts';
import { code, pageLimit } from './schemas.ts';

const SMS_STATUSES = ['sending', 'sent', 'failed'] as const;

const smsLogQuery = z.strictObject({
  node: code.optional(),
  status: z.enum(SMS_STATUSES).optional(),
  cursor: z.string().max(2000).optional(),
  limit: pageLimit.optional(),
});

export const SMS_ROUTES: RouteModule = {
  routes: [
    {
      method: 'GET',
      path: '/api/v1/sms',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const q = parseQuery(event, smsLogQuery);
          const page = await listSmsLog(deps, actor, { ...q, limit: q.limit ?? 50 });
          return json(200, {
            items: page.items.map(({ sms, report }) => ({ ...presentSms(sms, actor), report })),
            nextCursor: page.nextCursor,
          });
        }),
      doc: {
        summary:
          'The SMS sent for the reports of a subtree (default: your scope), newest attempt first, with their status and report (admins; 403 SMS.ADMINS_ONLY for department officers and grid workers, who read a report’s SMS on the report). Numbers are masked but your own, links always. An SMS is listed under the jurisdiction its report had when it was sent; SMS sent before the log existed are not listed (they stay on their report)',
        tag: 'sms',
        bearer: true,
        query: [
          query('node', { type: 'string' }, 'a node in your subtree (default: your scope)'),
          query('status', { type: 'string', enum: [...SMS_STATUSES] }, 'only SMS being sent, sent, or failed'),
          query('cursor', { type: 'string' }, 'nextCursor of the previous page'),
          query('limit', { type: 'string', pattern: '^[0-9]{1,3}$' }, '1–100, default 50; a filtered page may hold fewer'),
        ],
        responses: {
          200: {
            description: 'a page of SMS, newest first',
            schema: {
              type: 'object',
              required: ['items', 'nextCursor'],
              properties: { items: { type: 'array', items: ref('SmsLogEntry') }, nextCursor: { type: ['string', 'null'] } },
            },
          },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
  ],
  components: {
    SmsLogEntry: {
      type: 'object',
      required: ['at', 'to', 'toId', 'toName', 'text', 'status', 'attempts', 'tierSeq', 'reminder', 'report'],
      properties: {
        at: { ...isoTime, description: 'when it was (last) sent' },
        to: { type: 'string', description: 'E.164 to its recipient; masked (+86 138****0201) to every other reader' },
        toId: { type: 'string' },
        toName: { type: 'string' },
        toTitle: { type: 'string', description: 'the recipient’s post, e.g. 村党支部书记' },
        text: { type: 'string', description: 'as sent, with the action link masked as …/l/••••' },
        status: { type: 'string', enum: [...SMS_STATUSES] },
        attempts: { type: 'integer' },
        error: { type: 'string', description: 'why the last attempt failed (numbers in it masked)' },
        tierSeq: { type: 'integer' },
        reminder: { type: 'integer', description: '0: the assignment; 1…: a supervision reminder (督办)' },
        report: {
          type: 'object',
          required: ['id', 'title', 'tier'],
          properties: {
            id: { type: 'string' },
            title: { type: 'string' },
            tier: { type: 'string', enum: [...TIERS], description: 'the tier the SMS was sent for' },
          },
        },
      },
    },
  },
};
