/**
 * The console's API types, generated from the same OpenAPI document the server serves at
 * /api/openapi.json (openapi-typescript), so the console and the API cannot drift:
 *
 *   npm run web:api-types            writes web/src/api/schema.d.ts
 *   npm run web:api-types -- --check fails when the committed file is not what the API says (CI, tests)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiTypesSource } from './web-api-types-source.ts';

const target = fileURLToPath(new URL('../web/src/api/schema.d.ts', import.meta.url));
const generated = await apiTypesSource();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing: stale by definition
  }
  if (current !== generated) {
    process.stderr.write('web/src/api/schema.d.ts is not what /api/openapi.json describes: run npm run web:api-types\n');
    process.exit(1);
  }
  process.stdout.write('web/src/api/schema.d.ts matches /api/openapi.json\n');
} else {
  writeFileSync(target, generated);
  process.stdout.write(`wrote ${target}\n`);
}
