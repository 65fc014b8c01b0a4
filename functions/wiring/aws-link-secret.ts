/**
 * The HMAC key of the SMS action links, read once per container from Secrets Manager
 * (LINK_SECRET_ARN). Its own module so that only the bundles that sign or check links load
 * @aws-sdk/client-secrets-manager (see wiring/aws.ts).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type Config, required } from './config.ts';

export async function secretsManagerLinkSecret(config: Config): Promise<Uint8Array> {
  const client = new SecretsManagerClient({ region: config.AWS_REGION });
  const out = await client.send(new GetSecretValueCommand({ SecretId: required(config, 'LINK_SECRET_ARN') }));
  if (!out.SecretString || out.SecretString.length < 32) throw new Error('the link-signing secret is missing or too short');
  return Buffer.from(out.SecretString, 'utf8');
}
