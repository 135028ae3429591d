import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  it('writes the first item at once and batches what arrives meanwhile', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number>(async (items) => {
      batches.push(items);
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    await Promise.all([1, 2, 3, 4].map((n) => commit.push(n)));
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('answers each item with its own result, rejecting only the items that failed', async () => {
    const commit = new GroupCommit<number, string>(async (items) =>
      items.map((n) => (n % 2 === 0 ? `even ${n}` : new Error(`odd ${n}`))),
    );
    const results = await Promise.allSettled([2, 3].map((n) => commit.push(n)));
    expect(results[0]).toEqual({ status: 'fulfilled', value: 'even 2' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: new Error('odd 3') });
  });

  it('rejects the whole batch when the write throws, then goes on with the next', async () => {
    let calls = 0;
    const commit = new GroupCommit<number>(async () => {
      calls++;
      if (calls === 1) throw new Error('database down');
    });
    await expect(commit.push(1)).rejects.toThrow('database down');
    await expect(commit.push(2)).resolves.toBeUndefined();
    await commit.idle();
  });
});
