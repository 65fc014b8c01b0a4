/**
 * The OpenAPI 3.1 description of the public HTTP API, served at /api/openapi.json. Request bodies
 * come from the same zod schemas the handlers validate with, so the document cannot drift from
 * what the server accepts; a test fails when a route in ROUTES has no entry here.
 */
import * as z from 'zod';
import { ASSIGNMENT_STATUSES } from '#core/assignments.ts';
import { LINK_TOKEN_HEADER } from '#core/links.ts';
import { TIERS } from '#core/policy.ts';
import { READER_ACTIONS } from '#core/reader-actions.ts';
import { EVENT_TYPES, STATUSES } from '#core/report.ts';
import { ERROR_TEXT, errorResponses, isoTime, jsonBody, nullableTime, query, type RouteDoc, ref, type Schema } from './openapi-kit.ts';
import { PHOTO_ROUTE_DOCS } from './photos-openapi.ts';
import { actionBody, createReportBody, linkActionBody, loginBody, refreshBody } from './schemas.ts';

export type { RouteDoc } from './openapi-kit.ts';

/** The SMS link is a credential: it travels in a header, never in a path or query that access logs keep. */
const LINK_TOKEN_PARAMETER: Schema = {
  name: LINK_TOKEN_HEADER,
  in: 'header',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16}$' },
  description: 'the 16-character token from the SMS link’s fragment (…/l#<token>)',
};

/**
 * The docs of the routes defined before docs moved beside their routes (routes.ts looks them up by
 * key). A new route carries its `doc` in its own definition.
 */
