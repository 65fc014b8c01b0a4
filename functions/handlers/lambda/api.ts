/** Lambda entry: the reports, links, photos and categories API (everything but Open311). */
import { lazyAwsDeps } from '#wiring/aws.ts';
import { createRouter } from './http-router.ts';

export const handler = createRouter('api', lazyAwsDeps({ auth: true, photos: true, links: true }));
