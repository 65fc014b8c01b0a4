/** The error shape of API.md, asserted: what every refused request must answer. */
import { expect } from 'vitest';
import type { HttpResult } from './local-runtime.ts';

const STACK_TRACE = /\n\s*at\s|\bat .+:\d+:\d+|node:internal|\.(?:ts|js|mjs):\d+/;

/** The API.md error shape, the status, and (when given) the code; never a stack trace. */
export function expectError(res: HttpResult, status: number, code?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(typeof res.body, 'the body is JSON').toBe('object');
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(res.body.error).toEqual({
    code: expect.stringMatching(/^[A-Z_]+(\.[A-Z_]+)+$/),
    message: expect.stringMatching(/\S/),
    ...(res.body.error.details === undefined ? {} : { details: res.body.error.details }),
  });
  if (code !== undefined) expect(res.body.error.code).toBe(code);
  expect(JSON.stringify(res.body)).not.toMatch(STACK_TRACE);
}
