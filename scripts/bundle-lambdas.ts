/**
 * Bundles the Lambda entries of infra/lambda-functions.ts the way NodejsFunction does with
 * BUNDLING (aws-cdk-lib's esbuild arguments: --bundle --platform=node --target --format --minify
 * --sourcemap --sources-content=false --external:@aws-sdk/*), so the bundle tests and the init-cost
 * bench measure what would ship. Used by test/bundles and scripts/bench; imports nothing from test/.
 */
import { mkdir, rm, symlink } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { BUNDLING, LAMBDA_FUNCTIONS, type LambdaFunctionName } from '../infra/lambda-functions.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** BUNDLING as esbuild options: the one translation, shared by every caller here. */
export function esbuildOptions(outfile: string): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: BUNDLING.target,
    format: BUNDLING.format,
    minify: BUNDLING.minify,
    // NodejsFunction passes `--sourcemap` (a linked index.js.map) when sourceMap is on.
    sourcemap: BUNDLING.sourceMap,
    sourcesContent: BUNDLING.sourcesContent,
    external: [...BUNDLING.externalModules],
    outfile,
    metafile: true,
    absWorkingDir: REPO_ROOT,
    logLevel: 'silent',
  };
}

export interface LambdaBundle {
  name: string;
  /** The bundle, `<dir>/<name>/index.js`, as the Lambda asset holds it. */
  file: string;
  /** Minified JavaScript, source map excluded: what the size budget counts. */
  bytes: number;
  mapBytes: number;
  /** Every module the bundle still require()s at run time. */
  externalImports: string[];
  warnings: string[];
}

function summarize(name: string, file: string, metafile: Metafile, warnings: string[]): LambdaBundle {
  const outputs = Object.entries(metafile.outputs);
  const js = outputs.find(([path]) => path.endsWith('.js'));
  const map = outputs.find(([path]) => path.endsWith('.js.map'));
  if (!js) throw new Error(`esbuild wrote no .js output for ${name}`);
  const externalImports = [...new Set(js[1].imports.filter((i) => i.external).map((i) => i.path))].sort();
  return { name, file, bytes: js[1].bytes, mapBytes: map?.[1].bytes ?? 0, externalImports, warnings };
}

async function bundle(name: string, options: BuildOptions, outDir: string): Promise<LambdaBundle> {
  const file = join(outDir, name, 'index.js');
  const result = await build({ ...esbuildOptions(file), ...options });
  return summarize(
    name,
    file,
    result.metafile as Metafile,
    result.warnings.map((w) => w.text),
  );
}

/** Bundles every function of the catalog (or the named ones) into `<outDir>/<name>/index.js`. */
export async function bundleLambdas(
  outDir: string,
  names: LambdaFunctionName[] = Object.keys(LAMBDA_FUNCTIONS) as LambdaFunctionName[],
): Promise<Record<string, LambdaBundle>> {
  const built = await Promise.all(
    names.map((name) => bundle(name, { entryPoints: [join(REPO_ROOT, LAMBDA_FUNCTIONS[name].entry)] }, outDir)),
  );
  return Object.fromEntries(built.map((b) => [b.name, b]));
}

/**
 * A handler that does nothing, bundled with the same settings: the baseline for init cost. With
 * `imports`, it also loads those modules (e.g. a function's @aws-sdk packages, to tell their share).
 */
export function bundleEmptyHandler(outDir: string, name = 'empty', imports: string[] = []): Promise<LambdaBundle> {
  const contents = [...imports.map((m) => `import ${JSON.stringify(m)};`), 'export const handler = async () => ({});'].join('\n');
  return bundle(name, { stdin: { contents, loader: 'ts', resolveDir: REPO_ROOT, sourcefile: `${name}.ts` } }, outDir);
}

/**
 * Makes `<outDir>/node_modules/@aws-sdk` the only package a bundle under outDir can resolve,
 * as on Lambda where the runtime provides the SDK. Keep outDir outside the repository: the
 * repository's node_modules (and its package.json "type": "module") must not be visible.
 */
export async function provideAwsSdkOnly(outDir: string): Promise<void> {
  const scope = join(outDir, 'node_modules');
  await mkdir(scope, { recursive: true });
  await rm(join(scope, '@aws-sdk'), { force: true, recursive: true });
  await symlink(join(REPO_ROOT, 'node_modules', '@aws-sdk'), join(scope, '@aws-sdk'), 'dir');
}

const BUILTINS = new Set(builtinModules);

/** What a Lambda bundle may leave to the runtime: Node built-ins and the AWS SDK v3. */
export function isRuntimeProvided(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  if (BUILTINS.has(specifier)) return true;
  return specifier.startsWith('@aws-sdk/');
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
