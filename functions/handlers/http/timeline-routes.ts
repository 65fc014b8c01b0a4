/** GET /api/v1/reports/{id}/timeline/verify: is the stored timeline the one its events were chained into? */
import { verifyReportTimeline } from '#core/use-cases/reports.ts';
import { authenticate, json, pathParameter, route } from './http.ts';
import { errorResponses } from './openapi-kit.ts';
import type { RouteModule } from './route-types.ts';
import { reportId } from './schemas.ts';

export const TIMELINE_ROUTES: RouteModule = {
  routes: [
    {
      method: 'GET',
      path: '/api/v1/reports/{id}/timeline/verify',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          return json(200, await verifyReportTimeline(deps, actor, pathParameter(event, 'id', reportId)));
        }),
      doc: {
        summary:
          'Recomputes the report’s hash chain (each event’s SHA-256 covers its content and the previous event’s hash; the report pins the last one) ' +
          'and says whether every stored event is as it was written. Anyone who may read the report may ask.',
        tag: 'reports',
        bearer: true,
        responses: {
          200: {
            description: 'the verdict (200 whether or not the chain holds)',
            schema: {
              type: 'object',
              required: ['reportId', 'intact', 'checked', 'brokenAtSeq', 'unchained'],
              properties: {
                reportId: { type: 'string' },
                intact: { type: 'boolean', description: 'every chained event matches its hash, in order, up to the report’s last event' },
                checked: { type: 'integer', description: 'events checked' },
                brokenAtSeq: {
                  type: ['integer', 'null'],
                  description: 'the first event that does not match (changed, moved, or after a missing one)',
                },
                unchained: { type: 'integer', description: 'events stored before the chain existed: listed, not vouched for' },
              },
            },
          },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
  ],
};
