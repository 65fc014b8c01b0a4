import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument, ROUTE_DOCS } from '#handlers/http/openapi.ts';
import { ROUTES, routeComponents } from '#handlers/http/routes.ts';

describe('the OpenAPI 3.1 document', () => {
  it('is valid against the OpenAPI 3.1 schema', async () => {
    // Prepare
    const validator = new Validator();

    // Act
    const result = await validator.validate(
      openApiDocument(ROUTES, routeComponents(), 'http://127.0.0.1:8080') as Parameters<Validator['validate']>[0],
    );

    // Assess
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every route the server mounts, each once, and keeps no doc for a route that is gone', () => {
    // Prepare
    const mounted = ROUTES.map((r) => `${r.method} ${r.path}`);
    const doc = openApiDocument(ROUTES, routeComponents()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));

    // Assess
    expect(new Set(mounted).size).toBe(mounted.length);
    expect(documented.sort()).toEqual([...mounted].sort());
    expect(Object.keys(ROUTE_DOCS).filter((key) => !mounted.includes(key))).toEqual([]);
  });

  it('resolves every schema reference a doc makes', () => {
    // Prepare
    const doc = openApiDocument(ROUTES, routeComponents()) as { components: { schemas: Record<string, unknown> } };
    const refs = [...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] as string);

    // Assess
    expect(refs.filter((name) => !(name in doc.components.schemas))).toEqual([]);
  });

  it('marks exactly the private routes as needing a bearer token', () => {
    // Prepare
    const doc = openApiDocument(ROUTES, routeComponents()) as { paths: Record<string, Record<string, { security: unknown[] }>> };

    // Assess
    for (const route of ROUTES.filter((r) => !r.path.startsWith('/open311/'))) {
      const security = doc.paths[route.path]?.[route.method.toLowerCase()]?.security;
      expect(security, `${route.method} ${route.path}`).toEqual(route.public ? [] : [{ bearer: [] }]);
    }
  });

  it('takes request bodies from the zod schemas the handlers validate with', () => {
    // Prepare
    const doc = openApiDocument(ROUTES, routeComponents()) as {
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
