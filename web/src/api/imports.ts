/** CSV imports of the tree and its officers (/api/v1/imports): a job per upload, read until it is done. */
import { api } from './http';
import type { components } from './schema';

export type ImportJob = components['schemas']['ImportJob'];
export type ImportRowError = components['schemas']['ImportRowError'];

/**
 * Uploads the file's bytes as they are: application/octet-stream passes a GB18030 file (what Excel
 * writes on Chinese Windows) through API Gateway unchanged, and the server tells the encodings apart.
 */
export function startImport(file: Blob, dryRun: boolean) {
  return api.post('/api/v1/imports', {
    query: { dryRun: dryRun ? 'true' : 'false' },
    body: file,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

export function getImport(id: string) {
  return api.get('/api/v1/imports/{id}', { path: { id } });
}
