/** Request schemas (zod): sizes, types and characters are checked here, before any use case runs. */
import * as z from 'zod';
import { MIN_PASSWORD_LENGTH } from '#core/accounts.ts';
import { URGENCIES } from '#core/catalog.ts';
import { MAX_PHOTOS_PER_REPORT, PHOTO_ID, PHOTO_TYPES, photoIdFromRef } from '#core/photos.ts';
import { TIERS } from '#core/policy.ts';
import { STATUSES } from '#core/report.ts';
import { ACTIONS } from '#core/use-cases/reports.ts';

// C0/C1 controls, DEL and bidi overrides are never legitimate in user text (they forge terminal
// output and reorder what an officer reads); multi-line text may keep \t \n \r.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CONTROL_CHARS_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// Text made only of spaces and zero-width characters reads as empty to an officer.
const VISIBLE = /[^\s\u200b-\u200d\u2060\ufeff]/;

const text = (max: number, forbidden: RegExp) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .refine((s) => !forbidden.test(s), 'must not contain control characters')
    .refine((s) => VISIBLE.test(s), 'must contain visible text');

export const singleLine = (max: number) => text(max, CONTROL_CHARS);
const multiLine = (max: number) => text(max, CONTROL_CHARS_EXCEPT_LINES);

export const code = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only (1–40)');

export const idempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/, '8–128 characters of A–Z a–z 0–9 _ . : -');

export const createReportBody = z.strictObject({
  gridCode: code,
  category: code,
  urgency: z.enum(URGENCIES).optional(),
  title: singleLine(100),
  description: multiLine(2000),
  location: z
    .strictObject({
      lat: z.number().min(-90).max(90),
      lng: z.number().min(-180).max(180),
      address: singleLine(200).optional(),
    })
    .optional(),
  // A photo is named by its id or by the url its upload returned; nothing else (no outside URLs,
  // no javascript: or data: URLs) can be cited, since only the reporter's own uploads may be.
  photos: z
    .array(
      z
        .string()
        .max(500)
        .refine((ref) => photoIdFromRef(ref) !== null, 'must be a photo id or the url POST /api/v1/photos returned'),
    )
    .max(MAX_PHOTOS_PER_REPORT)
    .optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});

export const actionBody = z.strictObject({
  action: z.enum(ACTIONS),
  note: multiLine(1000).optional(),
  // Notes are internal unless the acting officer says otherwise (the Open311 feed shows public ones).
  public: z.boolean().optional(),
  tier: z.enum(TIERS).optional(),
  tierSeq: z.number().int().min(1).max(1000).optional(),
  departments: z.array(code).max(10).optional(),
  satisfied: z.boolean().optional(),
  /** The summoned department whose lane the action is for (check_in, and accept/resolve/return of its part). */
  department: code.optional(),
  // request_extension: the deadline to extend (absent: the one raced now) and the new one, or hours to add.
  phase: z.enum(['accept', 'complete']).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  extraHours: z
    .number()
    .positive()
    .max(366 * 24)
    .optional(),
  // decide_extension
  approved: z.boolean().optional(),
});

export const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  /** Required while the password is a one-time initial one: sets this one instead (AUTH.PASSWORD_CHANGE_REQUIRED without it). */
  newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(256).optional(),
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(256),
});

export const refreshBody = z.strictObject({
  refreshToken: z.string().min(10).max(200),
});

/** `limit` of a paged listing, as a query string: 1–100. */
export const pageLimit = z
  .string()
  .regex(/^\d{1,3}$/, 'a whole number from 1 to 100')
  .transform(Number)
  .pipe(z.number().min(1).max(100));

export const listReportsQuery = z.strictObject({
  node: code.optional(),
  status: z.enum(STATUSES).optional(),
  tier: z.enum(TIERS).optional(),
  category: code.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  // Filing dates as ISO date-times with an offset (a console sends a Beijing day as its 00:00+08:00 and 23:59:59.999+08:00).
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(2000).optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'a whole number from 1 to 100')
    .transform(Number)
    .pipe(z.number().min(1).max(100))
    .optional(),
});

export const reportId = /^R[0-9A-F]{15}$/;

export const linkToken = /^[A-Za-z0-9_-]{16}$/;

export const linkActionBody = z.strictObject({
  // visit_*: the return visit (回访) recorded from the visitor's SMS link; check_in: a summoned department's 报到.
  action: z.enum(['accept', 'resolve', 'return', 'check_in', 'visit_satisfied', 'visit_unsatisfied']),
  note: multiLine(1000).optional(),
});

/** POST /api/v1/photos: what the client is about to upload. The size limit is the core's (413). */
export const photoUploadBody = z.strictObject({
  contentType: z.enum(PHOTO_TYPES),
  size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

/** The query of a local upload link; a missing or malformed signature is the use case's 403, not a 400. */
export const photoContentQuery = z.strictObject({
  expires: z.string().max(20).default(''),
  signature: z.string().max(100).default(''),
});

export const photoId = PHOTO_ID;

/** POST /api/v1/reports/{id}/merge: the report this one duplicates, and why (optional). */
export const mergeBody = z.strictObject({
  parentId: z.string().regex(reportId, 'a report id (R and 15 hex digits)'),
  note: multiLine(1000).optional(),
});
