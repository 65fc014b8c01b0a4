/**
 * PUBLIC_BASE_URL: the console from a private bucket behind CloudFront with origin access control,
 * SPA routing, security headers and logging, and the API on the same origin; web/dist deployed
 * only when it exists.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#handlers/http/routes.ts';
import { API_PATH_PATTERNS, SPA_ROUTING_FUNCTION } from '../../infra/stacks/web-stack.ts';
import { buildTestApp, logicalId, PRIVATE_ENCRYPTED_BUCKET, type Synth } from './support.ts';

const NO_DIST = join(tmpdir(), 'gridwhistle-no-web-dist');

let synth: Synth;
let web: Template;

beforeAll(() => {
  synth = buildTestApp({ webDist: NO_DIST });
  web = Template.fromStack(synth.stacks.web);
});

describe('the console distribution', () => {
  it('reads a private, encrypted, logged bucket through origin access control', () => {
    web.hasResourceProperties('AWS::S3::Bucket', {
      ...PRIVATE_ENCRYPTED_BUCKET,
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
    });
    web.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: Match.arrayWith([
          Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } }),
        ]),
      }),
    });
  });

  it('routes client-side paths to index.html on the console behaviour only, never with error pages', () => {
    // Prepare
    const config = new Capture();
    web.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: config });
    const distribution = config.asObject() as {
      CustomErrorResponses?: unknown;
      DefaultCacheBehavior: { FunctionAssociations: { EventType: string; FunctionARN: { 'Fn::GetAtt': [string, string] } }[] };
    };
    const [association] = distribution.DefaultCacheBehavior.FunctionAssociations;
    const fn = web.toJSON().Resources[association?.FunctionARN['Fn::GetAtt'][0] ?? ''].Properties as { FunctionCode: string };

    // Act: the function's own code, run on the requests CloudFront would hand it.
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    const rewrite = (uri: string) => handler({ request: { uri } }).uri;

    // Assess: distribution-wide error pages would turn the API's 403/404 into index.html.
    expect(distribution.CustomErrorResponses).toBeUndefined();
    expect(association?.EventType).toBe('viewer-request');
    expect(fn.FunctionCode).toBe(SPA_ROUTING_FUNCTION);
    expect(rewrite('/')).toBe('/index.html');
    expect(rewrite('/reports/R3B883158802D6AC')).toBe('/index.html');
    expect(rewrite('/assets/index-4f2a.js')).toBe('/assets/index-4f2a.js');
    expect(rewrite('/favicon.ico')).toBe('/favicon.ico');
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', ResponseHeadersPolicyId: Match.anyValue() }),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
  });

  it("sends /api/*, the SMS link page /l and /open311/* to the HTTP API, uncached, with the caller's headers", () => {
    // Prepare
    const config = new Capture();
    web.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: config });
    const distribution = config.asObject() as {
      Origins: { Id: string; DomainName: unknown; CustomOriginConfig?: { OriginProtocolPolicy: string } }[];
      CacheBehaviors: {
        PathPattern: string;
        TargetOriginId: string;
        AllowedMethods: string[];
        CachePolicyId: string;
        OriginRequestPolicyId: string;
        ViewerProtocolPolicy: string;
      }[];
    };
    const apiOrigin = distribution.Origins.find((o) => o.CustomOriginConfig);
    const apiId = logicalId(synth.stacks.service.httpApi);

    // Assess
    expect(distribution.CacheBehaviors.map((b) => b.PathPattern).sort()).toEqual([...API_PATH_PATTERNS].sort());
    expect(apiOrigin?.CustomOriginConfig?.OriginProtocolPolicy).toBe('https-only');
    expect(JSON.stringify(apiOrigin?.DomainName)).toContain(apiId);
    for (const behavior of distribution.CacheBehaviors) {
      expect(behavior.TargetOriginId).toBe(apiOrigin?.Id);
      expect(behavior.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'OPTIONS']));
      // The managed CachingDisabled and AllViewerExceptHostHeader policies.
      expect(behavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
      expect(behavior.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
      expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    }
  });

  it('covers every route of routes.ts that a browser reaches on PUBLIC_BASE_URL', () => {
    // Prepare
    const covered = (path: string) => API_PATH_PATTERNS.some((p) => path.startsWith(p.slice(0, -1)));

    // Assess
    for (const route of ROUTES.filter((r) => !r.localOnly)) expect(covered(route.path), route.path).toBe(true);
  });

  it('sends HSTS, nosniff, DENY framing, a referrer policy and a CSP naming the API', () => {
    // Prepare
    const csp = new Capture();
    web.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          ContentSecurityPolicy: { ContentSecurityPolicy: csp, Override: true },
        },
      }),
    });

    // Act
    const text = JSON.stringify(csp.asObject());

    // Assess
    for (const directive of ["default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", 'connect-src', 'cognito-idp.']) {
      expect(text).toContain(directive);
    }
    expect(text).not.toContain("script-src 'self' 'unsafe-inline'");
  });

  it('does not deploy web/dist before it is built', () => {
    web.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });
});

describe('with a custom domain', () => {
  it('answers on the PUBLIC_BASE_URL host with TLS 1.2 or newer', () => {
    const custom = buildTestApp({
      webDist: NO_DIST,
      context: { consoleCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555' },
    });
    Template.fromStack(custom.stacks.web).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['gw.example.cn'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }),
      }),
    });
  });
});

describe('with a built console', () => {
  it('deploys web/dist to the bucket and invalidates the distribution', () => {
    // Prepare
    const dist = mkdtempSync(join(tmpdir(), 'gridwhistle-web-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>GridWhistle</title>');

    // Act
    const built = buildTestApp({ webDist: dist });
    const template = Template.fromStack(built.stacks.web);

    // Assess
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: logicalId(built.stacks.web.bucket) },
      DistributionId: { Ref: logicalId(built.stacks.web.distribution) },
      DistributionPaths: ['/*'],
    });
  });

  it('writes /config.json beside it: Cognito hosted sign-in with the console client, resolved at deploy time', () => {
    // Prepare
    const dist = mkdtempSync(join(tmpdir(), 'gridwhistle-web-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>GridWhistle</title>');

    // Act
    const built = buildTestApp({ webDist: dist, context: { cognitoDomainPrefix: 'gridwhistle-xz' } });
    const deployment = Object.values(Template.fromStack(built.stacks.web).findResources('Custom::CDKBucketDeployment'))[0] as {
      Properties: { SourceObjectKeys: unknown[]; SourceMarkers: Record<string, unknown>[] };
    };
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);

    // Assess: the build and a config file, whose markers carry the console client's id and the region
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    expect(markers).toContain('UsersConsole');
    expect(markers).toContain('AWS::Region');
  });
});
