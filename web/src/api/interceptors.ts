/**
 * The client's standing interceptors, installed once at start (main.ts) so the client needs no
 * store at import time: the bearer token and language on every request; on a 401 one refresh for
 * all the requests that got it (the others wait for that one, then retry once); and every failure
 * leaves with a message in the reader's language (the API's code first, then its status).
 */
import type { ApiError, ErrorInterceptor, RequestClient } from './client';

export interface InterceptorDeps {
  /** The current access token, if signed in. */
  token: () => string | null;
  /** The reader's language, sent as Accept-Language. */
  locale: () => string;
  /** Gets a fresh access token (null: the session is over). Called once for a burst of 401s. */
  refresh: () => Promise<string | null>;
  /** The session is over (refresh failed): sign out here and go to the sign-in page. */
  signedOut: () => void;
  /** A translation if the messages have one for this key. */
  translate: (key: string, values?: Record<string, unknown>) => string | null;
}

/** Sign-in and refresh carry their own credentials: a stale bearer token on them would only confuse. */
const ANONYMOUS = /^\/api\/auth\/(login|refresh)(\?|$)/;

export function installInterceptors(client: RequestClient, deps: InterceptorDeps): RequestClient {
  client.useRequest((request) => {
    const headers: Record<string, string> = { ...request.headers, 'accept-language': deps.locale() };
    const token = deps.token();
    if (token && !headers.authorization && !ANONYMOUS.test(request.url)) headers.authorization = `Bearer ${token}`;
    return { ...request, headers };
  });
  client.useError(refreshOnce(deps));
  client.useError(async (error) => {
    throw translated(error, deps.translate);
  });
  return client;
}

/** One refresh for every request that got a 401 while it ran; each of them is then retried once. */
export function refreshOnce(deps: Pick<InterceptorDeps, 'refresh' | 'signedOut'>): ErrorInterceptor {
  let refreshing: Promise<string | null> | null = null;
  return async (error, request, client) => {
    if (error.status !== 401 || request.attempt > 1 || !request.headers.authorization) throw error;
    refreshing ??= deps.refresh().finally(() => {
      refreshing = null;
    });
    const token = await refreshing;
    if (!token) {
      deps.signedOut();
      throw error;
    }
    // The stale bearer goes; the request interceptor puts the fresh one on the retry.
    const { authorization: _stale, ...headers } = request.headers;
    return client.send({ ...request, headers, attempt: request.attempt + 1 });
  };
}

/** The message to show: the API code's own text, else the status's, else the server's words. */
export function translated(error: ApiError, translate: InterceptorDeps['translate']): ApiError {
  const byCode = translate(`errors.codes.${error.code.replace(/\./g, '_')}`, { details: error.details });
  const byStatus = translate(`errors.status.${error.status}`);
  const message = byCode ?? (byStatus ? `${byStatus}${error.serverMessage ? `（${error.serverMessage}）` : ''}` : error.message);
  const copy = Object.assign(Object.create(Object.getPrototypeOf(error)), error) as ApiError;
  Object.defineProperty(copy, 'message', { value: message, enumerable: false, writable: true });
  return copy;
}
