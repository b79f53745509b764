// A stand-in for Cypress (its binary cannot be downloaded here), enough to run the client's Cypress
// commands for real: `cy.request` goes through fetch to a real server with a cookie jar, as Cypress's
// does; chains are promises; `cy.intercept` records its route handlers so a test can call them.

export class Chain<T> {
  constructor(readonly promise: Promise<T>) {}

  then<U>(fn: (value: T) => U | Chain<U>): Chain<U> {
    return new Chain(this.promise.then(async (value) => {
      const next = fn(value);
      return next instanceof Chain ? next.promise : next;
    }));
  }
}

export interface RequestOptions {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  qs?: Record<string, unknown>;
  form?: boolean;
  followRedirect?: boolean;
  failOnStatusCode?: boolean;
  timeout?: number;
}

export interface StandInResponse { status: number; body: unknown; headers: Record<string, string> }
export interface Interception { matcher: { url: string }; handler: (req: { headers: Record<string, string> }) => void }

type Command = (...args: never[]) => unknown;

export function cypressStandIn(settings: { baseUrl: string; env: Record<string, string> }) {
  const cookies = new Map<string, string>();
  const requests: Array<{ method: string; url: string; headers: Record<string, string> }> = [];
  const intercepts: Interception[] = [];

  async function request(options: RequestOptions): Promise<StandInResponse> {
    const url = new URL(options.url, settings.baseUrl);
    for (const [key, value] of Object.entries(options.qs ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const method = options.method ?? 'GET';
    const headers: Record<string, string> = { ...options.headers };
    if (cookies.size > 0) headers.Cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    let body: string | undefined;
    if (options.body !== undefined && options.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.body as Record<string, string>).toString();
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    requests.push({ method, url: url.toString(), headers });
    const res = await fetch(url, { method, headers, body, redirect: options.followRedirect === false ? 'manual' : 'follow' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const text = await res.text();
    const answerHeaders: Record<string, string> = {};
    res.headers.forEach((value, name) => { answerHeaders[name] = value; });
    const answer = {
      status: res.status,
      headers: answerHeaders,
      body: (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) as unknown : text,
    };
    if (options.failOnStatusCode !== false && res.status >= 400) throw new Error(`cy.request: ${method} ${url} answered ${res.status}`);
    return answer;
  }

  const cy: Record<string, (...args: never[]) => Chain<unknown>> = {
    request: ((options: RequestOptions) => new Chain(request(options))) as never,
    wrap: ((value: unknown) => new Chain(Promise.resolve(value))) as never,
    intercept: ((matcher: Interception['matcher'], handler: Interception['handler']) => {
      intercepts.push({ matcher, handler });
      return new Chain(Promise.resolve(null));
    }) as never,
  };

  const Cypress = {
    env: (key: string) => settings.env[key],
    config: (key: string) => (key === 'baseUrl' ? settings.baseUrl : undefined),
    Commands: {
      add(name: string, command: Command) {
        cy[name] = ((...args: never[]) => {
          const result = command(...args);
          return result instanceof Chain ? result : new Chain(Promise.resolve(result));
        }) as never;
      },
    },
  };

  /** Runs a chain of commands to its end, as Cypress does with a test's queue. */
  const run = <T>(chain: unknown): Promise<T> => (chain as Chain<T>).promise;

  return { cy, Cypress, requests, intercepts, cookies, run };
}
