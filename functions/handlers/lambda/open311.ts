/** Lambda entry: Open311 GeoReport v2 (public reads, api_key writes). */
import { lazyAwsDeps } from '#wiring/aws.ts';
import { s3Photos } from '#wiring/aws-photos.ts';
import { sfnWorkflow } from '#wiring/aws-workflow.ts';
import { createRouter } from './http-router.ts';

export const handler = createRouter('open311', lazyAwsDeps({ photos: s3Photos, workflow: sfnWorkflow }));
