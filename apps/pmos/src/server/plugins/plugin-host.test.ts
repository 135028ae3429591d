import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { mfNameOf, pluginLogger } from './plugin-host.js';

describe('plugin host helpers', () => {
  it('scrubs what a plugin logs, in the message and in the data', () => {
    const lines: string[] = [];
    const logger = pluginLogger(pino({ level: 'debug' }, { write: (l: string) => lines.push(l) }));
    logger.info('calling with Bearer abcdefghijklmnop', { apiKey: 'sk-1234567890', page: 2 });
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry.msg).toBe('calling with Bearer [redacted]');
    expect(entry.apiKey).toBe('[redacted]');
    expect(entry.page).toBe(2);
  });

  it('names a remote after its plugin id', () => {
    expect(mfNameOf('github-issues')).toBe('pmos_github_issues');
  });
});
