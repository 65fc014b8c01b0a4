/**
 * Same code in Lambda as locally: the REAL entries of infra/lambda-functions.ts, bundled with BUNDLING
 * exactly as NodejsFunction bundles them, loaded from a temp dir where only @aws-sdk resolves, and
 * invoked with API Gateway v2 events, Step Functions task payloads and the importer's asynchronous
 * invocation. DynamoDB is a real dynalite; Secrets Manager, Step Functions, SNS, S3, Lambda and
 * Cognito's JWKS are local stand-ins (support/aws-stand-ins.ts).
 * The table is loaded the way a new deployment's is: by scripts/seed-aws.ts, as a child process.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDirectoryStore } from '#adapters/dynamodb/directory-store.ts';
import type { ApiEvent, ApiResult } from '#handlers/http/http.ts';
import { bundleLambdas, provideAwsSdkOnly, REPO_ROOT } from '../../scripts/bundle-lambdas.ts';
import { apiEvent } from '../support/api-gateway-events.ts';
import { type AwsStandIns, startAwsStandIns, startDynalite } from '../support/aws-stand-ins.ts';
import { gb18030 } from '../support/gb18030.ts';

const TABLE = 'gridwhistle-bundles';
const USER_POOL_ID = 'us-east-1_BundleTst';
const CLIENT_ID = 'bundle-test-console-client';
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:gridwhistle-escalation';
const PUBLIC_BASE_URL = 'https://gw.example.cn';
const FIRST_GRID = '451322201001001';
const IMPORT_BUCKET = 'gridwhistle-imports-bundle-test';
const IMPORTER = 'gridwhistle-importer';
const WAKE_GROUP = 'gridwhistle-wakes';
const WAKE_ROLE_ARN = 'arn:aws:iam::000000000000:role/gridwhistle-wake';
/** The deployment's test phone: scripts/seed-aws.ts puts every demo person on it. */
const OFFICER_PHONE = '+8613900000042';

type HttpHandler = (event: ApiEvent) => Promise<ApiResult>;
// biome-ignore lint/suspicious/noExplicitAny: the step handler answers a decision or { waiting }
type StepHandler = (payload: Record<string, unknown>) => Promise<any>;

let outDir: string;
let dynamo: Awaited<ReturnType<typeof startDynalite>>;
let aws: AwsStandIns;
let savedEnv: NodeJS.ProcessEnv;
let api: HttpHandler;
let open311: HttpHandler;
let steps: StepHandler;
let reconciler: (event: unknown, context: unknown) => Promise<{ open: number; resumed: number; skipped: boolean }>;
let importer: (event: unknown) => Promise<{ importId: string }>;
let workerToken: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'gw-bundles-'));
  const bundles = await bundleLambdas(outDir);
  await provideAwsSdkOnly(outDir);

  dynamo = await startDynalite(TABLE);
  await seedAws(['--table', TABLE, '--phone', OFFICER_PHONE, '--region', 'us-east-1']);
  aws = await startAwsStandIns({ userPoolId: USER_POOL_ID, clientId: CLIENT_ID });

  // What the CDK service stack sets, plus where the local stand-ins listen. The bundles read the
  // environment once, on their first invocation.
  savedEnv = { ...process.env };
  Object.assign(process.env, {
    GW_MODE: 'aws',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBUNDLETEST',
    AWS_SECRET_ACCESS_KEY: 'bundle-test-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    ...aws.env,
    TABLE_NAME: TABLE,
    STATE_MACHINE_ARN,
    LINK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:gridwhistle-link-secret',
    COGNITO_USER_POOL_ID: USER_POOL_ID,
    COGNITO_CLIENT_ID: CLIENT_ID,
    PUBLIC_BASE_URL,
    PHOTO_BUCKET: 'gridwhistle-photos-bundle-test',
    IMPORT_BUCKET: IMPORT_BUCKET,
    IMPORTER_FUNCTION_NAME: IMPORTER,
    WAKE_SCHEDULE_GROUP: WAKE_GROUP,
    WAKE_ROLE_ARN,
  });
  delete process.env.AWS_PROFILE;

  // Node's own require, not vitest's loader: the bundle runs as the Lambda runtime would load it.
  const load = createRequire(import.meta.url);
  api = load(bundles.api!.file).handler;
  open311 = load(bundles.open311!.file).handler;
  steps = load(bundles.escalationSteps!.file).handler;
  reconciler = load(bundles.reconciler!.file).handler;
  importer = load(bundles.importer!.file).handler;

  // Cognito's sub is random; custom:person names the directory person the grid tier assigns.
  workerToken = await aws.idToken({
    sub: '5f0c3c1e-8b2a-4d7e-9a61-3f4b2c1d0e9f',
    'custom:person': 'p-worker-1',
    name: '覃宏',
    'cognito:username': 'worker1',
    'cognito:groups': ['grid_worker'],
    'custom:scope': FIRST_GRID,
  });
});

