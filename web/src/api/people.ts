/** The people directory: listing, creating, editing, deactivating people and giving them accounts. */
import { api } from './http';
import type { components, operations } from './schema';

/** The JSON body an operation takes. */
type JsonBodyOf<Op> = Op extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

export type Person = components['schemas']['Person'];
export type HandOver = components['schemas']['HandOver'];
export type AuditEntry = components['schemas']['AuditEntry'];
export type Role = Person['role'];
export type PeopleQuery = NonNullable<operations['getApiV1People']['parameters']['query']>;
export type NewPerson = JsonBodyOf<operations['postApiV1People']>;
export type PersonPatch = JsonBodyOf<operations['patchApiV1PeopleId']>;

export function listPeople(query: PeopleQuery) {
  return api.get('/api/v1/people', { query });
}

export function createPerson(body: NewPerson) {
  return api.post('/api/v1/people', { body });
}

export function updatePerson(id: string, body: PersonPatch) {
  return api.patch('/api/v1/people/{id}', { path: { id }, body });
}

/** With `dryRun`, what would happen to the person's open reports, changing nothing. */
export function deactivatePerson(id: string, dryRun: boolean) {
  return api.post('/api/v1/people/{id}/deactivate', { path: { id }, body: { dryRun } });
}

/** The answer carries the one-time password: its caller shows it once and keeps it nowhere. */
export function createAccount(id: string, username: string) {
  return api.post('/api/v1/people/{id}/account', { path: { id }, body: { username } });
}

export function personHistory(id: string, cursor?: string) {
  return api.get('/api/v1/history', { query: { subject: `person:${id}`, cursor, limit: '50' } });
}
