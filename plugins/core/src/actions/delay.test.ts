import { runAction } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import { DelayError, delay } from './delay.js';

describe('delay', () => {
  it('waits, then says how long and when the flow went on', async () => {
    const started = Date.now();
    const result = await runAction(delay, { props: { seconds: 0.05 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(result.output.delayedSeconds).toBe(0.05);
    expect(Date.parse(result.output.resumedAt)).toBeGreaterThanOrEqual(started + 45);
  });

  it('goes on at once for 0 seconds', async () => {
    expect((await runAction(delay, { props: { seconds: 0 } })).output.delayedSeconds).toBe(0);
  });

  it('stops promptly when the run is cancelled', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = runAction(delay, { props: { seconds: 300 }, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('The run was cancelled.')), 20);
    await expect(waiting).rejects.toThrow('The run was cancelled.');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('does not start when the run is already cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled before'));
    await expect(
      runAction(delay, { props: { seconds: 10 }, signal: controller.signal }),
    ).rejects.toThrow('cancelled before');
  });

  it.each([301, -1, 3600])(
    'refuses %s seconds, saying longer waits are not supported',
    async (seconds) => {
      const failing = runAction(delay, { props: { seconds } });
      await expect(failing).rejects.toBeInstanceOf(DelayError);
      await expect(failing).rejects.toThrow(
        `A delay is from 0 to 300 seconds (got ${seconds}); longer waits are not supported by this step.`,
      );
    },
  );
});
