import { InvalidPropsError } from '@pmos/sdk/server';
import { runAction } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import { dataMapper, MappingError } from './data-mapper.js';

describe('data_mapper', () => {
  it('returns the mapping as PMOS resolved it, nested values included', async () => {
    const mapping = {
      customer: { email: 'ada@example.com', name: 'Ada' },
      total: 129.5,
      items: [{ sku: 'A-1', qty: 2 }],
      paid: true,
    };
    const result = await runAction(dataMapper, { props: { mapping } });
    expect(result.output).toEqual(mapping);
    expect(result.calls).toEqual([]);
    expect(dataMapper.risk).toBe('read');
  });

  it.each([
    [[1, 2], 'a list'],
    ['{{step_1.body}}', 'a string'],
    [42, 'a number'],
    [null, 'null'],
  ])('refuses a mapping that is not an object (%o)', async (mapping, what) => {
    const failing = runAction(dataMapper, { props: { mapping } });
    await expect(failing).rejects.toBeInstanceOf(MappingError);
    await expect(failing).rejects.toThrow(`(got ${what})`);
  });

  it('asks for a mapping', async () => {
    await expect(runAction(dataMapper, { props: {} })).rejects.toBeInstanceOf(InvalidPropsError);
  });
});