afterAll(async () => {
  if (savedEnv) process.env = savedEnv;
  await aws?.close();
  await dynamo?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** scripts/seed-aws.ts as an operator runs it, pointed at dynalite by the SDK's endpoint variable. */
function seedAws(args: string[]) {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/seed-aws.ts', ...args], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDSEEDTEST',
      AWS_SECRET_ACCESS_KEY: 'seed-test-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  });
}

describe('a deployment seeded by scripts/seed-aws.ts', () => {
  it('holds the demo tree and people, every person on the test phone, and no local logins', async () => {
    const store = dynamoDirectoryStore(dynamo.db, TABLE);

    const worker = await store.getPerson('p-worker-1');
    const grid = await store.getNode(FIRST_GRID);
    const login = await store.getCredential('worker1');

    expect(grid).toMatchObject({ code: FIRST_GRID, level: 'grid' });
    expect(worker).toMatchObject({ role: 'grid_worker', scope: FIRST_GRID, phone: OFFICER_PHONE });
    expect(login).toBeNull();
  });

  it('refuses a phone that is not E.164 with exit code 2, before writing anything', async () => {
    const run = seedAws(['--table', 'gridwhistle-never-created', '--phone', '13900000042', '--region', 'us-east-1']);

    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('E.164') });
  });
});

let keyCounter = 0;
async function fileReport(title = '大中塘村村道小桥塌陷'): Promise<string> {
  keyCounter++;
  const res = await api(
    apiEvent('POST /api/v1/reports', {
      headers: { authorization: `Bearer ${workerToken}`, 'idempotency-key': `bundle-test-${process.pid}-${keyCounter}` },
      body: { gridCode: FIRST_GRID, category: 'infrastructure', title, description: '村道上的小桥塌陷，影响群众出行。' },
    }),
  );
  expect(res.statusCode, String(res.body)).toBe(201);
  return JSON.parse(String(res.body)).id;
}

const bodyOf = (res: ApiResult) => JSON.parse(String(res.body));

