/**
 * Local stand-ins for what a Lambda bundle talks to on AWS, so the bundles run unmodified:
 * DynamoDB is a real dynalite; Secrets Manager, Step Functions, SNS, S3 and Lambda are tiny HTTP servers that
 * answer their wire protocols minimally and record every call; Cognito is a JWKS plus a key that
 * signs Cognito-shaped ID tokens. The bundles find them through the SDK's service-specific endpoint
 * variables (AWS_ENDPOINT_URL_<SERVICE ID>) and COGNITO_ISSUER_BASE_URL.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { documentClient } from '#adapters/dynamodb/client.ts';
import { createTableInput } from '#adapters/dynamodb/table.ts';
import dynalite from '#local/atomic-dynalite.ts';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse, bytes: Buffer) => void;

async function listen(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      handler(req, bytes.toString('utf8'), res, bytes);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

function awsJson(res: ServerResponse, version: '1.0' | '1.1', status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify(body));
}

/** A real DynamoDB wire protocol on a free port, in a temp dir, with the product's table created. */
export async function startDynalite(
  tableName: string,
): Promise<{ endpoint: string; db: DynamoDBDocumentClient; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-dynalite-'));
  const server = dynalite({ path: dir, createTableMs: 0 });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const db = documentClient({ endpoint, region: 'local' });
  await (db as unknown as DynamoDBClient).send(new CreateTableCommand(createTableInput(tableName)));
  return {
    endpoint,
    db,
    stop: async () => {
      db.destroy();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface RecordedCall {
  action: string;
  // biome-ignore lint/suspicious/noExplicitAny: a recorded wire request, read by assertions
  input: any;
}

export interface AwsStandIns {
  /** Endpoint variables for the bundles (and COGNITO_ISSUER_BASE_URL). */
  env: Record<string, string>;
  /** The secret GetSecretValue answers with. */
  linkSecret: string;
  calls: {
    secretsManager: RecordedCall[];
    sfn: RecordedCall[];
    scheduler: RecordedCall[];
    sns: RecordedCall[];
    s3: RecordedCall[];
    lambda: RecordedCall[];
    jwks: number;
  };
  /** What the S3 stand-in holds, by `<bucket>/<key>`. */
  objects: Map<string, Buffer>;
  /** Execution names ListExecutions reports as RUNNING. */
  running: Set<string>;
  /** A Cognito ID token for the pool and client, signed by the key the JWKS publishes. */
  idToken: (claims: Record<string, unknown>) => Promise<string>;
  close: () => Promise<void>;
}

export async function startAwsStandIns(options: { userPoolId: string; clientId: string }): Promise<AwsStandIns> {
  const calls: AwsStandIns['calls'] = { secretsManager: [], sfn: [], scheduler: [], sns: [], s3: [], lambda: [], jwks: 0 };
  const objects = new Map<string, Buffer>();
  const linkSecret = 'stand-in-link-secret-'.padEnd(64, 'x');
  const running = new Set<string>();

  // Secrets Manager speaks AWS JSON 1.1; the operation is in X-Amz-Target.
  const secrets = await listen((req, body, res) => {
    const action = String(req.headers['x-amz-target'] ?? '').replace('secretsmanager.', '');
    const input = JSON.parse(body || '{}');
    calls.secretsManager.push({ action, input });
    if (action !== 'GetSecretValue') return awsJson(res, '1.1', 400, { __type: 'InvalidRequestException', message: action });
    awsJson(res, '1.1', 200, { ARN: input.SecretId, Name: 'link-secret', SecretString: linkSecret, VersionId: randomUUID() });
  });

  // Step Functions speaks AWS JSON 1.0.
  const sfn = await listen((req, body, res) => {
    const action = String(req.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
    const input = JSON.parse(body || '{}');
    calls.sfn.push({ action, input });
    if (action === 'StartExecution') {
      const executionArn = `${String(input.stateMachineArn).replace(':stateMachine:', ':execution:')}:${input.name}`;
      return awsJson(res, '1.0', 200, { executionArn, startDate: Date.now() / 1000 });
    }
    if (action === 'SendTaskSuccess') return awsJson(res, '1.0', 200, {});
    if (action === 'ListExecutions') {
      const executions = [...running].map((name) => ({
        executionArn: `${String(input.stateMachineArn).replace(':stateMachine:', ':execution:')}:${name}`,
        stateMachineArn: input.stateMachineArn,
        name,
        status: 'RUNNING',
        startDate: Date.now() / 1000,
      }));
      return awsJson(res, '1.0', 200, { executions });
    }
    awsJson(res, '1.0', 400, { __type: 'InvalidAction', message: action });
  });

  // EventBridge Scheduler speaks REST-JSON: POST /schedules/<name> creates, DELETE removes; a name taken is 409.
  const schedules = new Set<string>();
  const scheduler = await listen((req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const name = decodeURIComponent(url.pathname.replace(/^\/schedules\//, ''));
    const input = {
      Name: name,
      ...JSON.parse(body || '{}'),
      ...(url.searchParams.get('groupName') ? { GroupName: url.searchParams.get('groupName') } : {}),
    };
    const action = req.method === 'POST' ? 'CreateSchedule' : req.method === 'DELETE' ? 'DeleteSchedule' : String(req.method);
    calls.scheduler.push({ action, input });
    const error = (status: number, type: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type }).end(JSON.stringify({ Message: type }));
    };
    if (action === 'CreateSchedule') {
      if (schedules.has(name)) return error(409, 'ConflictException');
      schedules.add(name);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ScheduleArn: `arn:aws:scheduler:::schedule/${name}` }));
      return;
    }
    if (action === 'DeleteSchedule') {
      if (!schedules.delete(name)) return error(404, 'ResourceNotFoundException');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    error(400, 'ValidationException');
  });

  // SNS speaks the query protocol: a form-encoded request, an XML answer.
  const sns = await listen((_req, body, res) => {
    const form = Object.fromEntries(new URLSearchParams(body));
    calls.sns.push({ action: form.Action ?? '', input: form });
    const messageId = randomUUID();
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  });

  // S3, path style (the SDK addresses an IP endpoint by path): PutObject and GetObject, in memory.
  const s3 = await listen((req, _body, res, bytes) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/').slice(1);
    calls.s3.push({ action: `${req.method} Object`, input: { path, bytes: bytes.length } });
    if (req.method === 'PUT') {
      objects.set(path, bytes);
      res.writeHead(200, { etag: `"${randomUUID()}"` }).end();
      return;
    }
    const object = objects.get(path);
    if (req.method !== 'GET' || !object) {
      res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code></Error>');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(object.length) }).end(object);
  });

  // Lambda's Invoke: REST-JSON, POST /2015-03-31/functions/<name>/invocations; an Event invocation is answered 202.
  const lambda = await listen((req, body, res) => {
    const name = decodeURIComponent(/\/functions\/([^/]+)\/invocations/.exec(req.url ?? '')?.[1] ?? '');
    calls.lambda.push({
      action: 'Invoke',
      input: { functionName: name, invocationType: req.headers['x-amz-invocation-type'], payload: JSON.parse(body || 'null') },
    });
    res.writeHead(req.headers['x-amz-invocation-type'] === 'Event' ? 202 : 200, { 'content-type': 'application/json' }).end('');
  });

  // Cognito: the pool's JWKS at <issuer>/.well-known/jwks.json.
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = 'stand-in-key-1';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const cognito = await listen((req, _body, res) => {
    if (req.url !== `/${options.userPoolId}/.well-known/jwks.json`) {
      res.writeHead(404).end();
      return;
    }
    calls.jwks++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  const issuer = `${cognito.url}/${options.userPoolId}`;

  return {
    env: {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_ENDPOINT_URL_SFN: sfn.url,
      AWS_ENDPOINT_URL_SCHEDULER: scheduler.url,
      AWS_ENDPOINT_URL_SNS: sns.url,
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      COGNITO_ISSUER_BASE_URL: cognito.url,
    },
    linkSecret,
    calls,
    objects,
    running,
    idToken: (claims) =>
      new SignJWT({ token_use: 'id', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(issuer)
        .setAudience(options.clientId)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey),
    close: async () => {
      await Promise.all([secrets.close(), sfn.close(), scheduler.close(), sns.close(), s3.close(), lambda.close(), cognito.close()]);
    },
  };
}
