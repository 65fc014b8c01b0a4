/**
 * PUBLIC_BASE_URL's distribution: the console from a private S3 bucket (origin access control), and
 * the API on the same origin — /api/*, the SMS link page /l and /open311/* go to the HTTP API,
 * so an SMS link opens on the short domain it names and the console calls its own origin. SPA
 * routing is a viewer-request function on the console behaviour only: distribution-wide error
 * pages would turn the API's 403 and 404 answers into index.html. Strict security headers, TLS 1.2+
 * on a custom domain. web/dist is deployed only when it has been built (the console is its own issue).
 */
import { CfnOutput, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { type Bucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { acknowledge, nagResource } from '../constructs/nag.ts';
import { WEB_DIST, webDistExists } from '../constructs/paths.ts';
import { privateBucket } from '../constructs/private-bucket.ts';

/**
 * The console's client-side routes: a path without a file extension is a page of the single-page
 * app, so it gets index.html; files (/assets/x.js) are fetched as they are.
 */
export const SPA_ROUTING_FUNCTION = `function handler(event) {
  var request = event.request;
  if (!/\\.[A-Za-z0-9]+$/.test(request.uri)) request.uri = '/index.html';
  return request;
}`;

/** Paths served by the HTTP API through this distribution (routes.ts: /api/*, the SMS link page /l, /open311/v2/*). */
export const API_PATH_PATTERNS = ['/api/*', '/l', '/open311/*'] as const;

export interface WebStackProps extends StackProps {
  /** The console's own domain (also PUBLIC_BASE_URL's host); CloudFront's default domain when unset. */
  domainName?: string;
  /** ACM certificate for domainName, in us-east-1 (CloudFront's requirement). */
  certificateArn?: string;
  /** The HTTP API's host (`<id>.execute-api.<region>.<suffix>`): the origin of API_PATH_PATTERNS. */
  apiDomainName: string;
  /** Where the console may connect besides itself: the API, Cognito, the photo bucket. */
  connectSources: string[];
  /** Where images may come from besides itself: presigned photo GETs on the photo bucket. */
  imageSources: string[];
  accessLogDays: number;
  /** The built console; defaults to web/dist. */
  webDist?: string;
  /** Written beside the console as /config.json (deploy-time values resolved): how it signs in. */
  consoleConfig: Record<string, unknown>;
}

export class WebStack extends Stack {
  readonly distribution: Distribution;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);

    // CloudFront standard logs are written with ACLs, so this bucket keeps object-writer ownership.
    // (cdk-nag S1 does not ask a log destination to log itself.)
    const logs = privateBucket(this, 'Logs', {
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = privateBucket(this, 'Console', {
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      // Rebuilt from web/ on every deploy: nothing in it is worth keeping.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      // Element Plus and Leaflet set style attributes at run time.
      "style-src 'self' 'unsafe-inline'",
      `img-src 'self' data: blob: ${props.imageSources.join(' ')}`,
      `connect-src 'self' ${props.connectSources.join(' ')}`,
      "font-src 'self' data:",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      'upgrade-insecure-requests',
    ].join('; ');
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'GridWhistle console security headers',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
      },
    });

    // The API answers with its own headers (the link page's CSP names its inline script by hash);
    // the edge adds only what holds for every response.
    const apiHeaders = new ResponseHeadersPolicy(this, 'ApiSecurityHeaders', {
      comment: 'GridWhistle API through CloudFront: HSTS and nosniff; the API sets the rest',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
      },
    });
    const apiBehavior: BehaviorOptions = {
      origin: new HttpOrigin(props.apiDomainName),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // Every answer is per caller (tokens, links): never cached at the edge. API Gateway needs its
      // own Host header, and the managed policy forwards everything else, Authorization included.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: apiHeaders,
    };
    const spaRouting = new CloudFrontFunction(this, 'SpaRouting', {
      comment: 'GridWhistle console: client-side routes get index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(SPA_ROUTING_FUNCTION),
    });

    const certificate = props.certificateArn ? Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn) : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'GridWhistle console and API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [{ function: spaRouting, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, apiBehavior])),
      ...(certificate && props.domainName
        ? { certificate, domainNames: [props.domainName], minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {}),
      httpVersion: HttpVersion.HTTP2_AND_3,
      // North America, Europe and Asia (Hong Kong, Singapore, Japan…): the edges nearest China.
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });

    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction: the console is static files with no data in them; every data request is authorised by Cognito ' +
        'JWTs at the API, and officers and Open311 clients may travel or sit abroad.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'No WAF on the console distribution: it serves only static, public build output; a CloudFront WAF web ACL must live ' +
        'in us-east-1 and costs a fixed monthly fee, so it is an opt-in for deployments that need it.',
    );
    if (!certificate) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose security policy AWS fixes ' +
          '(TLSv1); set consoleDomainName and consoleCertificateArn to get TLSv1.2_2021.',
      );
    }

    const dist = props.webDist ?? WEB_DIST;
    if (webDistExists(dist)) {
      new BucketDeployment(this, 'DeployConsole', {
        // The build, and its settings as /config.json (resolved at deploy time: the client id, the region).
        sources: [Source.asset(dist, { exclude: ['config.json'] }), Source.jsonData('config.json', props.consoleConfig)],
        destinationBucket: this.bucket,
        distribution: this.distribution,
        distributionPaths: ['/*'],
      });
      acknowledgeBucketDeployment(this);
    }

    new CfnOutput(this, 'ConsoleUrl', { value: `https://${props.domainName ?? this.distribution.distributionDomainName}` });
    new CfnOutput(this, 'DistributionDomainName', { value: this.distribution.distributionDomainName });
  }
}

/**
 * BucketDeployment's handler is CDK's own custom resource: its role, managed policy and runtime are
 * chosen by aws-cdk-lib and cannot be narrowed from outside. It runs only during deployments.
 */
function acknowledgeBucketDeployment(stack: WebStack): void {
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) throw new Error('BucketDeployment handler not found: aws-cdk-lib changed its construct id');
  const synthesizer = stack.synthesizer as DefaultStackSynthesizer;
  const qualifier = synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  // 'cdk-${Qualifier}-assets-${AWS::AccountId}-${AWS::Region}', spelled as cdk-nag prints it.
  const assets = DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace(/\$\{([^}]+)\}/g, (_m, name: string) =>
    name === 'Qualifier' ? qualifier : `<${name}>`,
  );
  const why =
    'CDK BucketDeployment custom resource (runs only while deploying web/dist): aws-cdk-lib creates this handler, its role and ' +
    'policy, which copy the asset into the console bucket and invalidate the distribution; they cannot be narrowed from outside.';
  for (const id of [
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'AwsSolutions-IAM5[Action::s3:GetObject*]',
    'AwsSolutions-IAM5[Action::s3:GetBucket*]',
    'AwsSolutions-IAM5[Action::s3:List*]',
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
    'AwsSolutions-IAM5[Action::s3:Abort*]',
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${assets}/*]`,
    `AwsSolutions-IAM5[Resource::${nagResource(stack, stack.bucket.arnForObjects('*'))}]`,
    // cloudfront:CreateInvalidation / GetInvalidation: the handler is not scoped to one distribution.
    'AwsSolutions-IAM5[Resource::*]',
    'AwsSolutions-L1',
  ] as const) {
    acknowledge(handler, id as `AwsSolutions-${string}`, why);
  }
}