export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /api/health': {
    summary: 'Readiness of the engines',
    tag: 'system',
    responses: { 200: { description: 'ready' }, 503: { description: 'starting' } },
  },
  'GET /api/openapi.json': { summary: 'This document', tag: 'system', responses: { 200: { description: 'OpenAPI 3.1 document' } } },
  'POST /api/auth/login': {
    summary:
      'Sign in with a local account (on AWS the console signs in with Cognito). An account with a one-time initial ' +
      'password answers 403 AUTH.PASSWORD_CHANGE_REQUIRED (no tokens) until the body also carries newPassword',
    tag: 'auth',
    body: loginBody,
    responses: {
      200: { description: 'signed in', schema: ref('SignedIn') },
      ...errorResponses(400, 401, 429),
      403: {
        description: 'AUTH.PASSWORD_CHANGE_REQUIRED: send newPassword (≥ 10 characters) with the one-time password',
        schema: ref('Error'),
      },
      422: { description: 'AUTH.PASSWORD_REFUSED: the new password is the current one', schema: ref('Error') },
    },
  },
  'POST /api/auth/refresh': {
    summary:
      'Swap a refresh token for a new token pair (rotation; a reused refresh token ends the session, one never issued is only refused)',
    tag: 'auth',
    body: refreshBody,
    responses: { 200: { description: 'renewed', schema: ref('SignedIn') }, ...errorResponses(400, 401) },
  },
  'POST /api/auth/logout': {
    summary: 'End this sign-in: its access and refresh tokens stop working at once',
    tag: 'auth',
    bearer: true,
    responses: { 204: { description: 'signed out' }, ...errorResponses(401) },
  },
  'POST /api/v1/reports': {
    summary: 'File a report for your grid (grid workers)',
    tag: 'reports',
    bearer: true,
    body: createReportBody,
    headers: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: true,
        schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
        description: 'client-generated; a retry with the same key and body returns the same report',
      },
    ],
    responses: {
      201: { description: 'filed, with its possible duplicates (GET /api/v1/reports/{id}/duplicates)', schema: ref('FiledReport') },
      200: { description: 'a retry of an earlier submission (header idempotent-replayed: true)', schema: ref('FiledReport') },
      ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      400: {
        description: `${ERROR_TEXT[400]}; REPORT.OCCURRED_AT_IMPLAUSIBLE when occurredAt is more than 5 minutes ahead of the server's clock or before 2000-01-01`,
        schema: ref('Error'),
      },
    },
  },
  'GET /api/v1/reports': {
    summary: 'Reports of a node (default: your scope) or, for department officers, of your department; newest first',
    tag: 'reports',
    bearer: true,
    query: [
      query('node', { type: 'string' }, 'node code inside your scope'),
      query('status', { type: 'string', enum: [...STATUSES] }, 'filter by status'),
      query('tier', { type: 'string', enum: [...TIERS] }, 'filter by the tier that holds the report now'),
      query('category', { type: 'string' }, 'filter by category code'),
      query('overdue', { type: 'string', enum: ['true', 'false'] }, 'only reports late at some tier and still being handled'),
      query(
        'from',
        { type: 'string', format: 'date-time' },
        'filed at or after (ISO with offset, e.g. 2026-11-01T00:00:00+08:00); with or without `to`, the window spans at most 366 days (400 REPORT.DATE_RANGE_TOO_LONG; a `from` alone ends now)',
      ),
      query(
        'to',
        { type: 'string', format: 'date-time' },
        'filed at or before (ISO with offset); before `from`: 400 REPORT.DATE_RANGE_INVERTED',
      ),
      query('cursor', { type: 'string' }, 'nextCursor of the previous page'),
      query('limit', { type: 'string', pattern: '^[0-9]{1,3}$' }, '1–100, default 20'),
    ],
    responses: { 200: { description: 'a page', schema: ref('ReportPage') }, ...errorResponses(400, 401, 403, 404) },
  },
  'GET /api/v1/reports/{id}': {
    summary: 'A report with its timeline, its SMS (numbers and links masked) and the actions the reader may take on it now',
    tag: 'reports',
    bearer: true,
    responses: { 200: { description: 'the report', schema: ref('ReportHistory') }, ...errorResponses(400, 401, 403, 404) },
  },
  'POST /api/v1/reports/{id}/actions': {
    summary:
      'Act on a report: accept (签收), resolve (办结), escalate (提交上级), return (退回, with a reason in `note`), comment. A note is ' +
      'internal unless "public": true, which only its current assignees or an admin over it may send. ' +
      'whistle (吹哨) with "departments": [code…] summons departments, each in a lane of its own (report.assignments), by the officers holding it or an admin over it; ' +
      'a summoned department’s officers act on their lane with "department": code and check_in (报到), accept, resolve or return (退回, with a reason: the lane ends and the tier that whistled keeps the matter). ' +
      'While summoned departments are open the tier cannot resolve (409 REPORT.DEPARTMENTS_OPEN) unless the policy’s whistleCompletion is "any" and one has resolved. ' +
      'remind (督办 by an admin above the current tier, `note` optional: SMS to the tier’s officers, at most one per tier every 15 minutes); ' +
      'request_extension (延期, by an assignee before the deadline: `phase`?, `until` (ISO with offset) or `extraHours` of policy time, reason in `note`); ' +
      'decide_extension (by an admin above the tier: `approved`, `note`?); suspend (挂起, township or county admin over the report at their tier or below, reason in `note`: ' +
      'the deadlines pause, `report.suspended` says since when and why) and resume (the deadlines restart with the time that was left); ' +
      'review (回访, by the visitor of a resolved report: `satisfied`, `note`? — satisfied closes it, not satisfied reopens it at the tier that resolved it)',
    tag: 'reports',
    bearer: true,
    body: actionBody,
    responses: {
      200: { description: 'the report after the action', schema: ref('Report') },
      ...errorResponses(400, 401, 415),
      404: { description: 'REPORT.NOT_FOUND; DEPARTMENT.UNKNOWN: a whistled department that does not exist', schema: ref('Error') },
      403: {
        description:
          'outside your scope; NOTE.NOT_PUBLISHABLE: "public": true from someone not acting on it; REMINDER.NOT_ABOVE, EXTENSION.NOT_ABOVE: not an admin above the tier; ' +
          'SUSPEND.NOT_ALLOWED: not a township or county admin over it; VISIT.NOT_YOURS: not its visitor; WHISTLE.NOT_ALLOWED; ' +
          'REPORT.NOT_ASSIGNED_TO_YOU (also a lane action by someone not summoned with it)',
        schema: ref('Error'),
      },
      409: {
        description:
          'the action no longer applies: REPORT.MOVED_ON, REPORT.ALREADY_ACCEPTED…; REMINDER.TOO_SOON (details.nextAt); EXTENSION.DEADLINE_PASSED, EXTENSION.PENDING, ' +
          'EXTENSION.PHASE_OVER, EXTENSION.NONE_PENDING (none waiting, or it lapsed with its deadline); REPORT.SUSPENDED (accept, resolve, escalate, return, whistle while suspended), ' +
          'REPORT.NOT_SUSPENDED, REPORT.NOT_AT_A_TIER; REPORT.NOT_RESOLVED, VISIT.NOT_READY, VISIT.ALREADY_DONE; WHISTLE.ALREADY_SUMMONED: that department has an open lane; ' +
          'WHISTLE.NOT_OPEN; REPORT.DEPARTMENTS_OPEN; LANE.NOT_SUMMONED, LANE.ENDED, LANE.ALREADY_CHECKED_IN, LANE.NOT_CHECKED_IN, LANE.NOT_ACCEPTED, LANE.MOVED_ON',
        schema: ref('Error'),
      },
      422: {
        description:
          'a valid request the domain refuses; ACTION.NOTE_REQUIRED: "public": true without a note; ACTION.REASON_REQUIRED: return, request_extension or suspend without `note`; ' +
          'EXTENSION.UNTIL_REQUIRED (neither or both of `until` and `extraHours`), EXTENSION.NOT_LATER (not after the current deadline), EXTENSION.TOO_LONG (more than 366 days after it), EXTENSION.NOBODY_ABOVE (at supervision), ' +
          'EXTENSION.DECISION_REQUIRED (no `approved`), VISIT.ANSWER_REQUIRED (no `satisfied`); WHISTLE.DEPARTMENTS_REQUIRED; WHISTLE.NO_OFFICER: the department has nobody in post; LANE.DEPARTMENT_REQUIRED',
        schema: ref('Error'),
      },
    },
  },
  'GET /api/v1/link': {
    summary: 'What an SMS action link shows: the report summary and the officer’s allowed actions',
    tag: 'links',
    headers: [LINK_TOKEN_PARAMETER],
    responses: { 200: { description: 'the link', schema: ref('LinkView') }, ...errorResponses(400, 401, 409) },
  },
  'POST /api/v1/link': {
    summary:
      'Accept, resolve or return (with a reason) through an SMS link, without signing in; a return visit’s link records the 回访 (visit_satisfied / visit_unsatisfied)',
    tag: 'links',
    headers: [LINK_TOKEN_PARAMETER],
    body: linkActionBody,
    responses: { 200: { description: 'done', schema: ref('LinkView') }, ...errorResponses(400, 401, 409, 415, 422) },
  },
  'GET /l': {
    summary: 'The one-tap page an SMS link opens (HTML): PUBLIC_BASE_URL/l#<token>; it calls GET and POST /api/v1/link',
    tag: 'links',
    responses: { 200: { description: 'the page (text/html)' } },
  },
  ...PHOTO_ROUTE_DOCS,
};

