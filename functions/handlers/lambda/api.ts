/** Lambda entry: the reports, links, photos and categories API (everything but Open311). */
import { lazyAwsDeps } from '#wiring/aws.ts';
import { secretsManagerLinkSecret } from '#wiring/aws-link-secret.ts';
import { s3Photos } from '#wiring/aws-photos.ts';
import { createRouter } from './http-router.ts';

export const handler = createRouter('api', lazyAwsDeps({ auth: true, photos: s3Photos, linkSecret: secretsManagerLinkSecret }));
