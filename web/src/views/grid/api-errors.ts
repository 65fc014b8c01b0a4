/**
 * What a dialog shows of a refusal: the message in the reader's language (the interceptor has
 * translated it by its code) and, for a validation error, the API's word on each field it names.
 */
import { ApiError } from '../../api/client';

export interface Refusal {
  code: string;
  status: number;
  message: string;
  fields: Record<string, string>;
}

export function refusalOf(error: unknown): Refusal {
  if (!(error instanceof ApiError))
    return { code: 'UNKNOWN', status: 0, message: error instanceof Error ? error.message : String(error), fields: {} };
  const fields: Record<string, string> = {};
  if (Array.isArray(error.details)) {
    for (const detail of error.details as { path?: unknown; message?: unknown }[]) {
      const field = typeof detail.path === 'string' ? (detail.path.split('.')[0] ?? '') : '';
      if (field && typeof detail.message === 'string' && !fields[field]) fields[field] = detail.message;
    }
  }
  return { code: error.code, status: error.status, message: error.message, fields };
}
