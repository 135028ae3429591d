import { BcgptError } from './errors.js';

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  attempts: number;
  /** Wait when BCGPT says retryable without a `retry_after_ms`, doubled each time. */
  baseDelayMs: number;
  /** Longest wait PMOS accepts; a longer `retry_after_ms` fails at once instead. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
};

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** A timer that ends early (rejecting with the abort reason) when the run is cancelled. */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Runs `work` again only when BCGPT marked the failure `retryable: true`, waiting its
 * `retry_after_ms` (or a doubling backoff), at most `policy.attempts` times in total.
 */
export async function withRetries<T>(
  work: () => Promise<T>,
  options: { signal: AbortSignal; sleep?: Sleep; policy?: RetryPolicy },
): Promise<T> {
  const policy = options.policy ?? defaultRetryPolicy;
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof BcgptError) || !error.retryable || attempt >= policy.attempts) {
        throw error;
      }
      const wait = error.retryAfterMs ?? policy.baseDelayMs * 2 ** (attempt - 1);
      if (wait > policy.maxDelayMs) throw error;
      await sleep(Math.max(0, wait), options.signal);
    }
  }
}
