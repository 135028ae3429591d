import { defineAction, prop } from '@pmos/sdk/server';

export const maxDelaySeconds = 300;

export interface DelayOutput {
  delayedSeconds: number;
  /** When the flow went on, as an ISO 8601 timestamp. */
  resumedAt: string;
}

/** A delay outside what this step can wait. */
export class DelayError extends Error {
  readonly code = 'invalid_delay';
  constructor(message: string) {
    super(message);
    this.name = 'DelayError';
  }
}

export const delay = defineAction({
  id: 'delay',
  displayName: 'Delay',
  description: `Waits a number of seconds (at most ${maxDelaySeconds}, 5 minutes) before the flow goes on. Longer waits — hours, days, until a date — are not supported by this step.`,
  risk: 'read',
  props: {
    seconds: prop.number({
      displayName: 'Seconds',
      description: `From 0 to ${maxDelaySeconds}.`,
      required: true,
    }),
  },
  sampleOutput: { delayedSeconds: 30, resumedAt: '2026-01-05T09:30:30.000Z' } satisfies DelayOutput,
  async run(ctx): Promise<DelayOutput> {
    const seconds = ctx.props.seconds;
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > maxDelaySeconds) {
      throw new DelayError(
        `A delay is from 0 to ${maxDelaySeconds} seconds (got ${seconds}); longer waits are not supported by this step.`,
      );
    }
    await sleep(seconds * 1000, ctx.signal);
    return { delayedSeconds: seconds, resumedAt: new Date().toISOString() };
  },
});

/** Resolves after `ms`, or rejects as soon as `signal` aborts (a cancelled run stops here). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
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
}
