/**
 * The people directory and its accounts: admins create, edit, transfer and deactivate the people
 * of their subtree (a department's officers: the county admin) and give them accounts. The only
 * responses that show full phone numbers, to the admins who manage those people.
 */
import * as z from 'zod';
import { ROLES } from '#core/people.ts';
import { createAccount } from '#core/use-cases/accounts.ts';
import { createPerson, deactivatePerson, getPerson, listPeople, updatePerson } from '#core/use-cases/people.ts';
import { changePassword } from '#core/use-cases/sign-in.ts';
import type { ApiEvent } from './http.ts';
import { authenticate, json, parseJsonBody, parseQuery, pathParameter, route } from './http.ts';
import { errorResponses, isoTime, query, ref } from './openapi-kit.ts';
import type { RouteModule } from './routes.ts';
import { changePasswordBody, code, pageLimit } from './schemas.ts';

const PERSON_ID = /^[A-Za-z0-9_-]{1,64}$/;

// Sizes and types here; what the text may contain (trimmed, no control characters, a phone that
// takes SMS, a scope that fits the role) is the core's rule (core/people.ts personProblems), so the
// CSV importer applies the same one.
const name = z.string().min(1).max(40);
const title = z.string().min(1).max(60);
const phone = z.string().min(1).max(32).describe('E.164 (+8613977201234); 11-digit mainland mobiles are normalised');

export const newPersonBody = z.strictObject({
  name,
  phone,
  role: z.enum(ROLES),
  scope: code.describe('a node code fitting the role (grid, village, township, county), or a department code for department officers'),
  title: title.optional(),
  responsible: z.boolean().optional().describe('answers for the tier of their scope (default true)'),
});

