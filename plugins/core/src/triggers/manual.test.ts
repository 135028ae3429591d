import { runTrigger } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import { manual } from './manual.js';

describe('manual trigger', () => {
  it('starts with the payload given to the run', async () => {
    const { events } = await runTrigger(manual, {
      props: { samplePayload: { customer: 'sample' } },
      payload: { customer: 'ada@example.com' },
    });
    expect(events).toEqual([{ customer: 'ada@example.com' }]);
  });

  it('falls back to the sample payload, then to an empty object', async () => {
    expect((await runTrigger(manual, { props: { samplePayload: [1, 2] } })).events).toEqual([
      [1, 2],
    ]);
    expect((await runTrigger(manual)).events).toEqual([{}]);
    expect(manual.strategy).toBe('manual');
  });
});