describe('the api bundle', () => {
  it('answers GET /api/health with 200', async () => {
    const res = await api(apiEvent('GET /api/health'));

    expect(res.statusCode).toBe(200);
    expect(bodyOf(res)).toEqual({ status: 'ok' });
  });

  it('files a report for a Cognito ID token and starts the execution named after the report', async () => {
    const before = aws.calls.sfn.length;

    const id = await fileReport();

    const started = aws.calls.sfn.slice(before).filter((c) => c.action === 'StartExecution');
    expect(started).toHaveLength(1);
    expect(started[0]?.input).toMatchObject({ stateMachineArn: STATE_MACHINE_ARN, name: id });
    expect(JSON.parse(started[0]?.input.input)).toEqual({ reportId: id });
  });

  it('reads the report back with GET /api/v1/reports/{id}', async () => {
    const id = await fileReport('养老院下水道堵塞');

    const res = await api(
      apiEvent('GET /api/v1/reports/{id}', { pathParameters: { id }, headers: { authorization: `Bearer ${workerToken}` } }),
    );

    expect(res.statusCode).toBe(200);
    const history = bodyOf(res);
    expect(history.report).toMatchObject({ id, title: '养老院下水道堵塞', status: 'submitted', gridCode: FIRST_GRID });
    expect(history.timeline.map((e: { type: string }) => e.type)).toEqual(['reported']);
  });

  it('lists the people directory of a county admin’s Cognito ID token, seeded by subtree', async () => {
    const adminToken = await aws.idToken({
      sub: '0b7d2c4e-1f3a-4e5b-8c6d-7e8f9a0b1c2d',
      'custom:person': 'p-county-admin',
      name: '覃卫东',
      'cognito:username': 'admin',
      'cognito:groups': ['county_admin'],
      'custom:scope': '451322',
    });

    const res = await api(
      apiEvent('GET /api/v1/people', {
        query: { node: FIRST_GRID.slice(0, 12) },
        headers: { authorization: `Bearer ${adminToken}` },
      }),
    );

    expect(res.statusCode, String(res.body)).toBe(200);
    expect(bodyOf(res).items.map((p: { id: string }) => p.id)).toEqual(['p-village-1', 'p-worker-1', 'p-worker-2', 'p-worker-3']);
  });

  it('refuses a token signed by a key that is not in the pool JWKS with 401', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ token_use: 'id', 'cognito:groups': ['grid_worker'], 'custom:scope': FIRST_GRID, name: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: 'stand-in-key-1' })
      .setSubject('p-worker-1')
      .setIssuer(`${aws.env.COGNITO_ISSUER_BASE_URL}/${USER_POOL_ID}`)
      .setAudience(CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

    const res = await api(apiEvent('GET /api/v1/categories', { headers: { authorization: `Bearer ${forged}` } }));

    expect(res.statusCode).toBe(401);
    expect(bodyOf(res).error.code).toBe('AUTH.INVALID_TOKEN');
  });

  it('serves the one-tap page an SMS link opens (CloudFront forwards /l to it)', async () => {
    const res = await api(apiEvent('GET /l'));

    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toContain('text/html');
    expect(String(res.body)).toContain("fetch('/api/v1/link'");
  });

  it('answers a route it does not serve with a 404 JSON error', async () => {
    const res = await api(apiEvent('GET /open311/v2/{file}', { pathParameters: { file: 'services.json' } }));

    expect(res.statusCode).toBe(404);
    expect(res.headers?.['content-type']).toMatch(/^application\/json/);
    expect(bodyOf(res)).toEqual({ error: { code: 'ROUTE.NOT_FOUND', message: 'no route for GET /open311/v2/{file}' } });
  });

  it.each([
    ['malformed JSON', '{"gridCode":', 'REQUEST.MALFORMED_JSON'],
    ['a body off the schema', JSON.stringify({ gridCode: FIRST_GRID, title: 42, role: 'county_admin' }), 'REQUEST.INVALID'],
  ])('answers %s with a 400 JSON error and no stack', async (_what, body, code) => {
    const res = await api(
      apiEvent('POST /api/v1/reports', {
        headers: { authorization: `Bearer ${workerToken}`, 'idempotency-key': 'bundle-test-bad-body', 'content-type': 'application/json' },
        body,
      }),
    );

    expect(res.statusCode).toBe(400);
    const error = bodyOf(res).error;
    expect(error.code).toBe(code);
    expect(Object.keys(error).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
    expect(String(res.body)).not.toMatch(/stack|\bat .+:\d+:\d+|index\.js/);
  });
});

