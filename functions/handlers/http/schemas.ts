/** Request schemas (zod): sizes, types and characters are checked here, before any use case runs. */
import { z } from 'zod';
import { URGENCIES } from '#core/catalog.ts';
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

const singleLine = (max: number) => text(max, CONTROL_CHARS);
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
  photos: z
    .array(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(500))
    .max(9)
    .optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});

export const actionBody = z.strictObject({
  action: z.enum(ACTIONS),
  note: multiLine(1000).optional(),
  tier: z.enum(TIERS).optional(),
  departments: z.array(code).max(10).optional(),
  satisfied: z.boolean().optional(),
});

export const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const refreshBody = z.strictObject({
  refreshToken: z.string().min(10).max(200),
});

export const listReportsQuery = z.strictObject({
  node: code.optional(),
  status: z.enum(STATUSES).optional(),
  category: code.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  cursor: z.string().max(2000).optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'a whole number from 1 to 100')
    .transform(Number)
    .pipe(z.number().min(1).max(100))
    .optional(),
});

export const reportId = /^R[0-9A-F]{15}$/;
