/** The e2e tier runs against the built console: build it first when it is missing or stale. */
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from '../../infra/constructs/paths.ts';

export default function setup() {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/ensure-console.ts'], { cwd: REPO_ROOT, stdio: 'inherit' });
}
