/**
 * The HTTP API is generated from functions/handlers/http/routes.ts: every deployable route, on the
 * function of its group, behind the Cognito JWT authorizer unless routes.ts marks it public.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionGroupOf, ROUTES } from '#handlers/http/routes.ts';
import { buildTestApp, type Json, logicalId, type Synth } from './support.ts';

/** The public routes, written out: a route turning public must change this list too. */
const PUBLIC_ROUTE_KEYS = [
  'GET /api/health',
  'GET /api/openapi.json',
  'GET /api/v1/link',
  'POST /api/v1/link',
  'GET /l',
  'GET /open311/v2/{file}',
  'POST /open311/v2/{file}',
  'GET /open311/v2/services/{file}',
  'GET /open311/v2/requests/{file}',
];

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

interface Route {
  RouteKey: string;
  AuthorizationType: string;
  AuthorizerId?: { Ref: string };
  Target: { 'Fn::Join': [string, [string, { Ref: string }]] };
}

let synth: Synth;
let service: Template;
let routes: Map<string, Route>;

beforeAll(() => {
  synth = buildTestApp();
  service = Template.fromStack(synth.stacks.service);
  routes = new Map(
    Object.values(service.findResources('AWS::ApiGatewayV2::Route')).map((r) => [(r.Properties as Route).RouteKey, r.Properties as Route]),
  );
});

describe('routes', () => {
  it('deploys every route of routes.ts except the local-only ones, and nothing else', () => {
    // Prepare
    const deployable = ROUTES.filter((r) => !r.localOnly).map(key);
    const localOnly = ROUTES.filter((r) => r.localOnly).map(key);

    // Assess
    expect([...routes.keys()].sort()).toEqual(deployable.sort());
    expect(localOnly.length).toBeGreaterThan(0);
    for (const k of localOnly) expect(routes.has(k), k).toBe(false);
  });

  it('leaves exactly the public routes open, as listed here and in routes.ts', () => {
    // Prepare
    const fromRoutes = ROUTES.filter((r) => r.public && !r.localOnly).map(key);

    // Act
    const open = [...routes.values()].filter((r) => r.AuthorizationType === 'NONE').map((r) => r.RouteKey);

    // Assess
    expect(fromRoutes.sort()).toEqual([...PUBLIC_ROUTE_KEYS].sort());
    expect(open.sort()).toEqual([...PUBLIC_ROUTE_KEYS].sort());
    for (const k of PUBLIC_ROUTE_KEYS) expect(routes.get(k)?.AuthorizerId).toBeUndefined();
  });

  it('puts the Cognito JWT authorizer on every private route', () => {
    // Prepare
    const authorizers = service.findResources('AWS::ApiGatewayV2::Authorizer');
    const [authorizerId] = Object.keys(authorizers);
    const privateRoutes = ROUTES.filter((r) => !r.public && !r.localOnly).map(key);

    // Assess
    expect(Object.keys(authorizers)).toHaveLength(1);
    expect(privateRoutes.length).toBeGreaterThan(0);
    for (const k of privateRoutes) {
      expect(routes.get(k), k).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
  });

  it('the authorizer trusts the user pool issuer and the console client as audience', () => {
    const auth = synth.stacks.auth;
    service.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: synth.stacks.service.resolve(auth.userPool.userPoolProviderUrl),
        Audience: [synth.stacks.service.resolve(auth.consoleClient.userPoolClientId)],
      },
    });
  });

  it('sends each route to the function of its group (functionGroupOf)', () => {
    // Prepare
    const integrations = service.findResources('AWS::ApiGatewayV2::Integration');
    const fnOf = { api: logicalId(synth.stacks.service.functions.api.fn), open311: logicalId(synth.stacks.service.functions.open311.fn) };

    // Assess
    for (const r of ROUTES.filter((route) => !route.localOnly)) {
      const integrationId = routes.get(key(r))?.Target['Fn::Join'][1][1].Ref as string;
      expect((integrations[integrationId]?.Properties as Json | undefined)?.IntegrationUri, key(r)).toEqual({
        'Fn::GetAtt': [fnOf[functionGroupOf(r)], 'Arn'],
      });
    }
  });
});

describe('the stage', () => {
  it('auto-deploys $default with throttling and JSON access logs that never record the raw path', () => {
    // Prepare
    const stage = Object.values(service.findResources('AWS::ApiGatewayV2::Stage'))[0]?.Properties as {
      AccessLogSettings: { Format: string; DestinationArn: unknown };
    };

    // Act
    const format = JSON.parse(stage.AccessLogSettings.Format) as Record<string, string>;

    // Assess
    service.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiAccessLogs'), 'Arn'] } },
    });
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    // SMS link tokens travel in the path: they must not land in the logs.
    expect(stage.AccessLogSettings.Format).not.toMatch(/\$context\.(path|resourcePath)\b/);
  });

  it('allows the console origin only, with the headers the API reads', () => {
    service.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['https://gw.example.cn'],
        AllowHeaders: ['authorization', 'content-type', 'idempotency-key'],
      },
    });
  });
});
