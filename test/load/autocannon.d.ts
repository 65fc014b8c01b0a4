/** autocannon v9 ships no type declarations; this is the part of its API the load tests use. */
declare module 'autocannon' {
  export interface RequestParams {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }
  export interface Request extends RequestParams {
    /** Builds each request just before it is written; `context` lives until its response. */
    setupRequest?: (request: RequestParams, context: Record<string, unknown>) => RequestParams;
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
  }
  export interface Options {
    url: string;
    connections?: number;
    /** Stop after this many requests (per connection: amount / connections). */
    amount?: number;
    /** Seconds before a request counts as timed out (its connection is reopened). */
    timeout?: number;
    requests?: Request[];
  }
  export interface Histogram {
    average: number;
    p50: number;
    p99: number;
    max: number;
  }
  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    requests: Histogram & { total: number };
    latency: Histogram;
  }
  export interface Instance extends PromiseLike<Result> {
    stop: () => void;
  }
  export default function autocannon(options: Options): Instance;
}
