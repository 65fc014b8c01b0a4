/**
 * CSV import and export of the jurisdiction tree: POST /api/v1/imports (a job, answered 202 at
 * once), GET /api/v1/imports/{id} (its status, progress and every bad row), GET
 * /api/v1/tree/{code}/export.csv (a subtree in the same format, so it round-trips).
 */
import * as z from 'zod';
import { isManager, isOperator } from '#core/admin-access.ts';
import { charsetOf } from '#core/csv.ts';
import { ForbiddenError, UnsupportedMediaTypeError } from '#core/errors.ts';
import { IMPORT_COLUMNS } from '#core/tree-import.ts';
import { exportSubtree, MAX_IMPORT_BYTES, MAX_STORED_ERRORS, readImport, startImport } from '#core/use-cases/imports.ts';
import type { TokenService } from '#ports/auth.ts';
import { type ApiEvent, authenticate, bodyBytes, check, header, json, parseQuery, pathParameter, route } from './http.ts';
import { errorResponses, ref } from './openapi-kit.ts';
import type { RouteModule } from './routes.ts';

/**
 * What a CSV may be sent as: text/csv as API.md says; application/vnd.ms-excel, which browsers on
 * Windows send for a .csv file; and application/octet-stream, which API Gateway passes on byte for
 * byte (it hands text/* bodies over as UTF-8 text, which a GB18030 file is not).
 */
const CSV_TYPES = new Set(['text/csv', 'application/vnd.ms-excel', 'application/octet-stream']);

const IMPORT_ID = /^[0-9a-f-]{36}$/;
const NODE_CODE = /^\d{6,15}$/;

const importQuery = z.strictObject({ dryRun: z.enum(['true', 'false']) });

function assertCsvType(event: ApiEvent): void {
  const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!CSV_TYPES.has(type)) throw new UnsupportedMediaTypeError('send the file as text/csv (or application/octet-stream)');
}

/** Who may upload: admins. Checked before the body is read, so a stranger cannot make us buffer 16 MB. */
async function importer(tokens: TokenService, event: ApiEvent) {
  const actor = await authenticate(tokens, event);
  if (!isManager(actor) && !isOperator(actor)) throw new ForbiddenError('IMPORT.NOT_AN_ADMIN', '只有管理员可以导入 (only admins import)');
  assertCsvType(event);
  return actor;
}

const rowError = {
  type: 'object',
  required: ['row', 'column', 'code', 'message'],
  properties: {
    row: { type: 'integer', description: 'the row as Excel numbers it: the header is 1' },
    column: { type: ['string', 'null'], description: 'the column (as the file names it), null for the row as a whole' },
    code: {
      type: 'string',
      examples: ['IMPORT.EXCEL_NUMBER', 'IMPORT.UNKNOWN_PARENT', 'NODE.LEVEL_PARENT', 'IMPORT.DUPLICATE_CODE', 'PEOPLE.PHONE_INVALID'],
    },
    message: { type: 'string', description: 'what is wrong, in Chinese (English in parentheses)' },
  },
};

