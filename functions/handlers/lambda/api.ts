/** Lambda entry: the reports, links, photos, categories and directory API (everything but Open311). */
import { lazyAwsDeps } from '#wiring/aws.ts';
import { s3ImportFiles } from '#wiring/aws-import-files.ts';
import { lambdaImportQueue } from '#wiring/aws-import-queue.ts';
import { secretsManagerLinkSecret } from '#wiring/aws-link-secret.ts';
import { s3Photos } from '#wiring/aws-photos.ts';
import { sfnWorkflow } from '#wiring/aws-workflow.ts';
import { createRouter } from './http-router.ts';

export const handler = createRouter(
  'api',
  lazyAwsDeps({
    auth: true,
    workflow: sfnWorkflow,
    photos: s3Photos,
    linkSecret: secretsManagerLinkSecret,
    importFiles: s3ImportFiles,
    importQueue: lambdaImportQueue,
  }),
);
