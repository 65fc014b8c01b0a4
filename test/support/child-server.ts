/** Runs `npm start`'s entry point as a real child process, so tests can kill -9 it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { eventually } from './local-runtime.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  process: ChildProcess;
  url: string;
  output: () => string;
  kill9: () => Promise<void>;
}

/** `readyWithinMs`: how long the boot may take (it resumes every open report first; the load tests leave thousands). */
export async function startChildServer(env: Record<string, string>, readyWithinMs = 30_000): Promise<ChildServer> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
      const res = await fetch(`${url}/api/health`);
      return res.status === 200 ? true : undefined;
    },
    readyWithinMs,
    100,
  );
  return {
    process: child,
    url,
    output: () => output,
    kill9: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/**
 * Removes a killed server's data directory. Its embedded DynamoDB runs in a grandchild process
 * that notices the kill only when its IPC channel closes and then needs a moment to close the
 * store (up to 5 s, infra/local/dynamo-process.ts): a removal in that moment meets files it is
 * still writing (ENOTEMPTY), so it is retried until the store is gone.
 */
export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 12, retryDelay: 250 });
}
