import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument, ROUTE_DOCS } from '#handlers/http/openapi.ts';
import { ROUTES } from '#handlers/http/routes.ts';

describe('the OpenAPI 3.1 document', () => {
  it('is valid against the OpenAPI 3.1 schema', async () => {
    // Prepare
    const validator = new Validator();

    // Act
    const result = await validator.validate(openApiDocument(ROUTES, 'http://127.0.0.1:8080') as Parameters<Validator['validate']>[0]);

    // Assess
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every route the server mounts, and nothing it does not', () => {
    // Prepare
    const mounted = ROUTES.map((r) => `${r.method} ${r.path}`).sort();

    // Assess
    expect(Object.keys(ROUTE_DOCS).sort()).toEqual(mounted);
  });

  it('marks exactly the private routes as needing a bearer token', () => {
    // Prepare
    const doc = openApiDocument(ROUTES) as { paths: Record<string, Record<string, { security: unknown[] }>> };

    // Assess
    for (const route of ROUTES.filter((r) => !r.path.startsWith('/open311/'))) {
      const security = doc.paths[route.path]?.[route.method.toLowerCase()]?.security;
      expect(security, `${route.method} ${route.path}`).toEqual(route.public ? [] : [{ bearer: [] }]);
    }
  });

  it('takes request bodies from the zod schemas the handlers validate with', () => {
    // Prepare
    const doc = openApiDocument(ROUTES) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[]; additionalProperties?: boolean } }> } }>
      >;
    };

    // Act
    const body = doc.paths['/api/v1/reports']?.post?.requestBody?.content['application/json']?.schema;

    // Assess
    expect(body?.required).toEqual(expect.arrayContaining(['gridCode', 'category', 'title', 'description']));
    expect(body?.additionalProperties).toBe(false);
  });
});
