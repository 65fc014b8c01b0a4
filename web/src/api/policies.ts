/** The county's escalation policies per category × urgency, versioned, and the dry run that previews one. */
import { api } from './http';
import type { components, operations } from './schema';

type JsonBodyOf<Op> = Op extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

export type Policy = components['schemas']['Policy'];
export type DryRun = components['schemas']['DryRun'];
export type PolicyBody = JsonBodyOf<operations['putApiV1CountiesCodePoliciesCategoryUrgency']>;
export type DryRunBody = JsonBodyOf<operations['postApiV1PoliciesDryRun']>;
export type Urgency = 'normal' | 'urgent' | 'emergency';

export function listPolicies(countyCode: string) {
  return api.get('/api/v1/counties/{code}/policies', { path: { code: countyCode } });
}

export function getPolicy(countyCode: string, category: string, urgency: Urgency) {
  return api.get('/api/v1/counties/{code}/policies/{category}/{urgency}', { path: { code: countyCode, category, urgency } });
}

export function savePolicy(countyCode: string, category: string, urgency: Urgency, body: PolicyBody) {
  return api.put('/api/v1/counties/{code}/policies/{category}/{urgency}', { path: { code: countyCode, category, urgency }, body });
}

export function dryRun(body: DryRunBody) {
  return api.post('/api/v1/policies/dry-run', { body });
}
