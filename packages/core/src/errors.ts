/**
 * The one error type PMOS code throws on purpose. `code` is stable and machine-readable
 * (snake_case), `message` is written for a person, `status` is the HTTP status the API
 * answers with. The brand survives duplicate package copies, unlike `instanceof`.
 */
const brand = Symbol.for('pmos.error');

export interface PmosErrorOptions {
  status?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class PmosError extends Error {
  readonly [brand] = true;
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: PmosErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PmosError';
    this.code = code;
    this.status = options.status ?? 500;
    this.details = options.details;
  }
}

export function isPmosError(value: unknown): value is PmosError {
  return typeof value === 'object' && value !== null && brand in value;
}

/** Each error code of a module with its HTTP status and default message for a person. */
export type ErrorCatalogue<Code extends string> = Record<Code, readonly [number, string]>;

/** A module's errors, built from its catalogue: code → status and default message. */
export abstract class CataloguedError<Code extends string> extends PmosError {
  constructor(
    catalogue: ErrorCatalogue<Code>,
    code: Code,
    options: { message?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    const [status, message] = catalogue[code];
    super(code, options.message ?? message, {
      status,
      details: options.details,
      cause: options.cause,
    });
  }
}
