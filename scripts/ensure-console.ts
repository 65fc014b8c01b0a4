/**
 * `npm start` serves the built console at `/`: this builds it first when it is missing or older
 * than its sources (a fresh clone, a pull), so the first command of the README is all it takes.
 * An up-to-date build is left alone, and costs one walk of web/.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const web = fileURLToPath(new URL('../web', import.meta.url));
const built = join(web, 'dist', 'index.html');

function newest(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules') continue;
    const path = join(dir, name);
    const stat = statSync(path);
    latest = Math.max(latest, stat.isDirectory() ? newest(path) : stat.mtimeMs);
  }
  return latest;
}

function builtAt(): number {
  try {
    return statSync(built).mtimeMs;
  } catch {
    return 0;
  }
}

if (builtAt() < newest(web)) {
  process.stdout.write('building the console (web/dist)…\n');
  await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });
  process.stdout.write('console built\n');
}
