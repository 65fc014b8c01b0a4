import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConflictError,
  DomainRefusalError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#core/errors.ts';
import { open311EndpointUrl } from '#core/open311.ts';
import type { ApiEvent } from '#handlers/http/http.ts';
import { formFields, open311ErrorEntries, open311ErrorResult, open311Route, resourceFile, single } from '#handlers/open311/http.ts';
import { parseRequestsQuery, parseServiceRequestForm } from '#handlers/open311/schemas.ts';
import { parseXml } from '../support/open311-shape.ts';
import { thrownBy } from './fixtures.ts';

function event(overrides: Partial<ApiEvent> & { file?: string } = {}): ApiEvent {
  const { file, ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: 'GET /open311/v2/{file}',
    rawPath: `/open311/v2/${file ?? ''}`,
    rawQueryString: '',
    headers: {},
    pathParameters: file === undefined ? undefined : { file },
    isBase64Encoded: false,
    requestContext: { domainName: 'api.example.cn', http: { method: 'GET' } } as ApiEvent['requestContext'],
    ...rest,
  } as ApiEvent;
}

const form = (body: string): [string, string][] => [...new URLSearchParams(body)];

const VALID = 'service_code=infrastructure&lat=23.96&long=109.69&description=%E6%A1%A5%E5%A1%8C%E4%BA%86';

function issues(act: () => unknown): string[] {
  const error = thrownBy(act);
  expect(error).toBeInstanceOf(ValidationError);
  return ((error as ValidationError).details as { path: string }[]).map((d) => d.path);
}

describe('the POST requests form', () => {
  it('becomes a submission: coordinates, address, urgency attribute, description', () => {
    // Act
    const submission = parseServiceRequestForm(form(`${VALID}&address_string=%E9%82%A3%E6%B2%99%E6%9D%91&attribute[urgency]=urgent`));

    // Assess
    expect(submission).toEqual({
      serviceCode: 'infrastructure',
      description: '桥塌了',
      coordinates: { lat: 23.96, lng: 109.69 },
      address: '那沙村',
      mediaUrl: undefined,
      urgency: 'urgent',
    });
  });

  it('accepts an address without coordinates, and treats empty fields as absent (the standard’s rule)', () => {
    // Act
    const submission = parseServiceRequestForm(
      form('service_code=dispute&lat=&long=&address_string=%E9%82%A3%E6%B2%99%E6%9D%91&description=x&media_url='),
    );

    // Assess
    expect(submission).toMatchObject({ coordinates: undefined, address: '那沙村', mediaUrl: undefined });
  });

  it('accepts and drops who the citizen is, and ignores fields it does not know', () => {
    // Act
    const submission = parseServiceRequestForm(
      form(`${VALID}&first_name=john&phone=111&email=a%40b.c&device_id=d&jurisdiction_id=x&foo=bar`),
    );

    // Assess
    expect(JSON.stringify(submission)).not.toMatch(/john|111|a@b\.c/);
  });

  it.each([
    ['no location at all', 'service_code=infrastructure&description=x', ['lat']],
    ['lat without long', 'service_code=infrastructure&lat=23&description=x', ['long']],
    ['only an address_id (we have no address register)', 'service_code=infrastructure&address_id=545483&description=x', ['lat']],
    ['lat out of range', 'service_code=infrastructure&lat=91&long=109&description=x', ['lat']],
    ['long out of range', 'service_code=infrastructure&lat=23&long=181&description=x', ['long']],
    ['lat not a number', 'service_code=infrastructure&lat=north&long=109&description=x', ['lat']],
    ['no description', 'service_code=infrastructure&lat=23&long=109', ['description']],
    ['a description over 2000 characters', `service_code=infrastructure&lat=23&long=109&description=${'x'.repeat(2001)}`, ['description']],
    ['a control character in the description', 'service_code=infrastructure&lat=23&long=109&description=a%07b', ['description']],
    ['a bad service_code', 'service_code=a%20b&lat=23&long=109&description=x', ['service_code']],
    ['an unknown urgency', `${VALID}&attribute[urgency]=whenever`, ['attribute[urgency]']],
    ['an attribute no service defines', `${VALID}&attribute[colour]=red`, ['attribute[colour]']],
    ['a media_url that is not a photo uploaded here', `${VALID}&media_url=http%3A%2F%2Fexample.com%2Fa.jpg`, ['media_url']],
  ])('refuses %s, naming the field', (_name, body, paths) => {
    // Assess
    expect(issues(() => parseServiceRequestForm(form(body)))).toEqual(paths);
  });

  it('refuses a field sent twice instead of picking one', () => {
    // Assess
    expect(issues(() => parseServiceRequestForm(form(`${VALID}&service_code=dispute`)))).toEqual(['service_code']);
    expect(() => single(form('api_key=a&api_key=b'), 'api_key')).toThrow(ValidationError);
    expect(single(form('api_key=a&x=1'), 'api_key')).toBe('a');
  });
});

