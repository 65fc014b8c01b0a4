/**
 * cdk-nag's AwsSolutions pack over the whole app, as `cdk synth` runs it: zero unacknowledged
 * findings, and every acknowledgement is specific (on the construct the finding is about, never a
 * stack), still needed (a finding exists under it) and carries a real reason.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { acknowledgements, buildTestApp } from './support.ts';

const PLACEHOLDER = /\b(todo|tbd|fixme|placeholder|lorem|xxx|suppressed|not needed)\b/i;

function builtConsole(): string {
  const dist = mkdtempSync(join(tmpdir(), 'gridwhistle-web-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>GridWhistle</title>');
  return dist;
}

const VARIANTS = {
  'the default deployment (no console built, CloudFront domain)': () =>
    buildTestApp({ webDist: join(tmpdir(), 'gridwhistle-no-web-dist') }),
  'a full deployment (console built, custom domain, Cognito domain, SMS settings left alone)': () =>
    buildTestApp({
      webDist: builtConsole(),
      context: {
        consoleCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
        cognitoDomainPrefix: 'gridwhistle-test',
        manageSmsAccountSettings: false,
      },
    }),
};

describe.each(Object.entries(VARIANTS))('cdk-nag AwsSolutions on %s', (_name, build) => {
  it('synthesizes with the checks on and reports zero unacknowledged findings', () => {
    // Prepare
    const { app } = build();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act: synth throws on any finding the plugin reports.
    app.synth();
    const report = new AwsSolutionsChecks(app).validateScope(app);

    // Assess
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges only findings that exist, each on its own construct, each with a real reason', () => {
    // Prepare: the same app, checked with acknowledgements ignored, gives every raw finding.
    const { app } = build();
    app.synth();
    const raw = new AwsSolutionsChecks(app);
    (raw as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    const findings = raw
      .validateScope(app)
      .violations.flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath })));

    // Act
    const acks = acknowledgements(app);

    // Assess
    expect(findings.length).toBeGreaterThan(0);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      const where = `${ack.id} on ${ack.path}`;
      expect(ack.onStack, `${where}: acknowledged on a whole stack`).toBe(false);
      expect(ack.reason.trim().length, `${where}: reason too short`).toBeGreaterThanOrEqual(40);
      expect(ack.reason, `${where}: placeholder reason`).not.toMatch(PLACEHOLDER);
      const covered = findings.filter((f) => f.id === ack.id && (f.path === ack.path || (f.path ?? '').startsWith(`${ack.path}/`)));
      expect(covered.length, `${where}: acknowledges no finding`).toBeGreaterThan(0);
    }
  });
});
