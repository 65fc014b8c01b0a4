/** The SMS log of the reader's subtree: numbers masked but the reader's own, links always. */
import { api } from './http';
import type { components, operations } from './schema';

export type SmsLogEntry = components['schemas']['SmsLogEntry'];
export type SmsStatus = SmsLogEntry['status'];
export type SmsQuery = NonNullable<operations['getApiV1Sms']['parameters']['query']>;

export function listSms(query: SmsQuery) {
  return api.get('/api/v1/sms', { query });
}
