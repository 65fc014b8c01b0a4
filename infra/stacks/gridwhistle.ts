/**
 * The whole deployment: four stacks split by lifecycle, wired by cross-stack references, with the
 * settings a deployment chooses (cdk.json context, overridden by environment variables).
 *
 *   Data (retained) ─┐
 *   Auth (retained) ─┼─▶ Service (stateless) ─▶ Web (console; its CSP names the API and the buckets)
 */
import { type App, Aws, type Environment, Tags } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AuthStack } from './auth-stack.ts';
import { DataStack } from './data-stack.ts';
import { ServiceStack } from './service-stack.ts';
import { WebStack } from './web-stack.ts';

export interface DeploySettings {
  env: Environment;
  /** Stack names are `<prefix>-Data` …; a second prefix deploys a second copy (staging) in one account. */
  stackPrefix: string;
  /** PUBLIC_BASE_URL: https, ≤ 24 characters (an SMS link must fit one 70-character SMS); the console's domain. */
  publicBaseUrl: string;
  /** More console origins for CORS and OAuth callbacks (e.g. http://localhost:5173 while developing). */
  extraConsoleOrigins: string[];
  /** ACM certificate (us-east-1) for PUBLIC_BASE_URL's host; without it the console has a *.cloudfront.net name. */
  consoleCertificateArn?: string;
  cognitoDomainPrefix?: string;
  /** Map tiles for the console (https://…/{z}/{x}/{y}.png); unset: boundaries on a plain background. */
  mapTileUrl?: string;
  mapTileAttribution?: string;
  smsSenderId?: string;
  smsMonthlySpendLimitUsd: number;
  manageSmsAccountSettings: boolean;
  alarmEmail?: string;
  logRetentionDays: number;
  apiRateLimit: number;
  apiBurstLimit: number;
}

type Source = Record<string, unknown>;

/** One setting: the environment variable wins over the context key (cdk.json or `-c key=value`). */
function setting(app: App, env: Source, key: string, envName: string): string | undefined {
  const fromEnv = env[envName];
  if (typeof fromEnv === 'string' && fromEnv !== '') return fromEnv;
  const fromContext = app.node.tryGetContext(key);
  if (fromContext === undefined || fromContext === null || fromContext === '') return undefined;
  return String(fromContext);
}

function numberSetting(app: App, env: Source, key: string, envName: string, fallback: number): number {
  const raw = setting(app, env, key, envName);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`invalid deploy setting ${key}: ${raw} is not a non-negative number`);
  return value;
}

const RETENTIONS = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');

export function readSettings(app: App, env: Source = process.env): DeploySettings {
  const publicBaseUrl = setting(app, env, 'publicBaseUrl', 'PUBLIC_BASE_URL');
  if (!publicBaseUrl) throw new Error('deploy setting publicBaseUrl (or PUBLIC_BASE_URL) is required');
  const url = new URL(publicBaseUrl);
  if (url.protocol !== 'https:' || publicBaseUrl.length > 24 || url.pathname !== '/' || publicBaseUrl.endsWith('/')) {
    throw new Error(`PUBLIC_BASE_URL must be https://<host> without a path or trailing slash, at most 24 characters: ${publicBaseUrl}`);
  }
  const logRetentionDays = numberSetting(app, env, 'logRetentionDays', 'GW_LOG_RETENTION_DAYS', 180);
  if (!RETENTIONS.includes(logRetentionDays))
    throw new Error(`logRetentionDays must be one of CloudWatch's values: ${RETENTIONS.join(', ')}`);
  const region = setting(app, env, 'region', 'CDK_DEFAULT_REGION');
  const account = env.CDK_DEFAULT_ACCOUNT;
  return {
    // Env-agnostic unless known: synth needs no credentials and makes no lookups.
    env: { ...(typeof account === 'string' && account ? { account } : {}), ...(region ? { region } : {}) },
    stackPrefix: setting(app, env, 'stackPrefix', 'GW_STACK_PREFIX') ?? 'GridWhistle',
    publicBaseUrl,
    extraConsoleOrigins: (setting(app, env, 'extraConsoleOrigins', 'GW_EXTRA_CONSOLE_ORIGINS') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => new URL(s).origin),
    consoleCertificateArn: setting(app, env, 'consoleCertificateArn', 'GW_CONSOLE_CERTIFICATE_ARN'),
    cognitoDomainPrefix: setting(app, env, 'cognitoDomainPrefix', 'GW_COGNITO_DOMAIN_PREFIX'),
    mapTileUrl: setting(app, env, 'mapTileUrl', 'GW_MAP_TILE_URL'),
    mapTileAttribution: setting(app, env, 'mapTileAttribution', 'GW_MAP_TILE_ATTRIBUTION'),
    smsSenderId: setting(app, env, 'smsSenderId', 'SMS_SENDER_ID'),
    smsMonthlySpendLimitUsd: numberSetting(app, env, 'smsMonthlySpendLimitUsd', 'SMS_MONTHLY_SPEND_LIMIT_USD', 1),
    manageSmsAccountSettings: setting(app, env, 'manageSmsAccountSettings', 'GW_MANAGE_SMS_ACCOUNT_SETTINGS') !== 'false',
    alarmEmail: setting(app, env, 'alarmEmail', 'GW_ALARM_EMAIL'),
    logRetentionDays,
    apiRateLimit: numberSetting(app, env, 'apiRateLimit', 'GW_API_RATE_LIMIT', 100),
    apiBurstLimit: numberSetting(app, env, 'apiBurstLimit', 'GW_API_BURST_LIMIT', 200),
  };
}

