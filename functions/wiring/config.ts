/** The only reader of the environment: validated once at start-up, failing fast with a clear message. */
import * as z from 'zod';

const schema = z.object({
  GW_MODE: z.enum(['local', 'aws']).default('local'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().min(1).default('.data'),
  TIME_SCALE: z.coerce.number().positive().max(10_000_000).default(1),
  /**
   * Local only: run the clock this many seconds ahead of the system clock. A restart with an offset
   * is "the machine was down this long" without waiting for it (crash tests, demos of overdue work).
   */
  GW_CLOCK_OFFSET_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(366 * 86_400)
    .default(0),
  GW_DEMO_PASSWORD: z.string().min(1).default('demo'),
  /** Local only: the Open311 api_key seeded for worker1 (only its SHA-256 is stored). */
  GW_DEMO_OPEN311_KEY: z.string().min(8).max(256).default('demo-open311-worker1-key'),
  TABLE_NAME: z.string().min(3).default('gridwhistle'),
  AWS_REGION: z.string().default('ap-southeast-1'),
  STATE_MACHINE_ARN: z.string().optional(),
  TOKEN_ISSUER: z.string().default('gridwhistle-local'),
  TOKEN_AUDIENCE: z.string().default('gridwhistle'),
  /** Access tokens are short-lived; clients renew them with the rotating refresh token. */
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  REFRESH_TTL_SECONDS: z.coerce.number().int().min(300).max(7_776_000).default(2_592_000),
  SMS_SENDER_ID: z.string().optional(),
  /**
   * Where SMS action links point (https://… in production); locally the server's own address. At
   * most 24 characters: the link, the name and the title must share one 70-character SMS.
   */
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .max(24)
    .optional(),
  /** AWS: the Cognito user pool and console app client whose ID tokens the API accepts. */
  COGNITO_USER_POOL_ID: z.string().optional(),
  COGNITO_CLIENT_ID: z.string().optional(),
  /**
   * Tests and emulators only: serves the Cognito issuer (and its JWKS) from here instead of
   * https://cognito-idp.<region>.amazonaws.com. Never set on a deployment.
   */
  COGNITO_ISSUER_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** AWS: the Secrets Manager secret that signs SMS action links (locally a file under DATA_DIR). */
  LINK_SECRET_ARN: z.string().optional(),
  /**
   * The console's map tiles, e.g. https://tiles.example.cn/{z}/{x}/{y}.png. Unset: the map draws
   * boundaries and markers on a plain background, which works offline with no tile server.
   */
  GW_MAP_TILE_URL: z.url({ protocol: /^https?$/ }).optional(),
  GW_MAP_TILE_ATTRIBUTION: z.string().max(200).optional(),
  /** Local only: print each SMS to stdout as it lands in the outbox. */
  SMS_PRINT: z.enum(['true', 'false']).default('true'),
  /** S3 bucket for photo bytes; required on AWS. Unset locally: photos are files under DATA_DIR/photos. */
  PHOTO_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name')
    .optional(),
  /** AWS: the private bucket that keeps uploaded import files (imports/<id>.csv) until the job has read them. */
  IMPORT_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name')
    .optional(),
  /** AWS: the function that runs import jobs, invoked asynchronously by the api function. */
  IMPORTER_FUNCTION_NAME: z.string().min(1).max(140).optional(),
  /** AWS, the steps function: the EventBridge Scheduler group of the escalation's one-time wake-ups, and the role they act with. */
  WAKE_SCHEDULE_GROUP: z.string().min(1).max(64).optional(),
  WAKE_ROLE_ARN: z.string().startsWith('arn:').optional(),
});

export type Config = z.infer<typeof schema>;

/** A setting that one deployment shape needs: missing it is a deployment error, said plainly. */
export function required<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined || value === null || value === '') throw new Error(`invalid configuration: ${String(key)} is required here`);
  return value as NonNullable<Config[K]>;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}
