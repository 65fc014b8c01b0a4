import { describe, expect, it } from 'vitest';
import { ApiError, buildUrl, RequestClient } from '#web/api/client.ts';
import { installInterceptors, refreshOnce, translated } from '#web/api/interceptors.ts';

/** A fetch that answers from a script and records what it was asked. */
function scripted(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fetcher = async (url: string, init: RequestInit) => {
    calls.push({ url, headers: { ...(init.headers as Record<string, string>) } });
    return answer(url, init);
  };
  return { fetcher, calls };
}

const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('buildUrl', () => {
  it('fills path parameters, encoded, and leaves empty query values out', () => {
    expect(buildUrl('/api/v1/reports/{id}', { id: 'R1/2' }, { status: 'assigned', node: '', cursor: undefined })).toBe(
      '/api/v1/reports/R1%2F2?status=assigned',
    );
  });

  it('refuses a missing path parameter', () => {
    expect(() => buildUrl('/api/v1/tree/{code}', {})).toThrow(/code/);
  });
});

describe('the request client', () => {
  it('unwraps JSON and turns the API’s error shape into an ApiError with its code', async () => {
    // Prepare
    const { fetcher } = scripted((url) =>
      url.includes('ok')
        ? jsonResponse(200, { items: [] })
        : jsonResponse(409, { error: { code: 'REPORT.MOVED_ON', message: 'the report has moved on', details: { tier: 'village' } } }),
    );
    const client = new RequestClient(fetcher);

    // Act
    const ok = await client.send({ method: 'get', url: '/ok', headers: {}, as: 'json', attempt: 1 });
    const failure = await client.send({ method: 'get', url: '/no', headers: {}, as: 'json', attempt: 1 }).catch((e: unknown) => e);

    // Assess
    expect(ok).toEqual({ items: [] });
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 409, code: 'REPORT.MOVED_ON', details: { tier: 'village' } });
  });

  it('refreshes once for a burst of 401s, queues the others behind it, and retries each with the new token', async () => {
    // Prepare: three requests fail with the old token; the refresh takes a while
    let token = 'old';
    let refreshes = 0;
    const { fetcher, calls } = scripted((_url, init) => {
      const sent = (init.headers as Record<string, string>).authorization;
      return sent === 'Bearer new'
        ? jsonResponse(200, { ok: true })
        : jsonResponse(401, { error: { code: 'AUTH.INVALID_TOKEN', message: 'expired' } });
    });
    const client = installInterceptors(new RequestClient(fetcher), {
      token: () => token,
      locale: () => 'zh-CN',
      refresh: async () => {
        refreshes++;
        await new Promise((r) => setTimeout(r, 20));
        token = 'new';
        return token;
      },
      signedOut: () => undefined,
      translate: () => null,
    });

    // Act
    const answers = await Promise.all(
      ['/a', '/b', '/c'].map((url) => client.send({ method: 'get', url, headers: {}, as: 'json', attempt: 1 })),
    );

    // Assess
    expect(answers).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(refreshes).toBe(1);
    expect(
      calls
        .filter((c) => c.headers.authorization === 'Bearer new')
        .map((c) => c.url)
        .sort(),
    ).toEqual(['/a', '/b', '/c']);
    expect(calls.every((c) => c.headers['accept-language'] === 'zh-CN')).toBe(true);
  });

  it('signs out when the refresh fails, and does not retry again', async () => {
    // Prepare
    let signedOut = 0;
    const { fetcher, calls } = scripted(() => jsonResponse(401, { error: { code: 'AUTH.INVALID_TOKEN', message: 'expired' } }));
    const client = new RequestClient(fetcher).useError(
      refreshOnce({
        refresh: async () => null,
        signedOut: () => {
          signedOut++;
        },
      }),
    );

    // Act
    const failure = await client
      .send({ method: 'get', url: '/x', headers: { authorization: 'Bearer old' }, as: 'json', attempt: 1 })
      .catch((e: unknown) => e);

    // Assess
    expect(failure).toMatchObject({ status: 401 });
    expect(signedOut).toBe(1);
    expect(calls).toHaveLength(1);
  });
});

describe('translated messages', () => {
  const messages: Record<string, string> = {
    'errors.codes.REPORT_MOVED_ON': '事件已流转到其他层级',
    'errors.status.422': '无法办理',
  };
  const translate = (key: string) => messages[key] ?? null;

  it('uses the code’s own text, else the status’s with the server’s words, else the server’s words', () => {
    expect(translated(new ApiError(409, 'REPORT.MOVED_ON', 'moved on', undefined, 'moved on'), translate).message).toBe(
      '事件已流转到其他层级',
    );
    expect(translated(new ApiError(422, 'X.Y', 'nope', undefined, 'nope'), translate).message).toBe('无法办理（nope）');
    expect(translated(new ApiError(418, 'X.Y', 'teapot', undefined, 'teapot'), translate).message).toBe('teapot');
  });
});