export interface GridWhistleStacks {
  data: DataStack;
  auth: AuthStack;
  service: ServiceStack;
  web: WebStack;
}

export function buildGridWhistle(app: App, settings: DeploySettings, opts: { webDist?: string } = {}): GridWhistleStacks {
  const { env, stackPrefix: prefix } = settings;
  const consoleOrigins = [new URL(settings.publicBaseUrl).origin, ...settings.extraConsoleOrigins];
  // Six months at least: China's Cybersecurity Law (art. 21) asks network logs to be kept that long.
  const logRetention = settings.logRetentionDays as RetentionDays;
  const accessLogDays = Math.max(settings.logRetentionDays, 180);

  const data = new DataStack(app, `${prefix}-Data`, {
    env,
    description: 'GridWhistle data: DynamoDB table, photo bucket, SMS link secret (retained)',
    terminationProtection: true,
    stackPrefix: prefix,
    corsOrigins: consoleOrigins,
    accessLogDays,
  });
  const auth = new AuthStack(app, `${prefix}-Auth`, {
    env,
    description: 'GridWhistle identity: Cognito user pool, role groups, console client (retained)',
    terminationProtection: true,
    consoleOrigins,
    domainPrefix: settings.cognitoDomainPrefix,
  });
  const service = new ServiceStack(app, `${prefix}-Service`, {
    env,
    description: 'GridWhistle service: Lambda functions, HTTP API, escalation state machine, reconciler, alarms',
    table: data.table,
    stackPrefix: prefix,
    linkSecret: data.linkSecret,
    userPool: auth.userPool,
    userPoolClient: auth.consoleClient,
    publicBaseUrl: settings.publicBaseUrl,
    corsOrigins: consoleOrigins,
    sms: {
      senderId: settings.smsSenderId,
      monthlySpendLimitUsd: settings.smsMonthlySpendLimitUsd,
      manageAccountSettings: settings.manageSmsAccountSettings,
    },
    alarmEmail: settings.alarmEmail,
    logRetention,
    apiThrottle: { rateLimit: settings.apiRateLimit, burstLimit: settings.apiBurstLimit },
  });
  const photoHost = `https://${data.photoBucket.bucketRegionalDomainName}`;
  // What the deployed console reads at /config.json (web/src/config.ts): Cognito's hosted sign-in
  // with PKCE on the console client, and the map tiles. Without a sign-in domain it cannot sign in.
  const consoleOrigin = new URL(settings.publicBaseUrl).origin;
  const consoleConfig = {
    auth: settings.cognitoDomainPrefix
      ? {
          kind: 'cognito',
          domain: `${settings.cognitoDomainPrefix}.auth.${Aws.REGION}.amazoncognito.com`,
          clientId: auth.consoleClient.userPoolClientId,
          region: Aws.REGION,
          redirectUri: `${consoleOrigin}/auth/callback`,
          logoutUri: `${consoleOrigin}/`,
          scopes: ['openid', 'email', 'phone', 'profile'],
        }
      : { kind: 'none', reason: 'set cognitoDomainPrefix (GW_COGNITO_DOMAIN_PREFIX) to sign in to the console' },
    ...(settings.mapTileUrl ? { tileUrl: settings.mapTileUrl, tileAttribution: settings.mapTileAttribution ?? '' } : {}),
  };
  const web = new WebStack(app, `${prefix}-Web`, {
    consoleConfig,
    env,
    description: 'GridWhistle console and API on PUBLIC_BASE_URL: S3 + CloudFront',
    apiDomainName: `${service.httpApi.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`,
    ...(settings.consoleCertificateArn
      ? { domainName: new URL(settings.publicBaseUrl).hostname, certificateArn: settings.consoleCertificateArn }
      : {}),
    connectSources: [
      service.httpApi.apiEndpoint,
      `https://cognito-idp.${Aws.REGION}.amazonaws.com`,
      ...(settings.cognitoDomainPrefix ? [`https://${settings.cognitoDomainPrefix}.auth.${Aws.REGION}.amazoncognito.com`] : []),
      photoHost,
    ],
    imageSources: [photoHost],
    accessLogDays,
    webDist: opts.webDist,
  });

  Tags.of(app).add('project', 'gridwhistle');
  return { data, auth, service, web };
}
