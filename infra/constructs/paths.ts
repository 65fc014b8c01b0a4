/** Paths the CDK app reads, from the repository root (the app may be run from any directory). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** THE state machine: the same file the local runtime runs. */
export const ESCALATION_ASL = fileURLToPath(new URL('../../functions/workflows/escalation.asl.json', import.meta.url));

/** The built console (a later issue): deployed only when it exists, so synth works without it. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export const webDistExists = (dir: string = WEB_DIST) => existsSync(`${dir}/index.html`);
