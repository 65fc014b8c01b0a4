/**
 * How the DynamoDB client authenticates its requests: on loopback (the embedded engine, which
 * checks the header's shape and never the signature) a header of the right shape instead of SigV4;
 * anywhere else a real SigV4 signature. Read off the request as it leaves the signing step.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/dynamodb/client.ts';

class Signed extends Error {
  constructor(readonly headers: Record<string, string>) {
    super('signed');
  }
}

async function authorizationFor(endpoint: string): Promise<Record<string, string>> {
  const db = documentClient({ endpoint, region: 'local' });
  db.middlewareStack.addRelativeTo(
    () => async (args: { request?: unknown }) => {
      throw new Signed({ ...(args.request as { headers: Record<string, string> }).headers });
    },
    { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'captureSignedRequest' },
  );
  try {
    await db.send(new GetCommand({ TableName: 'gridwhistle', Key: { PK: 'NODE#451322', SK: 'NODE' } }));
  } catch (error) {
    if (error instanceof Signed) return error.headers;
    throw error;
  } finally {
    db.destroy();
  }
  throw new Error('the request was never signed');
}

describe('the DynamoDB client authenticates', () => {
  it('to the embedded engine on loopback with an AWS4 header of the right shape, not a signature', async () => {
    const headers = await authorizationFor('http://127.0.0.1:8000');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/local\/dynamodb\/aws4_request, SignedHeaders=host;x-amz-date, Signature=0{64}$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('anywhere else with a real SigV4 signature', async () => {
    const headers = await authorizationFor('http://dynamodb.internal.example:8000');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/local\/dynamodb\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers.authorization).not.toMatch(/Signature=0{64}$/);
  });
});
