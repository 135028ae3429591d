import { type LoadedPlugin, pluginFetch } from '@pmos/core';
import { PrivateHostError } from '@pmos/sdk/server';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { mfNameOf, pluginCallOptions, pluginLogger, startPluginHost } from './plugin-host.js';

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

describe('the network rule of plugin calls', () => {
  const anyHostPlugin = {
    id: 'core',
    manifest: { displayName: 'Core', permissions: { hosts: ['*'] } },
  } as unknown as LoadedPlugin;

  it('hands PMOS_HTTP_PRIVATE_HOSTS to every plugin call', async () => {
    const seen: string[] = [];
    const fake: typeof fetch = async (input) => {
      seen.push((input as Request).url);
      return new Response('ok');
    };
    const host = await startPluginHost({
      roots: [],
      logger: pino({ level: 'silent' }),
      fetch: fake,
      privateHostsAllowed: ['127.0.0.1:11434'],
    });
    expect(pluginCallOptions(host, { timeoutMs: 5000 })).toEqual({
      fetch: fake,
      privateHostsAllowed: ['127.0.0.1:11434'],
      timeoutMs: 5000,
    });
    const http = pluginFetch(anyHostPlugin, pluginCallOptions(host));
    await http('http://127.0.0.1:11434/api/tags');
    await expect(http('http://127.0.0.1:5432/')).rejects.toBeInstanceOf(PrivateHostError);
    expect(seen).toEqual(['http://127.0.0.1:11434/api/tags']);
  });

  it('allows no private host when the variable is unset', async () => {
    const http = pluginFetch(anyHostPlugin, pluginCallOptions({ registry: null as never, fetch }));
    await expect(http('http://169.254.169.254/latest/meta-data/')).rejects.toBeInstanceOf(
      PrivateHostError,
    );
  });
});
