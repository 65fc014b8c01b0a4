/**
 * What a county decides for itself: its working calendar (工作日历) and its escalation policies per
 * category × urgency, both versioned; and the dry run that previews a policy before it is saved.
 * Everyone who works in the county reads them; its county admin changes them.
 */
import * as z from 'zod';
import { URGENCIES } from '#core/catalog.ts';
import { MAX_POLICY_SECONDS, START_TIERS, TIERS } from '#core/policy.ts';
import { getCalendar, saveCalendar } from '#core/use-cases/calendar.ts';
import { dryRunPolicy, getCountyPolicy, listCountyPolicies, saveCountyPolicy } from '#core/use-cases/policies.ts';
import { MAX_OVERRIDES } from '#core/working-calendar.ts';
import { authenticate, json, parseJsonBody, parseQuery, pathParameter, route } from './http.ts';
import { errorResponses, isoTime, query, ref } from './openapi-kit.ts';
import type { RouteModule } from './route-types.ts';
import { code } from './schemas.ts';

const COUNTY = /^\d{6}$/;
const CATEGORY = /^[A-Za-z0-9_-]{1,40}$/;
const URGENCY = new RegExp(`^(${URGENCIES.join('|')})$`);
const urgencyOf = (value: string) => value as (typeof URGENCIES)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
export const calendarBody = z.strictObject({
  expectedVersion: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('the version the editor read (409 CALENDAR.VERSION_CONFLICT if it moved on)'),
  workingWeekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).describe('ISO weekdays: 1 Monday … 7 Sunday'),
  workingHours: z
    .array(z.strictObject({ start: hhmm, end: hhmm }))
    .min(1)
    .max(4)
    .describe('Beijing time (UTC+8), in order, e.g. 08:30–12:00 and 14:00–17:30'),
  overrides: z
    .array(
      z.strictObject({
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
        kind: z.enum(['holiday', 'workday']).describe('holiday: no work; workday: a make-up working day (调休上班)'),
        name: z.string().max(40).optional(),
        notice: z.string().min(1).max(100).describe('the notice that decided it, e.g. 国办发明电〔2025〕7号'),
      }),
    )
    .max(MAX_OVERRIDES),
});

const calendarQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() });

const seconds = z.number().positive().max(MAX_POLICY_SECONDS);
const tierDeadlines = z.strictObject({ acceptSeconds: seconds, completeSeconds: seconds });
const policyFields = {
  tiers: z.strictObject(Object.fromEntries(TIERS.map((t) => [t, tierDeadlines])) as Record<(typeof TIERS)[number], typeof tierDeadlines>),
  basis: z
    .enum(['working', 'elapsed'])
    .optional()
    .describe('working: seconds of working time on the county calendar; elapsed (default): plain time'),
  reminderFractions: z
    .array(z.number().gt(0).lt(1))
    .max(5)
    .optional()
    .describe('催办 at these fractions of each window (default [0.5, 0.8])'),
  startTier: z
    .enum(START_TIERS as ['grid', 'village', 'township', 'department'])
    .optional()
    .describe('where a report starts (default grid)'),
  whistleDepartments: z.array(code).max(10).optional().describe('departments summoned (吹哨) at once'),
};
export const policyBody = z.strictObject({
  expectedVersion: z.number().int().min(1).describe('the version the editor read (409 POLICY.VERSION_CONFLICT if it moved on)'),
  ...policyFields,
});
export const dryRunBody = z.strictObject({
  countyCode: z.string().regex(COUNTY),
  start: z.iso.datetime({ offset: true }).optional().describe('when the sample report is filed (default now)'),
  policy: z.strictObject({ category: code.optional(), urgency: z.enum(URGENCIES).optional(), ...policyFields }),
});

const COUNTY_ADMIN = '403 ADMIN.COUNTY_ONLY unless you are that county’s admin';
const READERS = 'anyone whose scope is in the county, and department officers';

