import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/constructs/paths.ts';
import { apiTypesSource } from '../../scripts/web-api-types-source.ts';

describe('the console’s API types', () => {
  it('are exactly what /api/openapi.json describes (run npm run web:api-types after changing a route’s doc)', async () => {
    // Act
    const generated = await apiTypesSource();
    const committed = readFileSync(`${REPO_ROOT}/web/src/api/schema.d.ts`, 'utf8');

    // Assess
    expect(committed === generated, 'web/src/api/schema.d.ts is stale: npm run web:api-types').toBe(true);
  });
});
