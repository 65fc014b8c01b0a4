/**
 * Init cost of each Lambda bundle, as a ratio to an empty handler bundled with the same settings.
 *
 * Each sample is a fresh `node` that times `require(bundle)` (what the Lambda runtime does at init:
 * module evaluation, including the @aws-sdk modules the bundle requires — the runtime ships them,
 * but loading them still costs). The bundles run side by side in every round, in a rotating order,
 * so drift on the machine hits all of them alike; the ratio is taken per round, then the median.
 * Handlers build their AWS clients lazily on the first invocation, which this does not include.
 *
 *   npm run bench:init [-- --rounds 21]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LAMBDA_FUNCTIONS } from '../../infra/lambda-functions.ts';
import { bundleEmptyHandler, bundleLambdas, kib, type LambdaBundle, provideAwsSdkOnly } from '../bundle-lambdas.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '21' } } });
const ROUNDS = Number(values.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 3) throw new Error('--rounds must be an integer ≥ 3');

const PROBE = `const t = process.hrtime.bigint();
const m = require(process.argv[1]);
const ns = process.hrtime.bigint() - t;
if (typeof m.handler !== 'function') process.exit(2);
process.stdout.write(String(ns));`;

interface Sample {
  requireNs: number;
  processNs: number;
}

/** One fresh process: the require time it reports, and its whole life as the parent saw it. */
function sample(file: string, cwd: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-e', PROBE, file], { cwd, env: { PATH: process.env.PATH ?? '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const processNs = Number(process.hrtime.bigint() - started);
      if (code !== 0) reject(new Error(`${file} exited ${code}: ${err}`));
      else resolve({ requireNs: Number(out), processNs });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const ms = (ns: number) => (ns / 1e6).toFixed(2);

async function main() {
  const outDir = await mkdtemp(join(tmpdir(), 'gw-bench-init-'));
  try {
    const functions = Object.values(await bundleLambdas(outDir));
    // Per function, an empty handler that loads only that function's @aws-sdk packages: its SDK share.
    const sdkOnly = await Promise.all(
      functions.map((f) =>
        bundleEmptyHandler(
          outDir,
          `${f.name}.sdk`,
          f.externalImports.filter((m) => m.startsWith('@aws-sdk/')),
        ),
      ),
    );
    const bundles: LambdaBundle[] = [await bundleEmptyHandler(outDir), ...functions, ...sdkOnly];
    await provideAwsSdkOnly(outDir);
    const samples = new Map<string, Sample[]>(bundles.map((b) => [b.name, []]));

    // One warm-up pass fills the OS file cache for node, the bundles and the SDK.
    for (const b of bundles) await sample(b.file, outDir);
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < bundles.length; i++) {
        const b = bundles[(i + round) % bundles.length]!;
        samples.get(b.name)!.push(await sample(b.file, outDir));
      }
      process.stderr.write(`\rround ${round + 1}/${ROUNDS}`);
    }
    process.stderr.write('\n');

    const empty = samples.get('empty')!;
    const rows = [bundles[0]!, ...functions].map((b) => {
      const own = samples.get(b.name)!;
      const sdk = samples.get(`${b.name}.sdk`);
      return {
        name: b.name,
        size: b.bytes,
        sdkModules: b.externalImports.filter((m) => m.startsWith('@aws-sdk/')).length,
        requireMs: median(own.map((s) => s.requireNs)),
        requireRatio: median(own.map((s, r) => s.requireNs / empty[r]!.requireNs)),
        sdkShare: sdk ? median(own.map((s, r) => sdk[r]!.requireNs / s.requireNs)) : 0,
        processMs: median(own.map((s) => s.processNs)),
        processRatio: median(own.map((s, r) => s.processNs / empty[r]!.processNs)),
      };
    });

    console.log(
      `\nLambda init cost: ${ROUNDS} interleaved rounds, fresh node ${process.version} per sample, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? '?'})\n`,
    );
    console.log(
      '| function | memory | bundle (min.) | @aws-sdk pkgs | require() median | require × empty | of which @aws-sdk | process median | process × empty |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      const memory = r.name === 'empty' ? '—' : `${LAMBDA_FUNCTIONS[r.name as keyof typeof LAMBDA_FUNCTIONS].memoryMb} MB`;
      const share = r.name === 'empty' ? '—' : `${(r.sdkShare * 100).toFixed(0)} %`;
      console.log(
        `| ${r.name} | ${memory} | ${kib(r.size)} | ${r.sdkModules} | ${ms(r.requireMs)} ms | ${r.requireRatio.toFixed(1)}× | ${share} | ${ms(r.processMs)} ms | ${r.processRatio.toFixed(2)}× |`,
      );
    }
    console.log(
      '\nrequire × empty: median over rounds of require(bundle) / require(empty bundle) in the same round. of which @aws-sdk: median',
      'share of that time an empty handler loading only the same @aws-sdk packages takes. process × empty: the whole child process',
      '(node start-up + require + exit) against the empty bundle, closer to what a cold start adds on top of the runtime.',
    );
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

await main();
