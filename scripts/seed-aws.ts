/**
 * Loads the demo county (infra/local/demo-county.ts) into a deployed table, for a first smoke test
 * of a new deployment: the tree, departments, categories with their default policies, and the
 * people. No local logins (Cognito signs users in on AWS) and no Open311 key.
 *
 *   npm run seed:aws -- --table <TableName output of <prefix>-Data> --phone +8613800000000 [--region cn-north-1]
 *
 * `--phone` replaces every person's phone: the demo numbers are invented, and an account in the
 * SNS SMS sandbox may text only numbers verified in it. Credentials and region come from the usual
 * AWS SDK chain (AWS_PROFILE, AWS_REGION…). It runs the directory's use cases as the operator and
 * skips what is already there: run it again after an interruption. It then prints the Cognito commands that create a grid worker and a county admin.
 */
import { parseArgs } from 'node:util';
import { DynamoAuditLog } from '#adapters/dynamodb/audit-log.ts';
import { documentClient } from '#adapters/dynamodb/client.ts';
import { dynamoDirectoryStore } from '#adapters/dynamodb/directory-store.ts';
import { DynamoReportStore } from '#adapters/dynamodb/report-store.ts';
import { systemClock } from '#core/deadlines.ts';
import { type SeedDeps, seedDemoDirectory } from '#local/seed.ts';
import { notWired } from '#wiring/aws.ts';

const E164 = /^\+[1-9]\d{6,14}$/;

function usage(problem: string): never {
  process.stderr.write(`${problem}\nusage: npm run seed:aws -- --table <TableName> --phone <E.164> [--region <region>]\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: { table: { type: 'string' }, phone: { type: 'string' }, region: { type: 'string' } },
  strict: true,
});
const table = values.table ?? usage('--table is required (the TableName output of the data stack)');
const phone = values.phone ?? usage('--phone is required: every demo officer is texted on it');
if (!E164.test(phone)) usage(`--phone must be an E.164 number such as +8613800000000: ${phone}`);
const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
if (!region) usage('--region is required (or set AWS_REGION)');

const db = documentClient({ region });
// The directory's own use cases, as the operator; nothing here sends SMS, wakes a workflow or makes a login.
const deps = {
  directory: dynamoDirectoryStore(db, table),
  audit: new DynamoAuditLog(db, table),
  reports: new DynamoReportStore(db, table),
  clock: systemClock,
  timeScale: 1,
  accounts: notWired('accounts (Cognito users are created by the commands printed below)'),
  workflow: notWired('the workflow'),
  sms: notWired('SMS'),
  links: notWired('SMS links'),
  linkSettings: notWired('SMS links'),
} as SeedDeps;
const accounts = await seedDemoDirectory(deps, { phone });
db.destroy();

const worker = accounts.find((a) => a.username === 'worker1');
const admin = accounts.find((a) => a.username === 'admin');
if (!worker || !admin) throw new Error('the demo county has no worker1 or admin');
process.stdout.write(`seeded the demo county into ${table} (${region}): ${accounts.length} people, all on ${phone}\n\n`);
process.stdout.write('Create the matching Cognito users (POOL = the UserPoolId output of the auth stack):\n');
for (const { username, person } of [admin, worker]) {
  process.stdout.write(
    `  aws cognito-idp admin-create-user --user-pool-id "$POOL" --username ${username} --message-action SUPPRESS \\\n` +
      `    --user-attributes Name=name,Value=${person.name} Name=custom:scope,Value=${person.scope} Name=custom:person,Value=${person.id}\n` +
      `  aws cognito-idp admin-add-user-to-group --user-pool-id "$POOL" --username ${username} --group-name ${person.role}\n`,
  );
}
