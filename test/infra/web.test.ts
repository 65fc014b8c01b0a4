/**
 * The console: private bucket behind CloudFront with origin access control, SPA fallback, security
 * headers, logging; web/dist deployed only when it exists.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, logicalId, type Synth } from './support.ts';

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
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
    });
    web.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } })],
      }),
    });
  });

  it('serves index.html at the root and for every unknown path (SPA routes such as /l/<token>)', () => {
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        CustomErrorResponses: [
          { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
          { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
        ],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', ResponseHeadersPolicyId: Match.anyValue() }),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
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
});
