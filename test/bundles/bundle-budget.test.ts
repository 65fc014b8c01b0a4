/**
 * What ships: every function of infra/lambda-functions.ts bundled with BUNDLING is within the size
 * budget, needs nothing at run time but Node built-ins and the AWS SDK the Lambda runtime provides,
 * loads only the SDK clients its `needs` call (so its grants and its imports agree), and loads in a
 * fresh Node process that can resolve nothing else.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLING, LAMBDA_FUNCTIONS } from '../../infra/lambda-functions.ts';
import { bundleLambdas, isRuntimeProvided, kib, type LambdaBundle, provideAwsSdkOnly } from '../../scripts/bundle-lambdas.ts';

const NAMES = Object.keys(LAMBDA_FUNCTIONS) as (keyof typeof LAMBDA_FUNCTIONS)[];

/** The @aws-sdk packages each need calls, derived from the needs, not from the entries. */
function expectedSdkPackages(needs: (typeof LAMBDA_FUNCTIONS)[keyof typeof LAMBDA_FUNCTIONS]['needs']): string[] {
  const n: { sms?: boolean; links?: boolean; photos?: boolean; accounts?: boolean; workflow?: string; wakes?: boolean; imports?: string } =
    needs;
  return [
    ...new Set([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/lib-dynamodb',
      ...(n.workflow ? ['@aws-sdk/client-sfn'] : []),
      ...(n.wakes ? ['@aws-sdk/client-scheduler'] : []),
      ...(n.sms ? ['@aws-sdk/client-sns'] : []),
      ...(n.links ? ['@aws-sdk/client-secrets-manager'] : []),
      ...(n.photos ? ['@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner'] : []),
      // Both store or read the uploaded file in S3; only the one that starts jobs invokes the importer.
      ...(n.imports ? ['@aws-sdk/client-s3'] : []),
      ...(n.imports === 'start' ? ['@aws-sdk/client-lambda'] : []),
      ...(n.accounts ? ['@aws-sdk/client-cognito-identity-provider'] : []),
    ]),
  ].sort();
}

let outDir: string;
let bundles: Record<string, LambdaBundle>;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'gw-bundle-budget-'));
  bundles = await bundleLambdas(outDir);
  await provideAwsSdkOnly(outDir);
});

afterAll(async () => {
  if (bundles) console.info(`bundle sizes (minified, maps excluded): ${NAMES.map((n) => `${n} ${kib(bundles[n]!.bytes)}`).join(', ')}`);
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** Runs `code` in a fresh node whose only resolvable package is outDir/node_modules/@aws-sdk. */
function freshNode(code: string, ...args: string[]) {
  return spawnSync(process.execPath, ['-e', code, ...args], {
    cwd: outDir,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe.each(NAMES)('the %s bundle', (name) => {
  it(`is at most ${kib(BUNDLING.maxBundleBytes)} of minified JavaScript, its source map apart and without sources`, async () => {
    const bundle = bundles[name]!;

    const map = JSON.parse(await readFile(`${bundle.file}.map`, 'utf8'));

    expect(bundle.bytes).toBeGreaterThan(0);
    expect(bundle.bytes).toBeLessThanOrEqual(BUNDLING.maxBundleBytes);
    expect(bundle.mapBytes).toBeGreaterThan(0);
    expect(map.sourcesContent ?? []).toEqual([]);
  });

  it('builds without warnings and leaves only Node built-ins and @aws-sdk/* to the runtime', () => {
    const bundle = bundles[name]!;

    const foreign = bundle.externalImports.filter((specifier) => !isRuntimeProvided(specifier));

    expect(bundle.warnings).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it('imports exactly the @aws-sdk clients its needs call, so a function never loads an SDK it may not use', () => {
    const bundle = bundles[name]!;

    const sdk = bundle.externalImports.filter((specifier) => specifier.startsWith('@aws-sdk/'));

    expect(sdk).toEqual(expectedSdkPackages(LAMBDA_FUNCTIONS[name].needs));
  });

  it('loads in a fresh node process that can resolve @aws-sdk and nothing else', () => {
    const bundle = bundles[name]!;

    const loaded = freshNode("const m = require(process.argv[1]); if (typeof m.handler !== 'function') process.exit(2);", bundle.file);

    expect(loaded.stderr).not.toMatch(/Cannot find module|ERR_/);
    expect(loaded.status).toBe(0);
  });
});

it('the fresh process really cannot see the repository packages (the load test above would prove nothing otherwise)', () => {
  const sdk = freshNode("require.resolve('@aws-sdk/client-dynamodb')");
  const other = freshNode("require.resolve('zod')");

  expect(sdk.status).toBe(0);
  expect(other.status).not.toBe(0);
  expect(other.stderr).toContain("Cannot find module 'zod'");
});
