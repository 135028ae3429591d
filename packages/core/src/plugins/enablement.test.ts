import { describe, expect, it } from 'vitest';
import { isEnabledIn } from './enablement.js';
import type { HostedPlugin } from './loader.js';

const plugin = (source: 'bundled' | 'installed' | 'example', enabledByDefault: boolean) =>
  ({
    id: 'p',
    source,
    status: 'loaded',
    manifest: { enabledByDefault },
  }) as unknown as HostedPlugin;

describe('isEnabledIn', () => {
  it('turns on by default only bundled plugins that ask for it', () => {
    expect(isEnabledIn(plugin('bundled', true), undefined)).toBe(true);
    expect(isEnabledIn(plugin('bundled', false), undefined)).toBe(false);
    expect(isEnabledIn(plugin('installed', true), undefined)).toBe(false);
    expect(isEnabledIn(plugin('example', true), undefined)).toBe(false);
  });

  it("follows the workspace's own switch once it has one", () => {
    const off = { enabled: false, updatedAt: new Date() };
    const on = { enabled: true, updatedAt: new Date() };
    expect(isEnabledIn(plugin('bundled', true), off)).toBe(false);
    expect(isEnabledIn(plugin('installed', false), on)).toBe(true);
  });
});
