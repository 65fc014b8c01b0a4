/**
 * Lambda entry: runs one CSV import job, invoked asynchronously by the api function with
 * `{ importId }` (core/use-cases/imports.ts). A job outlives the HTTP API's 30 s: this function has
 * 15 minutes. A second delivery of the same invocation finds the job claimed or finished and does
 * nothing; a job whose run died (no heartbeat for 5 minutes) is taken over by the next delivery.
 */
import { runImport } from '#core/use-cases/imports.ts';
import { lazyAwsDeps } from '#wiring/aws.ts';
import { cognitoAccounts } from '#wiring/aws-accounts.ts';
import { s3ImportFiles } from '#wiring/aws-import-files.ts';
import { sfnWorkflow } from '#wiring/aws-workflow.ts';

const deps = lazyAwsDeps({ importFiles: s3ImportFiles, workflow: sfnWorkflow, accounts: cognitoAccounts });

const IMPORT_ID = /^[0-9a-f-]{36}$/;

export const handler = async (event: { importId?: unknown }) => {
  const id = event?.importId;
  if (typeof id !== 'string' || !IMPORT_ID.test(id)) throw new Error('the importer is invoked with { importId }');
  await runImport(await deps(), id);
  return { importId: id };
};