export const IMPORT_ROUTES: RouteModule = {
  routes: [
    {
      method: 'POST',
      path: '/api/v1/imports',
      public: false,
      maxBodyBytes: MAX_IMPORT_BYTES,
      beforeBody: (deps) =>
        check(async (event) => {
          await importer(deps.tokens, event);
        }),
      create: (deps) =>
        route(async (event) => {
          const actor = await importer(deps.tokens, event);
          const { dryRun } = parseQuery(event, importQuery);
          const charset = charsetOf(header(event, 'content-type'));
          const { id } = await startImport(deps, actor, { bytes: bodyBytes(event), charset, dryRun: dryRun === 'true' });
          return json(202, { id }, { location: `/api/v1/imports/${id}` });
        }),
      doc: {
        summary:
          'Import a CSV of the tree and its officers as a job: 202 with its id at once; a dry run reports every bad row and writes nothing',
        tag: 'imports',
        bearer: true,
        query: [
          {
            name: 'dryRun',
            in: 'query',
            required: true,
            schema: { type: 'string', enum: ['true', 'false'] },
            description: 'true: check every row and say what a commit would do, writing nothing',
          },
        ],
        body: {
          content: {
            'text/csv': {
              schema: {
                type: 'string',
                description:
                  `A header row and one row per node, columns in any order: ${IMPORT_COLUMNS.join(',')}. UTF-8 (with or without BOM) or ` +
                  'GB18030/GBK (a charset parameter is honoured); at most 16 MB. Also accepted as application/octet-stream ' +
                  '(needed for GB18030 on AWS) or application/vnd.ms-excel.',
              },
            },
          },
        },
        responses: {
          202: {
            description: 'the job was queued; read it at the Location',
            schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
          },
          400: {
            description: 'IMPORT.EMPTY, IMPORT.NOT_TEXT (neither UTF-8 nor GB18030), IMPORT.DAMAGED_TEXT (holds U+FFFD), or no dryRun',
            schema: ref('Error'),
          },
          ...errorResponses(401),
          403: {
            description: 'IMPORT.NOT_AN_ADMIN: only admins import (each row is held to your scope when the job runs)',
            schema: ref('Error'),
          },
          413: { description: 'above 16 MB', schema: ref('Error') },
          415: {
            description: 'not text/csv (or application/octet-stream), or a charset other than UTF-8 and GB18030/GBK',
            schema: ref('Error'),
          },
        },
      },
    },
    {
      method: 'GET',
      path: '/api/v1/imports/{id}',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          return json(200, await readImport(deps, actor, pathParameter(event, 'id', IMPORT_ID)));
        }),
      doc: {
        summary: 'An import job: its status, its progress while it runs, and every bad row',
        tag: 'imports',
        bearer: true,
        responses: {
          200: { description: 'the job', schema: ref('ImportJob') },
          ...errorResponses(400, 401),
          403: { description: 'IMPORT.OUT_OF_SCOPE: neither its importer nor an admin above them', schema: ref('Error') },
          404: { description: 'IMPORT.NOT_FOUND', schema: ref('Error') },
        },
      },
    },
    {
      method: 'GET',
      path: '/api/v1/tree/{code}/export.csv',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const { filename, text } = await exportSubtree(deps, actor, pathParameter(event, 'code', NODE_CODE));
          return {
            statusCode: 200,
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': `attachment; filename="${filename}"`,
              'cache-control': 'no-store',
            },
            body: text,
          };
        }),
      doc: {
        summary: 'A subtree in the import format (UTF-8 with BOM): importing it again changes nothing',
        tag: 'imports',
        bearer: true,
        responses: {
          200: {
            description:
              'the node and its active descendants in tree order, each with its first active responsible officer of its level; ' +
              "mainland mobiles as 11 digits, a cell Excel would run as a formula prefixed with '",
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          ...errorResponses(400, 401),
          403: { description: 'NODE.OUT_OF_SCOPE: an admin who holds the node exports it', schema: ref('Error') },
          404: { description: 'NODE.NOT_FOUND', schema: ref('Error') },
        },
      },
    },
  ],
  components: {
    ImportRowError: rowError,
    ImportJob: {
      type: 'object',
      required: ['id', 'status', 'dryRun', 'total', 'processed', 'created', 'updated', 'unchanged', 'errors', 'errorCount'],
      properties: {
        id: { type: 'string' },
        status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
        dryRun: { type: 'boolean' },
        total: { type: 'integer', description: 'data rows in the file (blank rows left out)' },
        processed: { type: 'integer', description: 'rows checked (dry run) or applied (commit) so far' },
        created: { type: 'integer', description: 'rows whose node is new (on a dry run: would be)' },
        updated: { type: 'integer', description: 'rows whose node or officer changed' },
        unchanged: { type: 'integer', description: 'rows that changed nothing (a re-import: all of them)' },
        errors: {
          type: 'array',
          items: ref('ImportRowError'),
          description: `every bad row, sorted by row (the first ${MAX_STORED_ERRORS} are kept); a commit with any writes nothing and fails`,
        },
        errorCount: { type: 'integer', description: 'how many errors there were in all' },
        encoding: { type: 'string', enum: ['utf-8', 'gb18030'], description: 'how the file was read' },
        message: { type: 'string', description: 'why a job failed with no row to blame' },
        createdAt: { type: 'string', format: 'date-time' },
        updatedAt: { type: 'string', format: 'date-time' },
      },
    },
  },
};
