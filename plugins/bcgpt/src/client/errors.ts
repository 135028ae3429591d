/**
 * Every failure of a BCGPT call becomes a `BcgptError` subclass with a stable snake_case
 * `code` and a sentence a person can act on. BCGPT's own string code (`NOT_AUTHENTICATED`,
 * `COMPLETE_TODO_ERROR` …) is kept in `bcgptCode`; the API key never appears in a message.
 */

export type BcgptErrorCode =
  /** BCGPT does not know the API key (HTTP 401/403 or `connected: false`). */
  | 'invalid_api_key'
  /** The key is valid but no Basecamp account is linked to it, or the link expired. */
  | 'basecamp_not_linked'
  /** The linked Basecamp login has no account selected. */
  | 'no_basecamp_account'
  | 'invalid_input'
  | 'not_found'
  /** The tool is unknown, or not enabled on this BCGPT deployment. */
  | 'tool_unavailable'
  /** BCGPT asks for an explicit confirmation before it does this. */
  | 'confirmation_required'
  /** Basecamp or BCGPT is busy or down for now (BCGPT marked it retryable). */
  | 'temporarily_unavailable'
  /** Basecamp refused or failed the request for another reason. */
  | 'basecamp_error'
  /** A tool failed with its own code, e.g. `COMPLETE_TODO_ERROR`. */
  | 'tool_failed'
  /** No answer from BCGPT at all (DNS, TLS, refused connection, timeout). */
  | 'unreachable'
  /** BCGPT answered with something that is not its JSON-RPC shape. */
  | 'invalid_response';

export interface BcgptErrorDetails {
  /** BCGPT's own error code, when it sent one. */
  bcgptCode?: string;
  /** BCGPT's `category` (`auth`, `input`, `network` …). */
  category?: string;
  retryable?: boolean;
  /** How long BCGPT asked to wait before a retry. */
  retryAfterMs?: number;
  /** The HTTP status BCGPT (or Basecamp behind it) reported. */
  status?: number;
  /** The tool that was called. */
  tool?: string;
}

export class BcgptError extends Error {
  readonly bcgptCode: string | undefined;
  readonly category: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly tool: string | undefined;

  constructor(
    readonly code: BcgptErrorCode,
    message: string,
    details: BcgptErrorDetails = {},
  ) {
    super(message);
    this.name = 'BcgptError';
    this.bcgptCode = details.bcgptCode;
    this.category = details.category;
    this.retryable = details.retryable ?? false;
    this.retryAfterMs = details.retryAfterMs;
    this.status = details.status;
    this.tool = details.tool;
  }
}

/** The key is wrong, or Basecamp is not (or no longer) linked: a person must act. */
export class BcgptAuthError extends BcgptError {
  constructor(
    code: 'invalid_api_key' | 'basecamp_not_linked' | 'no_basecamp_account',
    message: string,
    details: BcgptErrorDetails = {},
    /** Where to link or re-link Basecamp, without the API key in it. */
    readonly connectUrl?: string,
  ) {
    super(code, message, details);
    this.name = 'BcgptAuthError';
  }
}

/** The call itself was refused: bad input, nothing found, a tool that is not there. */
export class BcgptRequestError extends BcgptError {
  constructor(
    code: 'invalid_input' | 'not_found' | 'tool_unavailable' | 'confirmation_required',
    message: string,
    details: BcgptErrorDetails = {},
  ) {
    super(code, message, details);
    this.name = 'BcgptRequestError';
  }
}

/** BCGPT or Basecamp failed to do it: busy, down, or a tool's own failure. */
export class BcgptServiceError extends BcgptError {
  constructor(
    code: 'temporarily_unavailable' | 'basecamp_error' | 'tool_failed',
    message: string,
    details: BcgptErrorDetails = {},
  ) {
    super(code, message, details);
    this.name = 'BcgptServiceError';
  }
}

/** Nothing usable came back: no connection, or not BCGPT's JSON shape. */
export class BcgptTransportError extends BcgptError {
  constructor(
    code: 'unreachable' | 'invalid_response',
    message: string,
    details: BcgptErrorDetails = {},
  ) {
    super(code, message, details);
    this.name = 'BcgptTransportError';
  }
}

/** Removes every occurrence of the API key from a text that may be shown or logged. */
export function redactKey(text: string, apiKey: string): string {
  return apiKey.length >= 4 ? text.split(apiKey).join('***') : text;
}
