import type { HttpDeps } from './deps.ts';
import { json, route } from './http.ts';

export const createHealthHandler = (deps: Pick<HttpDeps, 'ready'>) =>
  route(async () => (deps.ready() ? json(200, { status: 'ok' }) : json(503, { status: 'starting' })));
