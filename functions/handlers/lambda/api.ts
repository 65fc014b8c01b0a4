/** Lambda entry: the reports, links, photos, people and catalog API (everything but Open311). */

import { routesOf } from '#handlers/http/routes.ts';
import { lazyAwsDeps } from '#wiring/aws.ts';
import { cognitoAccounts } from '#wiring/aws-accounts.ts';
import { secretsManagerLinkSecret } from '#wiring/aws-link-secret.ts';
import { s3Photos } from '#wiring/aws-photos.ts';
import { createRouter } from './http-router.ts';

export const handler = createRouter(
  routesOf('api'),
  lazyAwsDeps({ auth: true, photos: s3Photos, linkSecret: secretsManagerLinkSecret, accounts: cognitoAccounts }),
);