export const personPatchBody = z
  .strictObject({
    name: name.optional(),
    phone: phone.optional(),
    title: title.nullable().optional().describe('null clears it'),
    responsible: z.boolean().optional(),
    scope: code.optional().describe('a transfer: the role stays, the new scope must fit it and lie within yours'),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'say what to change');

export const deactivateBody = z.strictObject({
  dryRun: z.boolean().optional().describe('show the hand-over without changing anything'),
});

export const accountBody = z.strictObject({ username: z.string().min(1).max(64) });

const listPeopleQuery = z
  .strictObject({
    node: code.optional(),
    department: code.optional(),
    role: z.enum(ROLES).optional(),
    q: z.string().min(1).max(40).optional(),
    active: z.enum(['true', 'false']).optional(),
    cursor: z.string().max(2000).optional(),
    limit: pageLimit.optional(),
  })
  .refine((q) => q.node === undefined || q.department === undefined, 'either node or department');

const personIdOf = (event: ApiEvent) => pathParameter(event, 'id', PERSON_ID);

/** A body that may be left out entirely (a bare POST): an empty object then. */
function optionalBody<S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> {
  return event.body ? parseJsonBody(event, schema) : schema.parse({});
}

const personResponse = (description: string) => ({
  description,
  schema: { type: 'object', required: ['person'], properties: { person: ref('Person') } },
});
const handOverResponse = (description: string) => ({
  description,
  schema: {
    type: 'object',
    required: ['person', 'handOver'],
    properties: { person: ref('Person'), handOver: { type: 'array', items: ref('HandOver') } },
  },
});

export const PEOPLE_ROUTES: RouteModule = {
  routes: [
    {
      method: 'GET',
      path: '/api/v1/people',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const q = parseQuery(event, listPeopleQuery);
          const active = q.active === undefined ? undefined : q.active === 'true';
          return json(200, await listPeople(deps, actor, { ...q, active, limit: q.limit ?? 50 }));
        }),
      doc: {
        summary:
          'The people of a subtree (default: your scope), or a department’s officers (county admins): the people directory, with full phone numbers',
        tag: 'people',
        bearer: true,
        query: [
          query('node', { type: 'string' }, 'a node in your subtree (default: your scope)'),
          query('department', { type: 'string' }, 'a department’s officers instead (county admins)'),
          query('role', { type: 'string', enum: [...ROLES] }, 'only this role'),
          query('q', { type: 'string' }, 'part of the name, phone number or username'),
          query('active', { type: 'string', enum: ['true', 'false'] }, 'only active or only deactivated people'),
          query('cursor', { type: 'string' }, 'nextCursor of the previous page'),
          query('limit', { type: 'string', pattern: '^[0-9]{1,3}$' }, '1–100, default 50; a filtered page may hold fewer'),
        ],
        responses: {
          200: {
            description: 'a page of people, by their scope’s place in the tree, then role',
            schema: {
              type: 'object',
              required: ['items', 'nextCursor'],
              properties: { items: { type: 'array', items: ref('Person') }, nextCursor: { type: ['string', 'null'] } },
            },
          },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    {
      method: 'POST',
      path: '/api/v1/people',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          return json(201, { person: await createPerson(deps, actor, parseJsonBody(event, newPersonBody)) });
        }),
      doc: {
        summary: 'Add a person with a role and scope within yours, no higher than your own role',
        tag: 'people',
        bearer: true,
        body: newPersonBody,
        responses: {
          201: personResponse('created'),
          ...errorResponses(400, 401, 403),
          422: {
            description: 'PEOPLE.SCOPE_UNKNOWN, PEOPLE.SCOPE_MISMATCH (the scope does not fit the role), PEOPLE.SCOPE_RETIRED',
            schema: ref('Error'),
          },
        },
      },
    },
    {
      method: 'GET',
      path: '/api/v1/people/{id}',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          return json(200, { person: await getPerson(deps, actor, personIdOf(event)) });
        }),
      doc: {
        summary: 'A person: for the admins who manage them, and for themselves',
        tag: 'people',
        bearer: true,
        responses: { 200: personResponse('the person'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/people/{id}',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const id = personIdOf(event);
          return json(200, await updatePerson(deps, actor, id, parseJsonBody(event, personPatchBody)));
        }),
      doc: {
        summary:
          'Edit a person (name, phone, title, responsible) or transfer them (scope); one who leaves their post hands its open reports over',
        tag: 'people',
        bearer: true,
        body: personPatchBody,
        responses: {
          200: handOverResponse('changed; handOver lists the open reports passed on (a transfer, or no longer responsible)'),
          ...errorResponses(400, 401, 403, 404, 409),
          422: { description: 'the new scope does not fit, or PEOPLE.NOBODY_TO_TAKE_OVER', schema: ref('Error') },
        },
      },
    },
    {
      method: 'POST',
      path: '/api/v1/people/{id}/deactivate',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const id = personIdOf(event);
          return json(200, await deactivatePerson(deps, actor, id, optionalBody(event, deactivateBody)));
        }),
      doc: {
        summary:
          'Deactivate a person: each open report they hold goes to the post’s other officers or up to the next tier with one (SMS, timeline), and their account stops signing in; dryRun shows the hand-over first',
        tag: 'people',
        bearer: true,
        body: deactivateBody,
        responses: {
          200: handOverResponse('deactivated (or, with dryRun, what would happen: nothing changed)'),
          ...errorResponses(400, 401, 403, 404),
          422: {
            description: 'PEOPLE.NOBODY_TO_TAKE_OVER (a report would have nobody), PEOPLE.DEACTIVATE_SELF',
            schema: ref('Error'),
          },
        },
      },
    },
    {
      method: 'POST',
      path: '/api/v1/people/{id}/account',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const id = personIdOf(event);
          const { username } = parseJsonBody(event, accountBody);
          return json(201, await createAccount(deps, actor, id, username));
        }),
      doc: {
        summary:
          'Give a person an account: a username and a one-time initial password, shown in this answer only and changed at first sign-in',
        tag: 'people',
        bearer: true,
        body: accountBody,
        responses: {
          201: {
            description: 'created; the initial password is stored nowhere in clear and is never shown again',
            schema: {
              type: 'object',
              required: ['username', 'initialPassword'],
              properties: { username: { type: 'string' }, initialPassword: { type: 'string' } },
            },
          },
          ...errorResponses(400, 401, 403, 404),
          409: { description: 'ACCOUNT.USERNAME_TAKEN, ACCOUNT.EXISTS (the person has one)', schema: ref('Error') },
          422: { description: 'PEOPLE.INACTIVE', schema: ref('Error') },
        },
      },
    },
    {
      method: 'POST',
      path: '/api/auth/password',
      public: false,
      localOnly: true,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const body = parseJsonBody(event, changePasswordBody);
          await changePassword(deps, actor, { ...body, sourceIp: event.requestContext?.http?.sourceIp });
          return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
        }),
      doc: {
        summary: 'Change your local password (throttled like sign-in); your other sign-ins end. On AWS, Cognito does this',
        tag: 'auth',
        bearer: true,
        body: changePasswordBody,
        responses: {
          204: { description: 'changed' },
          ...errorResponses(400, 401, 429),
          403: { description: 'AUTH.WRONG_PASSWORD', schema: ref('Error') },
          422: { description: 'AUTH.PASSWORD_REFUSED (the same as the current one), AUTH.SIGN_IN_AGAIN', schema: ref('Error') },
        },
      },
    },
  ],
  components: {
    Person: {
      type: 'object',
      required: ['id', 'name', 'phone', 'role', 'scope', 'active', 'responsible'],
      properties: {
        id: { type: 'string', examples: ['p-worker-1'] },
        name: { type: 'string' },
        phone: { type: 'string', description: 'E.164; in full only here, to the admins who manage the person (and to themselves)' },
        role: { type: 'string', enum: [...ROLES] },
        scope: { type: 'string', description: 'node code, or department code for department officers' },
        title: { type: 'string', examples: ['网格员', '村党支部书记', '综治中心主任'] },
        active: { type: 'boolean' },
        responsible: {
          type: 'boolean',
          description: 'answers for the tier of their scope: reports are assigned to the responsible officers',
        },
        username: { type: 'string', description: 'their account, once one was created' },
        version: { type: 'integer' },
        createdAt: isoTime,
        updatedAt: isoTime,
      },
    },
    HandOver: {
      type: 'object',
      required: ['reportId', 'title', 'tier', 'action', 'to'],
      properties: {
        reportId: { type: 'string' },
        title: { type: 'string' },
        tier: { type: 'string', description: 'the tier that holds the report afterwards' },
        action: { type: 'string', enum: ['reassigned', 'escalated'] },
        to: { type: 'array', items: { type: 'string' }, description: 'the names of its new officers' },
      },
    },
  },
};