describe('the GET requests query', () => {
  it('splits comma-separated lists and parses W3C date-times', () => {
    // Act
    const filters = parseRequestsQuery({
      service_request_id: 'R0123456789ABCDE, R0123456789ABCDF',
      service_code: 'dispute,infrastructure',
      status: 'open,closed',
      start_date: '2026-01-01T00:00:00+08:00',
      end_date: '2026-01-31T00:00Z',
      page: '2',
      page_size: '10',
      jurisdiction_id: 'xiangzhou.gov.cn',
    });

    // Assess
    expect(filters).toEqual({
      serviceRequestIds: ['R0123456789ABCDE', 'R0123456789ABCDF'],
      serviceCodes: ['dispute', 'infrastructure'],
      statuses: ['open', 'closed'],
      startDate: new Date('2025-12-31T16:00:00Z'),
      endDate: new Date('2026-01-31T00:00:00Z'),
      page: 2,
      pageSize: 10,
    });
  });

  it('reads an unencoded + in a zone offset (it arrives as a space) as the plus it was', () => {
    // Assess
    expect(parseRequestsQuery({ start_date: '2026-01-01T08:00:00 08:00' }).startDate).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('treats empty parameters as absent and ignores unknown ones', () => {
    // Assess
    expect(parseRequestsQuery({ status: '', service_code: '', _: '12345' })).toEqual({});
    expect(parseRequestsQuery(undefined)).toEqual({});
  });

  it.each([
    ['a date without a zone', { start_date: '2026-01-01T00:00:00' }, 'start_date'],
    ['a date only', { end_date: '2026-01-01' }, 'end_date'],
    ['an unknown status', { status: 'open,pending' }, 'status[1]'],
    ['a page that is not a number', { page: 'two' }, 'page'],
    ['a malformed id', { service_request_id: 'R1;DROP' }, 'service_request_id[0]'],
  ])('refuses %s, naming the parameter', (_name, query, path) => {
    // Assess
    expect(issues(() => parseRequestsQuery(query))).toEqual([path]);
  });
});

describe('resource files', () => {
  it('split into a name and a format', () => {
    // Assess
    expect(resourceFile(event({ file: 'requests.json' }))).toEqual({ name: 'requests', format: 'json' });
    expect(resourceFile(event({ file: 'R0123456789ABCDE.xml' }))).toEqual({ name: 'R0123456789ABCDE', format: 'xml' });
  });

  it.each(['requests', 'requests.html', 'requests.json.xml.', '.json', 'a b.json'])('answer 404 for %s', (file) => {
    // Assess
    expect(thrownBy(() => resourceFile(event({ file })))).toBeInstanceOf(NotFoundError);
  });

  it('write the 404 for a bad extension as XML (the standard’s required format), or JSON when the client accepts JSON', async () => {
    // Prepare
    const handler = open311Route(async () => {
      throw new Error('not reached');
    });

    // Act
    const xml = await handler(event({ file: 'requests.yaml' }));
    const json = await handler(event({ file: 'requests.yaml', headers: { accept: 'application/json' } }));

    // Assess
    expect(xml.statusCode).toBe(404);
    expect(xml.headers?.['content-type']).toBe('text/xml; charset=utf-8');
    expect(parseXml(String(xml.body)).name).toBe('errors');
    expect(json.statusCode).toBe(404);
    expect(JSON.parse(String(json.body))[0].code).toBe(404);
  });
});

describe('errors in the standard’s format', () => {
  it.each([
    [new ValidationError('X', 'bad'), 400],
    [new DomainRefusalError('CATEGORY.UNKNOWN', 'unknown service'), 400],
    [new ConflictError('IDEMPOTENCY.KEY_REUSED', 'reused'), 400],
    [new UnsupportedMediaTypeError('form only'), 400],
    [new AuthenticationError('OPEN311.API_KEY_INVALID', 'invalid api_key'), 403],
    [new ForbiddenError('OPEN311.WORKERS_ONLY', 'workers only'), 403],
    [new NotFoundError('OPEN311.REQUEST_NOT_FOUND', 'none'), 404],
    [new PayloadTooLargeError('too big'), 413],
  ])('map %s to HTTP %i with the same code in the body', (error, status) => {
    // Act
    const { status: mapped, entries } = open311ErrorEntries(error);

    // Assess
    expect(mapped).toBe(status);
    expect(entries).toEqual([{ code: status, description: error.message }]);
  });

  it('list one error per invalid field', () => {
    // Act
    const { entries } = open311ErrorEntries(
      new ValidationError('OPEN311.INVALID_REQUEST', 'invalid', [
        { path: 'lat', message: 'too big' },
        { path: 'description', message: 'required' },
      ]),
    );

    // Assess
    expect(entries).toEqual([
      { code: 400, description: 'lat: too big' },
      { code: 400, description: 'description: required' },
    ]);
  });

  it('never leak an unexpected error: 500 with a generic description, logged', () => {
    // Prepare
    const logged: unknown[] = [];

    // Act
    const result = open311ErrorResult(new Error('secret stack'), 'json', (_m, e) => logged.push(e));

    // Assess
    expect(result.statusCode).toBe(500);
    expect(String(result.body)).not.toContain('secret');
    expect(logged).toHaveLength(1);
  });
});

describe('the POST body and the discovery URL', () => {
  it('takes only form-urlencoded bodies, as text or base64', () => {
    // Assess
    expect(
      formFields(event({ headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: 'a=1&b=%E6%A1%A5' })),
    ).toEqual([
      ['a', '1'],
      ['b', '桥'],
    ]);
    expect(
      formFields(
        event({
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: Buffer.from('a=2').toString('base64'),
          isBase64Encoded: true,
        }),
      ),
    ).toEqual([['a', '2']]);
    expect(thrownBy(() => formFields(event({ headers: { 'content-type': 'application/json' }, body: '{}' })))).toBeInstanceOf(
      UnsupportedMediaTypeError,
    );
  });

  it('decodes + as a space and %-escapes as UTF-8, keeping repeated fields and fields without a value', () => {
    // Prepare
    const form = event({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=x+y%2B1&a=2&flag&b=%E6%A1%A5=%3D&&' });

    // Assess
    expect(formFields(form)).toEqual([
      ['a', 'x y+1'],
      ['a', '2'],
      ['flag', ''],
      ['b', '桥=='],
    ]);
  });

  it.each([
    ['a cut multi-byte escape', 'description=%E4%B8'],
    ['a non-hex escape', 'description=%zz'],
    ['a lone %', 'description=100%'],
    ['an escape that is not UTF-8', 'description=%FF%FE'],
    ['a broken escape in a name', 'desc%ription=1'],
  ])('refuses %s with a 400 validation error', (_name, body) => {
    // Act
    const error = thrownBy(() => formFields(event({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('OPEN311.BAD_ENCODING');
  });

  it('refuses raw bytes that are not UTF-8', () => {
    // Prepare
    const latin1 = Buffer.concat([Buffer.from('description='), Buffer.from([0xe9, 0x74, 0xe9])]);

    // Act
    const error = thrownBy(() =>
      formFields(
        event({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: latin1.toString('base64'), isBase64Encoded: true }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('builds the endpoint URL on the configured public address, with or without a trailing slash', () => {
    // Assess
    expect(open311EndpointUrl('https://gw.example.cn')).toBe('https://gw.example.cn/open311/v2');
    expect(open311EndpointUrl('https://gw.example.cn/')).toBe('https://gw.example.cn/open311/v2');
    expect(open311EndpointUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/open311/v2');
  });
});
