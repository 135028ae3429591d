/**
 * A small browser-like HTTP client for integration tests: keeps the session cookie, sends
 * the Origin header a browser sends on writes, or a Bearer token instead.
 */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by assertions, not types
type Json = any;

export interface TestResponse<T = Json> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export class TestClient {
  cookie: string | null = null;
  constructor(
    readonly baseUrl: string,
    private readonly options: { bearer?: string; origin?: string | null } = {},
  ) {}

  withBearer(token: string): TestClient {
    return new TestClient(this.baseUrl, { bearer: token });
  }

  withOrigin(origin: string | null): TestClient {
    const client = new TestClient(this.baseUrl, { ...this.options, origin });
    client.cookie = this.cookie;
    return client;
  }

  get<T = Json>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = Json>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  patch<T = Json>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  put<T = Json>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }

  delete<T = Json>(path: string) {
    return this.request<T>('DELETE', path);
  }

  async request<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    if (this.cookie) headers.cookie = `pmos_session=${this.cookie}`;
    if (this.options.bearer) headers.authorization = `Bearer ${this.options.bearer}`;
    const origin = this.options.origin === undefined ? this.baseUrl : this.options.origin;
    if (method !== 'GET' && origin && !this.options.bearer) headers.origin = origin;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      // A redirect is an answer to assert on, not something to follow.
      redirect: 'manual',
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('pmos_session='));
    if (setCookie) {
      const value = setCookie.split(';')[0]?.slice('pmos_session='.length) ?? '';
      this.cookie = value === '' ? null : value;
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (a stream, a page): keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }
}
