/**
 * The embedded DynamoDB runs in a child process of the server, one per data directory: it must
 * die with the server even on `kill -9`, and a server that finds a previous one still alive on its
 * directory (an orphan whose parent died a moment ago) kills it before it opens its own.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedDynamo } from '#local/embedded-dynamo.ts';
import { type ChildServer, startChildServer } from '../support/child-server.ts';
import { eventually, newKey, reportBody } from '../support/local-runtime.ts';

const dirs: string[] = [];
const servers: ChildServer[] = [];

afterAll(async () => {
  for (const s of servers) await s.kill9();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const dynamoPidOf = async (dataDir: string) => Number((await readFile(join(dataDir, 'dynamodb.pid'), 'utf8')).trim());

async function fileOneReport(server: ChildServer): Promise<number> {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'worker1', password: 'demo' }),
  });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${server.url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': newKey('dynamo') },
    body: JSON.stringify(reportBody()),
  });
  return res.status;
}

describe('the embedded DynamoDB child process', () => {
  it('dies with its server on kill -9', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gw-dynamo-'));
    dirs.push(dataDir);
    const server = await startChildServer({ DATA_DIR: dataDir, SMS_PRINT: 'false' });
    servers.push(server);
    const dynamoPid = await dynamoPidOf(dataDir);
    expect(dynamoPid).not.toBe(server.process.pid);
    expect(isAlive(dynamoPid)).toBe(true);

    await server.kill9();

    await eventually(async () => (isAlive(dynamoPid) ? undefined : true), 15_000);
  }, 60_000);

  it('a server that finds the previous one alive on its directory kills it and serves', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gw-dynamo-'));
    dirs.push(dataDir);
    // An orphan: a dynalite child on the directory whose server is gone (here: this test holds it).
    const orphan = await startEmbeddedDynamo(join(dataDir, 'dynamodb'), () => undefined);
    const orphanPid = orphan.process.pid ?? 0;
    expect(isAlive(orphanPid)).toBe(true);

    const server = await startChildServer({ DATA_DIR: dataDir, SMS_PRINT: 'false' });
    servers.push(server);

    expect(isAlive(orphanPid)).toBe(false);
    expect(await dynamoPidOf(dataDir)).not.toBe(orphanPid);
    expect(await fileOneReport(server)).toBe(201);
  }, 60_000);
});
