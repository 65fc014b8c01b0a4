/**
 * Starts the embedded DynamoDB in a child process (dynamo-process.ts) and hands back its endpoint.
 *
 * One dynalite per data directory: a second one on the same directory fails on its first request.
 * The child exits when its parent does (it watches the IPC channel), and a pid file beside the data
 * covers what that cannot: if a previous child is still alive on this directory when we start (its
 * parent was killed and it has not noticed yet), it is killed and waited for first.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface EmbeddedDynamo {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./dynamo-process.ts', import.meta.url));
/** The child is TypeScript like the rest: it loads through tsx, as `npm start` does. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const START_TIMEOUT_MS = 30_000;

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Whether the pid is (still) a running dynalite child of ours: a pid can be reused by any process. */
async function isDynamoProcess(pid: number): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes('dynamo-process');
  } catch (error) {
    // No /proc (macOS): trust the pid file as long as the pid is alive.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && !(await hasProcFs()) && isAlive(pid);
  }
}

const hasProcFs = () =>
  readFile('/proc/self/cmdline').then(
    () => true,
    () => false,
  );

async function killOrphan(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number((await readFile(pidFile, 'utf8')).trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !(await isDynamoProcess(pid))) return;
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 5_000;
  // A killed process whose parent has not reaped it yet is a zombie: its cmdline reads empty.
  while (await isDynamoProcess(pid)) {
    if (Date.now() > deadline) throw new Error(`the previous dynalite (pid ${pid}) on this data directory did not exit`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The server must not keep running on a database that is gone. */
const exitWithDatabase = (reason: string) => {
  console.error(`the embedded DynamoDB exited unexpectedly (${reason}); stopping`);
  process.exit(1);
};

/**
 * `dataDir`: where the data lives (DATA_DIR/dynamodb; the pid file goes beside it); omitted, the
 * database lives in the child's memory. `onUnexpectedExit`: what happens if the child dies before
 * `stop()` (default: this process exits too).
 */
export async function startEmbeddedDynamo(
  dataDir?: string,
  onUnexpectedExit: (reason: string) => void = exitWithDatabase,
): Promise<EmbeddedDynamo> {
  const pidFile = dataDir ? `${dataDir}.pid` : undefined;
  if (pidFile) await killOrphan(pidFile);
  const child = fork(ENTRY, dataDir ? [dataDir] : [], {
    execArgv: ['--import', TSX_LOADER],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the embedded DynamoDB did not start in time')), START_TIMEOUT_MS);
      child.once('message', (message: { port?: number }) => {
        clearTimeout(timer);
        if (typeof message?.port === 'number') resolve(message.port);
        else reject(new Error(`unexpected message from the embedded DynamoDB: ${JSON.stringify(message)}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the embedded DynamoDB exited before it listened (${signal ?? code})`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  if (pidFile && child.pid) await writeFile(pidFile, `${child.pid}\n`);
  const onExit = (code: number | null, signal: string | null) => onUnexpectedExit(String(signal ?? code));
  child.once('exit', onExit);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    process: child,
    stop: async () => {
      child.off('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        if (child.connected) child.send({ stop: true });
        else child.kill('SIGTERM');
        await exited;
      }
      if (pidFile) await rm(pidFile, { force: true });
    },
  };
}