export const SHARED_COMPONENTS: Record<string, Schema> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string', examples: ['REPORT.ALREADY_ACCEPTED'] }, message: { type: 'string' }, details: {} },
      },
    },
  },
  Actor: {
    type: 'object',
    required: ['id', 'name', 'role', 'scope'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', enum: ['county_admin', 'township_admin', 'village_admin', 'department_officer', 'grid_worker'] },
      scope: { type: 'string', description: 'node code, or department code for department officers' },
    },
  },
  SignedIn: {
    type: 'object',
    required: ['token', 'expiresAt', 'expiresIn', 'refreshToken', 'refreshExpiresAt', 'user'],
    properties: {
      token: { type: 'string' },
      expiresAt: isoTime,
      expiresIn: {
        type: 'integer',
        minimum: 0,
        description:
          "the token's lifetime in seconds from this answer; time renewals by it, since the client's clock may differ from the server's",
      },
      refreshToken: { type: 'string' },
      refreshExpiresAt: isoTime,
      user: ref('Actor'),
    },
  },
  Category: {
    type: 'object',
    required: ['code', 'name'],
    properties: {
      code: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      departmentCode: { type: 'string' },
      public: {
        type: 'boolean',
        description:
          'whether the public Open311 feed shows what its reports say (description, address, photo, public notes, masked); ' +
          'false by default: then only category, status, agency, dates and a position to about a kilometre',
      },
    },
  },
  Report: {
    type: 'object',
    required: [
      'id',
      'gridCode',
      'category',
      'urgency',
      'title',
      'description',
      'location',
      'status',
      'tier',
      'assignees',
      'acceptBy',
      'completeBy',
      'overdue',
      'createdAt',
      'updatedAt',
    ],
    properties: {
      id: { type: 'string' },
      countyCode: { type: 'string' },
      townshipCode: { type: 'string' },
      villageCode: { type: 'string' },
      gridCode: { type: 'string' },
      filedUnder: {
        type: 'object',
        required: ['countyName', 'townshipName', 'villageName', 'gridName'],
        properties: {
          countyName: { type: 'string' },
          townshipName: { type: 'string' },
          villageName: { type: 'string' },
          gridName: { type: 'string' },
        },
        description:
          'the names of the grid and its ancestors when the report was filed, never changed: a move or merge re-files the codes (a "refiled" timeline event), not these; absent on reports filed before it existed',
      },
      category: { type: 'string' },
      urgency: { type: 'string', enum: ['normal', 'urgent', 'emergency'] },
      title: { type: 'string' },
      description: { type: 'string' },
      location: {
        type: ['object', 'null'],
        required: ['lat', 'lng'],
        properties: { lat: { type: 'number' }, lng: { type: 'number' }, address: { type: 'string' } },
      },
      photos: {
        type: 'array',
        items: { type: 'string' },
        description: 'the photos’ API paths (/api/v1/photos/{id}), read with the bearer token',
      },
      occurredAt: { ...nullableTime, description: 'when it happened, as the reporter said' },
      reporter: {
        type: 'object',
        required: ['id', 'name', 'role'],
        properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
      },
      flags: {
        type: 'array',
        items: { type: 'string' },
        description: "set at filing, e.g. 'outside_grid'; 'not_visited' when it closed without a return visit (回访)",
      },
      status: { type: 'string', enum: [...STATUSES], description: 'resolved: waiting for its return visit (回访); closed: 销号' },
      suspended: {
        type: ['object', 'null'],
        description:
          '挂起: since when, why and by whom; acceptBy/completeBy are null meanwhile and `remaining` is the policy seconds each had left',
        properties: { at: isoTime, reason: { type: 'string' }, by: { type: 'object' }, remaining: { type: 'object' } },
      },
      extensionRequest: {
        type: ['object', 'null'],
        description:
          '延期 request as filed (phase, until, reason, by, at, tierSeq); it waits while its tierSeq is current and its deadline has not passed, else it lapsed',
      },
      visit: {
        type: ['object', 'null'],
        description:
          '回访 of the current resolution: visitors, dueBy, outcome (satisfied | unsatisfied) once recorded, tierSeq of the resolving tier',
      },
      tier: { type: 'string', enum: [...TIERS] },
      tierSeq: { type: 'integer', description: 'increments on every assignment' },
      ownerCode: { type: 'string' },
      ownerName: { type: 'string' },
      assignees: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name', 'role'],
          properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
        },
      },
      acceptBy: nullableTime,
      completeBy: nullableTime,
      mergedInto: { type: 'string', description: 'status merged: the report this duplicate was merged into (合并)' },
      mergedChildren: { type: 'array', items: { type: 'string' }, description: 'the duplicates merged into this report' },
      parentClosedAt: { ...isoTime, description: 'status merged: when its parent closed and its reporter was told' },
      overdue: { type: 'boolean', description: 'late at some tier and still being handled' },
      breaches: {
        type: 'array',
        description: 'every deadline a tier missed, charged to that tier (its escalation or reminder happened at `at`)',
        items: {
          type: 'object',
          required: ['tier', 'ownerCode', 'phase', 'deadline', 'at'],
          properties: {
            tier: { type: 'string', enum: [...TIERS] },
            ownerCode: { type: 'string' },
            phase: { type: 'string', enum: ['accept', 'complete'] },
            deadline: isoTime,
            at: isoTime,
          },
        },
      },
      publicNote: {
        type: 'object',
        required: ['note', 'at'],
        properties: { note: { type: 'string' }, at: isoTime },
        description: 'the latest note made public (Open311 status_notes); absent while every note is internal',
      },
      assignments: {
        type: 'array',
        description:
          'the departments summoned by 吹哨, a lane each (the tier’s own assignment is the top-level tier/status/acceptBy/completeBy/assignees): ' +
          'summoned → checked_in (报到) → accepted (签收) → resolved (办结), or returned (退回 to the tier that whistled) or withdrawn (the report resolved under a policy where one department suffices). ' +
          'A missed deadline charges the lane a breach and puts it under county supervision (escalatedAt; the county admins are texted, each later miss is a 督办). ' +
          'Every lane event on the timeline carries data.department',
        items: ref('Assignment'),
      },
      createdAt: isoTime,
      updatedAt: isoTime,
    },
  },
  Assignment: {
    type: 'object',
    required: [
      'seq',
      'tier',
      'ownerCode',
      'ownerName',
      'assignees',
      'status',
      'checkInBy',
      'acceptBy',
      'completeBy',
      'breaches',
      'overdue',
    ],
    properties: {
      seq: { type: 'integer', description: 'the lane’s number in this report (its SMS and links name it)' },
      tier: { type: 'string', enum: [...TIERS] },
      ownerCode: { type: 'string', description: 'the department' },
      ownerName: { type: 'string' },
      assignees: {
        type: 'array',
        items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } } },
      },
      status: { type: 'string', enum: [...ASSIGNMENT_STATUSES] },
      summonedBy: { type: 'object', description: 'the tier (and its assignment) that whistled, and who' },
      summonedAt: isoTime,
      checkInBy: nullableTime,
      acceptBy: nullableTime,
      completeBy: nullableTime,
      checkedInAt: nullableTime,
      acceptedAt: nullableTime,
      resolvedAt: nullableTime,
      endedAt: nullableTime,
      breaches: {
        type: 'array',
        description: 'the deadlines this department missed (its own breach record)',
        items: {
          type: 'object',
          properties: {
            ownerCode: { type: 'string' },
            phase: { type: 'string', enum: ['check_in', 'accept', 'complete'] },
            deadline: isoTime,
            at: isoTime,
          },
        },
      },
      escalatedAt: { ...nullableTime, description: 'when a missed deadline put the lane under county supervision' },
      supervisors: { type: 'array', items: { type: 'object' }, description: 'the county admins supervising it once escalated' },
      remindersSent: { type: 'integer' },
      notified: { type: 'boolean' },
      overdue: { type: 'boolean', description: 'the lane is open and late (now, or a deadline it missed before)' },
    },
  },
  TimelineEvent: {
    type: 'object',
    required: ['seq', 'at', 'type', 'tier', 'actor'],
    properties: {
      seq: { type: 'integer' },
      at: isoTime,
      type: { type: 'string', enum: [...EVENT_TYPES] },
      tier: { type: 'string', enum: [...TIERS] },
      actor: {
        type: 'object',
        required: ['id', 'name', 'role'],
        properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', description: 'a role, or system' } },
      },
      note: { type: 'string' },
      public: { type: 'boolean', const: true, description: 'present when the note was made public; notes are internal otherwise' },
      data: {
        type: 'object',
        additionalProperties: true,
        description: 'what the event says besides: e.g. from/to/assignees/reason of an escalation, sent/failed of an SMS',
      },
      hash: {
        type: 'string',
        description:
          'SHA-256 (hex) of this event and the previous event’s hash; see GET /api/v1/reports/{id}/timeline/verify. Absent on events stored before the chain',
      },
    },
  },
  Sms: {
    type: 'object',
    required: ['at', 'to', 'text', 'status'],
    properties: {
      at: isoTime,
      to: { type: 'string', description: 'E.164 to its recipient; masked (+86 138****0201) to every other reader' },
      toId: { type: 'string' },
      toName: { type: 'string' },
      toTitle: { type: 'string', description: 'the recipient’s post, e.g. 村党支部书记' },
      text: {
        type: 'string',
        maxLength: 70,
        description: 'as sent, with the action link masked as …/l/•••• (the link is the recipient’s credential)',
      },
      status: { type: 'string', enum: ['sending', 'sent', 'failed'] },
      attempts: { type: 'integer' },
      error: { type: 'string' },
      tierSeq: { type: 'integer' },
      reminder: { type: 'integer' },
    },
  },
  ReportHistory: {
    type: 'object',
    required: ['report', 'timeline', 'notifications', 'actions', 'mayPublishNote', 'now'],
    properties: {
      report: ref('Report'),
      timeline: { type: 'array', items: ref('TimelineEvent') },
      notifications: { type: 'array', items: ref('Sms') },
      actions: {
        type: 'array',
        items: { type: 'string', enum: [...READER_ACTIONS] },
        description:
          'what the reader may do now: accept (签收) / resolve (办结) / return (退回, not at the grid) for its current assignees in the status that allows it, ' +
          'escalate for its assignees and the admins over it at their tier or below (not past county supervision), ' +
          'merge (POST /api/v1/reports/{id}/merge) for the admins over it while it is open and nothing was merged into it, comment for every reader; ' +
          'remind and decide_extension (a request is pending) for the admins above the current tier; request_extension for its assignees before the deadline (not at supervision, none pending); ' +
          'suspend / resume for township and county admins over it at their tier or below; review for the visitor of a resolved report; while suspended only comment and resume',
      },
      mayPublishNote: {
        type: 'boolean',
        description: 'whether a note the reader sends may carry "public": true (else 403 NOTE.NOT_PUBLISHABLE)',
      },
      mayWhistle: {
        type: 'boolean',
        description:
          'whether the reader may whistle (吹哨) departments now: the officers holding it, or an admin over it, while it is open',
      },
      laneActions: {
        type: 'array',
        description: 'per summoned department, the lane actions the reader may take (only that department’s summoned officers get any)',
        items: {
          type: 'object',
          properties: {
            department: { type: 'string' },
            seq: { type: 'integer' },
            actions: { type: 'array', items: { type: 'string', enum: ['check_in', 'accept', 'resolve', 'return'] } },
          },
        },
      },
      now: { ...isoTime, description: 'the server’s clock: count time left from this, not from the reader’s' },
    },
  },
  ReportPage: {
    type: 'object',
    required: ['items', 'nextCursor', 'now'],
    properties: {
      items: { type: 'array', items: ref('Report') },
      nextCursor: { type: ['string', 'null'] },
      now: { ...isoTime, description: 'the server’s clock: count time left from this' },
    },
  },
  LinkView: {
    type: 'object',
    required: ['report', 'actions'],
    properties: {
      report: { type: 'object' },
      officer: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
      actions: {
        type: 'array',
        items: { type: 'string', enum: ['check_in', 'accept', 'resolve', 'return', 'visit_satisfied', 'visit_unsatisfied'] },
        description:
          'a summoned department’s link acts on its lane (check_in 报到 first); a visitor’s link records the return visit (回访)',
      },
      expiresAt: isoTime,
    },
  },
};

