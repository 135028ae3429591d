import { errorBodySchema } from '../../api/schemas.js';

/** An error answer of the PMOS API: `message` is written for people, `code` for code. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  /** Seconds until a throttled request may be retried (429). */
  readonly retryAfterSeconds: number | undefined;

  constructor(options: {
    status: number;
    code: string;
    message: string;
    details?: Record<string, unknown> | undefined;
    retryAfterSeconds?: number | undefined;
  }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** Per-field messages of a 400 `invalid_request`: field name → message. */
  get fields(): Record<string, string> {
    const fields = this.details?.fields;
    if (!fields || typeof fields !== 'object') return {};
    return Object.fromEntries(
      Object.entries(fields).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** The sentence to show a person for any error, throttling included. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.code === 'too_many_attempts' && error.retryAfterSeconds !== undefined) {
      const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
      return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
    }
    return error.message;
  }
  if (error instanceof TypeError) {
    return 'The PMOS server does not answer. Check your connection and try again.';
  }
  return 'Something went wrong. Try again.';
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Sends a request to the PMOS API on this origin with the session cookie. Resolves with the
 * parsed JSON body (undefined for 204) and throws `ApiError` for every non-2xx answer.
 * Unsafe methods carry the browser's Origin header, which the server's CSRF check reads.
 */
export async function api<T>(
  method: Method,
  path: string,
  body?: unknown,
  init?: { signal?: AbortSignal },
): Promise<T> {
  const response = await request(method, path, body, init?.signal);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Like `api` but hands back the raw response, for streamed bodies. */
export async function request(
  method: Method,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? null : JSON.stringify(body),
    signal: signal ?? null,
  });
  if (!response.ok) throw await toApiError(response);
  return response;
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfterHeader = Number(response.headers.get('retry-after'));
  let parsed: ReturnType<typeof errorBodySchema.safeParse> | undefined;
  try {
    parsed = errorBodySchema.safeParse(await response.json());
  } catch {
    parsed = undefined;
  }
  const error = parsed?.success ? parsed.data.error : undefined;
  const detailRetry = error?.details?.retryAfterSeconds;
  return new ApiError({
    status: response.status,
    code: error?.code ?? `http_${response.status}`,
    message: error?.message ?? fallbackMessage(response.status),
    details: error?.details,
    retryAfterSeconds:
      typeof detailRetry === 'number'
        ? detailRetry
        : Number.isFinite(retryAfterHeader) && retryAfterHeader > 0
          ? retryAfterHeader
          : undefined,
  });
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Sign in again.';
  if (status === 403) return 'You do not have permission to do that.';
  if (status === 404) return 'That was not found. It may have been removed.';
  if (status >= 500) return 'The server ran into a problem. Try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}
