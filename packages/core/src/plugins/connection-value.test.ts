import { auth, prop } from '@pmos/sdk/server';
import { describe, expect, it } from 'vitest';
import { authForPlugin } from './connection-value.js';
import { secretsIn } from './plugin-calls.js';

describe('secret fields of a custom connection', () => {
  const marked = auth.custom({
    props: {
      baseUrl: prop.shortText({ displayName: 'Address', required: true }),
      apiKey: prop.shortText({ displayName: 'Key', required: true, secret: true }),
      headers: prop.json({ displayName: 'Headers' }),
    },
  });
  const value = {
    baseUrl: 'https://bcgpt.example.com',
    apiKey: 'key-0123456789',
    headers: { 'x-extra': 'hdr-secret-value' },
  };

  it('scrubs only the secret fields (and JSON ones) once a field is marked secret', () => {
    const forPlugin = authForPlugin(marked, value);
    // The plugin sees the same value; the marker is invisible to it and to JSON.
    expect(forPlugin).toEqual(value);
    expect(JSON.parse(JSON.stringify(forPlugin))).toEqual(value);
    expect(Object.keys(forPlugin as object)).toEqual(['baseUrl', 'apiKey', 'headers']);
    expect(secretsIn(forPlugin).sort()).toEqual(['hdr-secret-value', 'key-0123456789']);
  });

  it('scrubs every field when none is marked secret', () => {
    const unmarked = auth.custom({
      props: {
        baseUrl: prop.shortText({ displayName: 'Address', required: true }),
        apiKey: prop.shortText({ displayName: 'Key', required: true }),
      },
    });
    const plain = { baseUrl: value.baseUrl, apiKey: value.apiKey };
    expect(secretsIn(authForPlugin(unmarked, plain)).sort()).toEqual(
      [value.apiKey, value.baseUrl].sort(),
    );
  });
});
