/** Lambda entry: the reports, links, photos, people, catalog, tree and import API (everything but Open311). */
import { routesOf } from '#handlers/http/routes.ts';
import { lazyAwsDeps } from '#wiring/aws.ts';
import { cognitoAccounts } from '#wiring/aws-accounts.ts';
import { s3ImportFiles } from '#wiring/aws-import-files.ts';
import { lambdaImportQueue } from '#wiring/aws-import-queue.ts';
import { secretsManagerLinkSecret } from '#wiring/aws-link-secret.ts';
import { s3Photos } from '#wiring/aws-photos.ts';
import { sfnWorkflow } from '#wiring/aws-workflow.ts';
import { createRouter } from './http-router.ts';

export const handler = createRouter(
  routesOf('api'),
  lazyAwsDeps({
    auth: true,
    workflow: sfnWorkflow,
    photos: s3Photos,
    linkSecret: secretsManagerLinkSecret,
    accounts: cognitoAccounts,
    importFiles: s3ImportFiles,
    importQueue: lambdaImportQueue,
  }),
);
