/** Lambda entry: Open311 GeoReport v2 (public reads, api_key writes). */

import { OPEN311_ROUTES } from '#handlers/open311/open311-routes.ts';
import { lazyAwsDeps } from '#wiring/aws.ts';
import { s3Photos } from '#wiring/aws-photos.ts';
import { sfnWorkflow } from '#wiring/aws-workflow.ts';
import { createRouter } from './http-router.ts';

export const handler = createRouter(OPEN311_ROUTES.routes, lazyAwsDeps({ photos: s3Photos, workflow: sfnWorkflow }));