function operation(method: string, path: string, doc: RouteDoc): Schema {
  const params: Schema[] = [...(doc.headers ?? []), ...(doc.query ?? [])];
  for (const match of path.matchAll(/\{(\w+)\}/g)) params.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
  const op: Schema = {
    operationId: `${method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: doc.summary,
    tags: [doc.tag],
    responses: Object.fromEntries(
      Object.entries(doc.responses).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.headers ? { headers: r.headers } : {}),
          ...(r.content ? { content: r.content } : r.schema ? { content: { 'application/json': { schema: r.schema } } } : {}),
        },
      ]),
    ),
  };
  if (params.length > 0) op.parameters = params;
  if (doc.body) {
    op.requestBody =
      'content' in doc.body && !(doc.body instanceof z.ZodType)
        ? { required: true, content: doc.body.content }
        : { required: true, content: { 'application/json': { schema: jsonBody(doc.body as z.ZodType) } } };
  }
  op.security = doc.bearer ? [{ bearer: [] }] : [];
  return op;
}

export function openApiDocument(
  routes: { method: string; path: string; doc: RouteDoc }[],
  components: Record<string, Schema> = {},
  serverUrl?: string,
): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, Schema>)[route.method.toLowerCase()] = operation(route.method, route.path, route.doc);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'GridWhistle 网格吹哨 API',
      version: '1',
      description:
        'Grid-governance reports that escalate grid → village → township → department until closed. Errors are always {"error":{"code","message"}}.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas: { ...SHARED_COMPONENTS, ...components },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