export const COUNTY_RULES_ROUTES: RouteModule = {
  routes: [
    {
      method: 'GET',
      path: '/api/v1/counties/{code}/calendar',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const { year } = parseQuery(event, calendarQuery);
          return json(200, await getCalendar(deps, actor, pathParameter(event, 'code', COUNTY), year));
        }),
      doc: {
        summary: `The county’s working calendar and a year’s holidays and 调休 (${READERS}); missingYears warns when this or next year has no holidays yet`,
        tag: 'calendar',
        bearer: true,
        query: [query('year', { type: 'integer' }, 'the year whose special days to list (default this year, Beijing time)')],
        responses: { 200: { description: 'the calendar', schema: ref('CalendarView') }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    {
      method: 'PUT',
      path: '/api/v1/counties/{code}/calendar',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          return json(200, await saveCalendar(deps, actor, pathParameter(event, 'code', COUNTY), parseJsonBody(event, calendarBody)));
        }),
      doc: {
        summary:
          `Save the working calendar as a new version (${COUNTY_ADMIN}). Open reports on working-time policies get their deadlines ` +
          'moved (time already spent stays spent; a `rescheduled` event); at most 500 per request: `more` says to send the same body again',
        tag: 'calendar',
        bearer: true,
        body: calendarBody,
        responses: {
          200: {
            description: 'saved (or unchanged), with the reports moved',
            schema: {
              allOf: [
                ref('CalendarView'),
                {
                  type: 'object',
                  required: ['rescheduled', 'more'],
                  properties: { rescheduled: { type: 'integer' }, more: { type: 'boolean' } },
                },
              ],
            },
          },
          ...errorResponses(400, 401, 403, 404),
          409: { description: 'CALENDAR.VERSION_CONFLICT', schema: ref('Error') },
        },
      },
    },
    {
      method: 'GET',
      path: '/api/v1/counties/{code}/policies',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          return json(200, await listCountyPolicies(deps, actor, pathParameter(event, 'code', COUNTY)));
        }),
      doc: {
        summary: `Every category × urgency with the policy a report filed now starts with (${READERS})`,
        tag: 'policies',
        bearer: true,
        responses: {
          200: {
            description: 'the policies',
            schema: {
              type: 'object',
              required: ['items'],
              properties: {
                items: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['category', 'urgency', 'policy', 'source'],
                    properties: {
                      category: { type: 'string' },
                      urgency: { type: 'string', enum: [...URGENCIES] },
                      policy: ref('Policy'),
                      source: { type: 'string', enum: ['county', 'default'] },
                    },
                  },
                },
              },
            },
          },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    {
      method: 'GET',
      path: '/api/v1/counties/{code}/policies/{category}/{urgency}',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const county = pathParameter(event, 'code', COUNTY);
          const category = pathParameter(event, 'category', CATEGORY);
          const urgency = urgencyOf(pathParameter(event, 'urgency', URGENCY));
          return json(200, await getCountyPolicy(deps, actor, county, category, urgency));
        }),
      doc: {
        summary: `A policy and its version history, newest first (${READERS})`,
        tag: 'policies',
        bearer: true,
        responses: {
          200: {
            description: 'the current version and every version',
            schema: {
              type: 'object',
              required: ['policy', 'versions'],
              properties: { policy: ref('Policy'), versions: { type: 'array', items: ref('Policy') } },
            },
          },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    {
      method: 'PUT',
      path: '/api/v1/counties/{code}/policies/{category}/{urgency}',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const county = pathParameter(event, 'code', COUNTY);
          const category = pathParameter(event, 'category', CATEGORY);
          const urgency = urgencyOf(pathParameter(event, 'urgency', URGENCY));
          return json(201, await saveCountyPolicy(deps, actor, county, category, urgency, parseJsonBody(event, policyBody)));
        }),
      doc: {
        summary: `Save the policy as a new version (${COUNTY_ADMIN}); reports already running keep the version they started with`,
        tag: 'policies',
        bearer: true,
        body: policyBody,
        responses: {
          201: { description: 'the new version', schema: { type: 'object', required: ['policy'], properties: { policy: ref('Policy') } } },
          ...errorResponses(400, 401, 403, 404),
          409: { description: 'POLICY.VERSION_CONFLICT', schema: ref('Error') },
          422: { description: 'DEPARTMENT.UNKNOWN (a whistled department)', schema: ref('Error') },
        },
      },
    },
    {
      method: 'POST',
      path: '/api/v1/policies/dry-run',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          return json(200, await dryRunPolicy(deps, actor, parseJsonBody(event, dryRunBody)));
        }),
      doc: {
        summary:
          `The timeline a policy gives a sample report nobody acts on: each tier’s assignment, 催办 reminders and deadlines on the county’s ` +
          `working calendar, up to supervision and its first 督办 rounds; nothing is stored (${COUNTY_ADMIN})`,
        tag: 'policies',
        bearer: true,
        body: dryRunBody,
        responses: { 200: { description: 'the timeline', schema: ref('DryRun') }, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
  ],
  components: {
    WorkingCalendar: {
      type: 'object',
      required: ['countyCode', 'version', 'workingWeekdays', 'workingHours', 'overrides'],
      properties: {
        countyCode: { type: 'string' },
        version: { type: 'integer', description: '0: the built-in default, never saved' },
        workingWeekdays: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 7 } },
        workingHours: {
          type: 'array',
          items: { type: 'object', required: ['start', 'end'], properties: { start: { type: 'string' }, end: { type: 'string' } } },
        },
        overrides: {
          type: 'array',
          items: {
            type: 'object',
            required: ['date', 'kind', 'notice'],
            properties: {
              date: { type: 'string', format: 'date' },
              kind: { type: 'string', enum: ['holiday', 'workday'] },
              name: { type: 'string' },
              notice: { type: 'string' },
            },
          },
        },
        savedAt: isoTime,
        savedBy: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
      },
    },
    CalendarView: {
      type: 'object',
      required: ['calendar', 'year', 'days', 'nationalYears', 'missingYears'],
      properties: {
        calendar: ref('WorkingCalendar'),
        year: { type: 'integer' },
        days: {
          type: 'array',
          items: {
            type: 'object',
            required: ['date', 'working', 'source'],
            properties: {
              date: { type: 'string', format: 'date' },
              working: { type: 'boolean' },
              source: { type: 'string', enum: ['county', 'national', 'weekday'] },
              name: { type: 'string' },
              notice: { type: 'string' },
            },
          },
        },
        nationalYears: {
          type: 'object',
          required: ['from', 'to'],
          properties: { from: { type: 'integer' }, to: { type: 'integer' } },
          description: 'the years of the bundled State Council table (chinese-days)',
        },
        missingYears: {
          type: 'array',
          items: { type: 'integer' },
          description: 'this year or next when no holiday is known for it: enter the State Council’s arrangement as overrides',
        },
      },
    },
    Policy: {
      type: 'object',
      required: ['category', 'urgency', 'tiers'],
      properties: {
        category: { type: 'string' },
        urgency: { type: 'string', enum: [...URGENCIES] },
        version: { type: 'integer', description: '1: the deployment default' },
        countyCode: { type: 'string', description: 'absent on the deployment default' },
        tiers: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['acceptSeconds', 'completeSeconds'],
            properties: { acceptSeconds: { type: 'number' }, completeSeconds: { type: 'number' } },
          },
        },
        basis: { type: 'string', enum: ['working', 'elapsed'] },
        reminderFractions: { type: 'array', items: { type: 'number' } },
        startTier: { type: 'string', enum: [...TIERS] },
        whistleDepartments: { type: 'array', items: { type: 'string' } },
        savedAt: isoTime,
        savedBy: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
      },
    },
    DryRun: {
      type: 'object',
      required: ['start', 'basis', 'tiers', 'supervision', 'events'],
      properties: {
        start: isoTime,
        basis: { type: 'string', enum: ['working', 'elapsed'] },
        tiers: {
          type: 'array',
          items: {
            type: 'object',
            required: ['tier', 'assignedAt', 'acceptBy', 'completeBy', 'acceptReminders', 'completeReminders'],
            properties: {
              tier: { type: 'string', enum: [...TIERS] },
              assignedAt: isoTime,
              acceptBy: isoTime,
              completeBy: isoTime,
              acceptReminders: { type: 'array', items: isoTime },
              completeReminders: { type: 'array', items: isoTime },
            },
          },
        },
        supervision: {
          type: 'array',
          items: { type: 'object', required: ['at', 'acceptBy'], properties: { at: isoTime, acceptBy: isoTime } },
        },
        events: {
          type: 'array',
          items: {
            type: 'object',
            required: ['at', 'tier', 'kind'],
            properties: {
              at: isoTime,
              tier: { type: 'string', enum: [...TIERS] },
              kind: {
                type: 'string',
                enum: ['assigned', 'accept_reminder', 'complete_reminder', 'accept_deadline', 'complete_deadline', 'supervised'],
              },
            },
          },
        },
      },
    },
  },
};
