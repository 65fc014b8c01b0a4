/**
 * The CDK app (`cdk.json` runs it with tsx): the four GridWhistle stacks, checked by cdk-nag's
 * AwsSolutions pack. A finding fails synth unless it is acknowledged, with its reason, on the
 * construct it is about (see infra/constructs/nag.ts).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildGridWhistle, readSettings } from './stacks/gridwhistle.ts';

const app = new App();
buildGridWhistle(app, readSettings(app));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
