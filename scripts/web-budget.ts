/**
 * The console's JavaScript budget (issue 10: initial JavaScript ≤ 350 KB gzipped, route-level code
 * splitting): what a first visit downloads before any page's own chunk — the entry script and what
 * index.html preloads — gzipped, beside the largest lazy chunks. Reported, not a timed test:
 *
 *   npm run web:budget     (builds web/dist first when it is missing or stale)
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'web', 'dist');
const BUDGET_KB = 350;

execFileSync(process.execPath, ['--import', 'tsx', 'scripts/ensure-console.ts'], { cwd: root, stdio: 'inherit' });

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [
  ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
  ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
].map((m) => m[1] as string);
const gz = (file: string) => gzipSync(readFileSync(join(dist, file))).length / 1024;
const initialKb = initial.reduce((sum, file) => sum + gz(file), 0);

const chunks = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => ({ file: `/assets/${f}`, kb: gz(`assets/${f}`) }))
  .sort((a, b) => b.kb - a.kb);

process.stdout.write(`\nConsole JavaScript (gzipped), ${new Date().toISOString().slice(0, 10)}\n\n`);
process.stdout.write(`| what | KB gz |\n| --- | --- |\n`);
process.stdout.write(`| **initial** (entry + preloads: ${initial.length} files) | **${initialKb.toFixed(1)}** of ${BUDGET_KB} |\n`);
for (const { file, kb } of chunks.slice(0, 12))
  process.stdout.write(`| ${file}${initial.includes(file) ? ' (initial)' : ''} | ${kb.toFixed(1)} |\n`);
process.stdout.write(`| all chunks (${chunks.length}) | ${chunks.reduce((s, c) => s + c.kb, 0).toFixed(1)} |\n\n`);
process.stdout.write(initialKb <= BUDGET_KB ? `within the budget of ${BUDGET_KB} KB\n` : `OVER the budget of ${BUDGET_KB} KB\n`);
