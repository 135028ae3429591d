import {
  BcgptAuthError,
  type BcgptError,
  type BcgptErrorDetails,
  BcgptRequestError,
  BcgptServiceError,
  BcgptTransportError,
} from './errors.js';

/**
 * BCGPT's JSON-RPC `error` object. Its `code` is a string (`NOT_AUTHENTICATED`,
 * `COMPLETE_TODO_ERROR` …), not the integer JSON-RPC asks for; numbers are kept for
 * spec errors such as -32601 (unknown method) and -32602 (invalid params).
 */
export interface BcgptWireError {
  code: string | number;
  message?: string;
  category?: string;
  retryable?: boolean;
  action?: string;
  status?: number;
  retry_after_ms?: number;
  [key: string]: unknown;
}

/** The codes of BCGPT's error taxonomy (mcp.js `ERROR_TAXONOMY`) and what each means here. */
const inputCodes = new Set(['BAD_REQUEST', 'INVALID_INPUT', 'MISSING_FIELDS', 'MISSING_PARAM']);
const notFoundCodes = new Set(['RESOURCE_NOT_FOUND', 'NO_MATCH']);
const unavailableToolCodes = new Set(['TOOL_NOT_ENABLED', 'TOOL_UNAVAILABLE']);
const busyCodes = new Set([
  'BASECAMP_FETCH_FAILED',
  'BASECAMP_REQUEST_FAILED',
  'CIRCUIT_OPEN',
  'RESPONSE_TOO_LARGE',
]);

function said(wire: BcgptWireError): string {
  const text = typeof wire.message === 'string' ? wire.message.trim() : '';
  return text ? ` BCGPT says: "${text.slice(0, 300)}".` : '';
}

/** Turns BCGPT's error into the typed error a caller can branch on. */
export function toBcgptError(
  wire: BcgptWireError,
  tool: string | undefined,
  redact: (text: string) => string,
  connectUrl?: string,
): BcgptError {
  const bcgptCode = String(wire.code);
  const details: BcgptErrorDetails = {
    bcgptCode,
    category: typeof wire.category === 'string' ? wire.category : undefined,
    retryable: wire.retryable === true,
    retryAfterMs: typeof wire.retry_after_ms === 'number' ? wire.retry_after_ms : undefined,
    status: typeof wire.status === 'number' ? wire.status : undefined,
    tool,
  };
  const what = tool ? `"${tool}"` : 'the request';
  const tail = redact(said(wire));

  if (bcgptCode === 'NOT_AUTHENTICATED') {
    return new BcgptAuthError(
      'basecamp_not_linked',
      `BCGPT has no working Basecamp login for this API key: link Basecamp again${
        connectUrl ? ` at ${connectUrl}` : ' on the BCGPT connect page'
      }.${tail}`,
      details,
      connectUrl,
    );
  }
  if (bcgptCode === 'NO_ACCOUNT_ID') {
    return new BcgptAuthError(
      'no_basecamp_account',
      `BCGPT knows this key but no Basecamp account is selected for it: choose one on the BCGPT connect page.${tail}`,
      details,
      connectUrl,
    );
  }
  if (bcgptCode === '-32601' || unavailableToolCodes.has(bcgptCode)) {
    return new BcgptRequestError(
      'tool_unavailable',
      `BCGPT does not offer the tool ${what} on this server.${tail}`,
      details,
    );
  }
  if (bcgptCode === '-32602' || inputCodes.has(bcgptCode)) {
    return new BcgptRequestError(
      'invalid_input',
      `BCGPT did not accept the inputs of ${what}.${tail}`,
      details,
    );
  }
  if (notFoundCodes.has(bcgptCode) || (bcgptCode === 'BASECAMP_API_ERROR' && wire.status === 404)) {
    return new BcgptRequestError('not_found', `Basecamp could not find it.${tail}`, details);
  }
  if (bcgptCode === 'CONFIRM_REQUIRED') {
    return new BcgptRequestError(
      'confirmation_required',
      `BCGPT wants an explicit confirmation before it runs ${what}.${tail}`,
      details,
    );
  }
  const busyStatus = details.status === 429 || (details.status ?? 0) >= 500;
  if (details.retryable || busyCodes.has(bcgptCode) || busyStatus) {
    return new BcgptServiceError(
      'temporarily_unavailable',
      `Basecamp or BCGPT is busy or unavailable right now; try again in a moment.${tail}`,
      details,
    );
  }
  if (bcgptCode === 'BASECAMP_API_ERROR') {
    return new BcgptServiceError(
      'basecamp_error',
      `Basecamp refused ${what}${details.status ? ` (HTTP ${details.status})` : ''}.${tail}`,
      details,
    );
  }
  return new BcgptServiceError('tool_failed', `BCGPT could not run ${what}.${tail}`, details);
}

/** An HTTP answer that is not BCGPT's 200 + JSON. */
export function httpError(status: number, tool: string | undefined): BcgptError {
  if (status === 401 || status === 403) {
    return new BcgptAuthError(
      'invalid_api_key',
      'BCGPT refused the API key: it is wrong or was revoked. Copy your key again from the BCGPT connect page.',
      { status, tool },
    );
  }
  if (status === 429 || status >= 500) {
    return new BcgptServiceError(
      'temporarily_unavailable',
      `BCGPT is busy or unavailable right now (HTTP ${status}); try again in a moment.`,
      { status, tool, retryable: false },
    );
  }
  return new BcgptTransportError(
    'invalid_response',
    `BCGPT answered with HTTP ${status} instead of a JSON-RPC reply: check the BCGPT address.`,
    { status, tool },
  );
}
