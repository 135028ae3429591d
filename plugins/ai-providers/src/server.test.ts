import { definePlugin, describeProps, parseProps } from '@pmos/sdk/server';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import plugin, { aiProviders } from './server.js';

describe('the ai-providers plugin', () => {
  it('matches package.json and contributes the four providers', () => {
    expect(plugin).toMatchObject({
      id: pkg.pmos.id,
      version: pkg.version,
      sdk: pkg.pmos.sdk,
      permissions: { hosts: pkg.pmos.permissions.hosts },
    });
    expect(plugin.contributes.aiProviders?.map((p) => p.id)).toEqual([
      'openai',
      'anthropic',
      'google',
      'openai-compatible',
    ]);
    // The host checks the definition again with its own SDK copy.
    expect(() => definePlugin(plugin)).not.toThrow();
  });

  it('gives every provider an explainer for model-call failures', () => {
    for (const provider of aiProviders) {
      expect(provider.explainError(new Error('boom')).message).toMatch(/failed: boom\.$/);
    }
  });

  it('asks hosted providers for a secret key and an optional base URL', () => {
    const [openai] = aiProviders;
    if (openai?.auth.kind !== 'custom') throw new Error('expected a custom auth');
    expect(describeProps(openai.auth.props)).toMatchObject({
      apiKey: { kind: 'short_text', required: true, secret: true },
      baseUrl: { kind: 'short_text', required: false },
    });
    expect(parseProps(openai.auth.props, { apiKey: 'sk-1' })).toEqual({ apiKey: 'sk-1' });
  });

  it('asks an OpenAI-compatible server for a base URL, the key optional, with the private-host note', () => {
    const compatible = aiProviders.find((p) => p.id === 'openai-compatible');
    if (compatible?.auth.kind !== 'custom') throw new Error('expected a custom auth');
    const form = describeProps(compatible.auth.props);
    expect(form).toMatchObject({
      privateHosts: { kind: 'markdown', text: expect.stringContaining('PMOS_HTTP_PRIVATE_HOSTS') },
      baseUrl: { kind: 'short_text', required: true },
      apiKey: { kind: 'short_text', required: false, secret: true },
    });
    expect(parseProps(compatible.auth.props, { baseUrl: 'http://127.0.0.1:11434/v1' })).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
    });
  });
});
