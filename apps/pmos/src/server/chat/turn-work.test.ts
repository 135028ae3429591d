import { describe, expect, it, vi } from 'vitest';
import { TurnWork } from './turn-work.js';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TurnWork', () => {
  it('runs a second piece for the same turn after the first, and idle waits for both', async () => {
    const work = new TurnWork(() => {});
    const order: string[] = [];
    work.add('t1', async () => {
      await later(30);
      order.push('first');
    });
    // The second piece would end at once (its claim fails): it must not hide the first.
    work.add('t1', async () => {
      order.push('second');
    });
    expect(work.has('t1')).toBe(true);
    await work.idle();
    expect(order).toEqual(['first', 'second']);
    expect(work.has('t1')).toBe(false);
  });

  it('runs different turns side by side', async () => {
    const work = new TurnWork(() => {});
    const order: string[] = [];
    work.add('slow', async () => {
      await later(30);
      order.push('slow');
    });
    work.add('fast', async () => {
      order.push('fast');
    });
    await work.idle();
    expect(order).toEqual(['fast', 'slow']);
  });

  it('reports a crash and goes on with the next piece', async () => {
    const crashed = vi.fn();
    const work = new TurnWork(crashed);
    const ran = vi.fn();
    work.add('t1', async () => {
      throw new Error('boom');
    });
    work.add('t1', async () => ran());
    await work.idle();
    expect(crashed).toHaveBeenCalledWith(expect.objectContaining({ message: 'boom' }), 't1');
    expect(ran).toHaveBeenCalledOnce();
  });

  it('aborts every piece, queued ones included, and waits for them', async () => {
    const work = new TurnWork(() => {});
    const seen: boolean[] = [];
    work.add(
      't1',
      (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve())),
    );
    work.add('t1', async (signal) => {
      seen.push(signal.aborted);
    });
    await work.abortAll(new Error('server stopping'));
    expect(seen).toEqual([true]);
    expect(work.has('t1')).toBe(false);
  });
});