describe('the escalation-steps bundle', () => {
  it('advances: assigns and notifies in one invocation, one SNS SMS of at most 70 characters with a link on PUBLIC_BASE_URL', async () => {
    const reportId = await fileReport('村口路灯倒伏');
    const smsBefore = aws.calls.sns.length;

    const advanced = await steps({ step: 'advance', reportId, state: {} });

    expect(advanced).toMatchObject({ next: 'await', phase: 'accept', tierSeq: 1 });
    expect(advanced.waitSeconds).toBeGreaterThan(0);
    const published = aws.calls.sns.slice(smsBefore);
    expect(published).toHaveLength(1);
    const sms = published[0]?.input;
    expect(sms).toMatchObject({ Action: 'Publish', PhoneNumber: OFFICER_PHONE });
    expect(sms.Message.length).toBeLessThanOrEqual(70);
    expect(sms.Message).toMatch(new RegExp(`${PUBLIC_BASE_URL.replaceAll('.', '\\.')}/l#[A-Za-z0-9_-]{16}$`));
  });

  it('cycles: parks its own task token with a one-time wake-up, and an accept through the api bundle wakes it with SendTaskSuccess', async () => {
    const reportId = await fileReport('河堤护栏损坏');
    const taskToken = `token-${reportId}`;
    const schedulesBefore = aws.calls.scheduler.length;

    const parked = await steps({ step: 'cycle', reportId, taskToken, execution: reportId, startedAt: new Date().toISOString() });
    const retried = await steps({ step: 'cycle', reportId, taskToken, execution: reportId, startedAt: new Date().toISOString() });
    const accepted = await api(
      apiEvent('POST /api/v1/reports/{id}/actions', {
        pathParameters: { id: reportId },
        headers: { authorization: `Bearer ${workerToken}` },
        body: { action: 'accept', note: '已到现场' },
      }),
    );

    expect(parked).toEqual({ parked: true, wakeAt: expect.any(String) });
    expect(Date.parse(parked.wakeAt)).toBeGreaterThan(Date.now());
    const created = aws.calls.scheduler.slice(schedulesBefore).filter((c) => c.action === 'CreateSchedule');
    // The retried step asks again under the same name and is told it exists: one schedule.
    expect(retried.parked).toBe(true);
    expect(created).toHaveLength(2);
    expect(created[0]?.input).toMatchObject({
      Name: created[1]?.input.Name,
      GroupName: WAKE_GROUP,
      ScheduleExpression: `at(${parked.wakeAt.slice(0, 19)})`,
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: 'arn:aws:scheduler:::aws-sdk:sfn:sendTaskSuccess', RoleArn: WAKE_ROLE_ARN },
    });
    expect(JSON.parse(created[0]?.input.Target.Input)).toEqual({ TaskToken: taskToken, Output: '{"next":"advance"}' });
    expect(String(created[0]?.input.Name)).toMatch(/^wake-[0-9a-f]{48}$/);
    expect(accepted.statusCode, String(accepted.body)).toBe(200);
    expect(bodyOf(accepted)).toMatchObject({ status: 'accepted', tier: 'grid' });
    const woken = aws.calls.sfn.filter((c) => c.action === 'SendTaskSuccess' && c.input.taskToken === taskToken);
    expect(woken.map((c) => c.input.output)).toEqual(['{"next":"advance"}']);
  });

  it('fails a step for an unknown report with the same error name as locally', async () => {
    const missing = steps({ step: 'load', reportId: 'r-does-not-exist-000000' });

    // Step Functions sees error.name as the Lambda error type, so minification must not rename it.
    await expect(missing).rejects.toMatchObject({ name: 'NotFoundError', code: 'REPORT.NOT_FOUND' });
  });
});

describe('the open311 bundle', () => {
  it.each([
    ['services.json', /^application\/json/],
    ['services.xml', /^(application|text)\/xml/],
  ])('answers GET /open311/v2/%s with 200', async (file, contentType) => {
    const res = await open311(apiEvent('GET /open311/v2/{file}', { pathParameters: { file } }));

    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toMatch(contentType);
    expect(String(res.body)).toContain('infrastructure');
  });

  it('names its endpoint on PUBLIC_BASE_URL in discovery, whatever Host the client sent, without the link secret', async () => {
    const res = await open311(
      apiEvent('GET /open311/v2/{file}', { pathParameters: { file: 'discovery.json' }, headers: { host: 'evil.example' } }),
    );

    expect(res.statusCode).toBe(200);
    expect(JSON.parse(String(res.body)).endpoints[0].url).toBe(`${PUBLIC_BASE_URL}/open311/v2`);
  });

  it('answers an api route with a 404 JSON error', async () => {
    const res = await open311(apiEvent('GET /api/health'));

    expect(res.statusCode).toBe(404);
    expect(bodyOf(res).error.code).toBe('ROUTE.NOT_FOUND');
  });
});

describe('the api and importer bundles', () => {
  it('take a GB18030 CSV: the api stores it in S3 and invokes the importer, which applies it off the request', async () => {
    // Prepare: a county admin (Cognito) and a new village of the demo township, as Excel on Chinese Windows saves it
    const admin = await aws.idToken({
      sub: '0b8e7f0c-3b0e-4c55-9d5e-7a1f3f0c2a11',
      'custom:person': 'p-county-admin',
      name: '覃卫东',
      'cognito:username': 'admin',
      'cognito:groups': ['county_admin'],
      'custom:scope': '451322',
    });
    const csv = gb18030(
      [
        'code,name,level,parent_code,officer_name,officer_phone,officer_title',
        '451322201009,新村,村,451322201,韦国华,13977200001,村党支部书记',
      ].join('\r\n'),
    );

    // Act: octet-stream, as API Gateway passes it on byte for byte (base64-encoded)
    const started = await api({
      ...apiEvent('POST /api/v1/imports', {
        query: { dryRun: 'false' },
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/octet-stream' },
      }),
      body: csv.toString('base64'),
      isBase64Encoded: true,
    });
    const id = bodyOf(started).id as string;
    const invoked = aws.calls.lambda.at(-1);
    await importer(invoked?.input.payload);
    const read = await api(apiEvent('GET /api/v1/imports/{id}', { pathParameters: { id }, headers: { authorization: `Bearer ${admin}` } }));

    // Assess
    expect(started.statusCode, String(started.body)).toBe(202);
    expect(aws.objects.get(`${IMPORT_BUCKET}/imports/${id}.csv`)?.equals(csv)).toBe(true);
    expect(invoked?.input).toEqual({ functionName: IMPORTER, invocationType: 'Event', payload: { importId: id } });
    expect(bodyOf(read)).toMatchObject({ status: 'done', encoding: 'gb18030', total: 1, created: 1, errors: [] });
    expect(await dynamoDirectoryStore(dynamo.db, TABLE).getNode('451322201009')).toMatchObject({ name: '新村', version: 1 });
  });
});

describe('the reconciler bundle', () => {
  /** As if filed an hour ago: the reconciler leaves younger reports to the request filing them. */
  async function fileOldReport(title: string): Promise<string> {
    const id = await fileReport(title);
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    await dynamo.db.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { PK: `REPORT#${id}`, SK: '#REPORT' },
        UpdateExpression: 'SET createdAt = :t',
        ExpressionAttributeValues: { ':t': anHourAgo },
      }),
    );
    return id;
  }

  it('resumes open reports whose execution is not running, and leaves running and just-filed ones alone', async () => {
    const stopped = await fileOldReport('执行已停止的案件');
    const running = await fileOldReport('执行仍在运行的案件');
    const justFiled = await fileReport('刚刚上报、执行正在启动的案件');
    aws.running.add(running);
    const before = aws.calls.sfn.length;

    const outcome = await reconciler({}, { awsRequestId: 'run-1', getRemainingTimeInMillis: () => 300_000 });

    const resumedNames = aws.calls.sfn
      .slice(before)
      .filter((c) => c.action === 'StartExecution')
      .map((c) => String(c.input.name));
    expect(resumedNames.some((n) => n.startsWith(`${stopped}-resume-`))).toBe(true);
    expect(resumedNames.some((n) => n.startsWith(`${running}-resume-`))).toBe(false);
    expect(resumedNames.some((n) => n.startsWith(`${justFiled}-resume-`))).toBe(false);
    expect(outcome.resumed).toBe(resumedNames.length);
    expect(outcome.resumed).toBeGreaterThanOrEqual(1);
  });

  it('does nothing while another run holds the reconciler lease, and takes it once that run is over', async () => {
    const stopped = await fileOldReport('另一轮对账进行中时停止的案件');
    const otherRun = new Date(Date.now() + 300_000).toISOString();
    await dynamo.db.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { PK: 'LEASE#reconciler', SK: 'LEASE' },
        UpdateExpression: 'SET holder = :h, expiresAt = :until',
        ExpressionAttributeValues: { ':h': 'run-elsewhere', ':until': otherRun },
      }),
    );
    const before = aws.calls.sfn.length;

    const overlapping = await reconciler({}, { awsRequestId: 'run-2', getRemainingTimeInMillis: () => 300_000 });
    const startsWhileHeld = aws.calls.sfn.slice(before).filter((c) => c.action === 'StartExecution');
    await dynamo.db.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { PK: 'LEASE#reconciler', SK: 'LEASE' },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1).toISOString() },
      }),
    );
    const next = await reconciler({}, { awsRequestId: 'run-3', getRemainingTimeInMillis: () => 300_000 });

    expect(overlapping).toMatchObject({ skipped: true, resumed: 0 });
    expect(startsWhileHeld).toEqual([]);
    expect(next.skipped).toBe(false);
    const resumedNames = aws.calls.sfn.filter((c) => c.action === 'StartExecution').map((c) => String(c.input.name));
    expect(resumedNames.some((n) => n.startsWith(`${stopped}-resume-`))).toBe(true);
  });
});
