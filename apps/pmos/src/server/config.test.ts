import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, publicUrlFor } from './config.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      databasePoolMax: 10,
      dataDir: '.pmos',
      autoMigrate: true,
      logLevel: 'info',
      masterKey: undefined,
      trustProxy: false,
    });
    expect(publicUrlFor(config, 3000)).toBe('http://localhost:3000');
  });

  it('reads every variable', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      PUBLIC_URL: 'https://pmos.example.com/',
      DATABASE_URL: 'postgresql://pmos:pw@db:5432/pmos',
      DATABASE_POOL_MAX: '20',
      PMOS_DATA_DIR: '/var/lib/pmos',
      PMOS_MASTER_KEY: key,
      PMOS_AUTO_MIGRATE: 'false',
      LOG_LEVEL: 'debug',
      PMOS_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      publicUrl: 'https://pmos.example.com',
      databaseUrl: 'postgresql://pmos:pw@db:5432/pmos',
      databasePoolMax: 20,
      dataDir: '/var/lib/pmos',
      autoMigrate: false,
      logLevel: 'debug',
      trustProxy: ['127.0.0.1', '10.0.0.0/8'],
    });
    expect(config.masterKey?.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(publicUrlFor(config, 8080)).toBe('https://pmos.example.com');
  });

  it('reads plugin settings, and refuses plugin configuration that is not a JSON object', () => {
    expect(
      loadConfig({
        PMOS_PLUGINS_DIR: '/srv/pmos-plugins',
        PMOS_PLUGIN_CONFIG: '{"acme-tasks":{"region":"eu"}}',
      }),
    ).toMatchObject({
      pluginsDir: '/srv/pmos-plugins',
      pluginConfig: { 'acme-tasks': { region: 'eu' } },
    });
    expect(loadConfig({}).pluginConfig).toEqual({});
    for (const bad of ['[1]', 'not json', '"text"']) {
      expect(() => loadConfig({ PMOS_PLUGIN_CONFIG: bad })).toThrow(
        /PMOS_PLUGIN_CONFIG must be a JSON object keyed by plugin id/,
      );
    }
  });

  it('reads the private hosts plugins allowed any host may reach, none by default', () => {
    expect(loadConfig({}).httpPrivateHosts).toEqual([]);
    expect(
      loadConfig({
        PMOS_HTTP_PRIVATE_HOSTS:
          'ollama.internal:11434, 10.0.0.5,Intranet.Acme,[::1]:8080,fd00::7,',
      }).httpPrivateHosts,
    ).toEqual(['ollama.internal:11434', '10.0.0.5', 'intranet.acme', '[::1]:8080', 'fd00::7']);
    for (const bad of ['http://ollama.internal', 'intranet/wiki', 'a b', 'host:123456']) {
      expect(() => loadConfig({ PMOS_HTTP_PRIVATE_HOSTS: bad })).toThrow(
        'Invalid configuration: PMOS_HTTP_PRIVATE_HOSTS must be a comma-separated list of host names or IP addresses, each with an optional :port (e.g. ollama.internal:11434,10.0.0.5)',
      );
    }
  });

  it('reads the run settings, with defaults', () => {
    expect(loadConfig({}).runs).toEqual({
      worker: true,
      concurrency: 64,
      timeoutSeconds: 600,
      retentionDays: 30,
      staleSeconds: 30,
      syncWebhookTimeoutSeconds: 30,
    });
    expect(
      loadConfig({
        PMOS_RUN_WORKER: 'false',
        PMOS_RUN_CONCURRENCY: '8',
        PMOS_RUN_TIMEOUT_SECONDS: '60',
        PMOS_RUN_RETENTION_DAYS: '7',
        PMOS_RUN_STALE_SECONDS: '10',
        PMOS_SYNC_WEBHOOK_TIMEOUT_SECONDS: '5',
      }).runs,
    ).toEqual({
      worker: false,
      concurrency: 8,
      timeoutSeconds: 60,
      retentionDays: 7,
      staleSeconds: 10,
      syncWebhookTimeoutSeconds: 5,
    });
    expect(() => loadConfig({ PMOS_RUN_STALE_SECONDS: '1' })).toThrow(
      'Invalid configuration: PMOS_RUN_STALE_SECONDS must be an integer between 3 and 3600 (got "1")',
    );
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
    });
  });

  it.each([
    [
      { PORT: 'abc' },
      'Invalid configuration: PORT must be an integer between 0 and 65535 (got "abc")',
    ],
    [
      { PORT: '70000' },
      'Invalid configuration: PORT must be an integer between 0 and 65535 (got "70000")',
    ],
    [
      { DATABASE_URL: 'mysql://x@y/z' },
      'Invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL',
    ],
    [{ PUBLIC_URL: 'ftp://x' }, 'Invalid configuration: PUBLIC_URL must be an http(s) URL'],
    [
      { LOG_LEVEL: 'loud' },
      'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ],
    [
      { PMOS_AUTO_MIGRATE: 'maybe' },
      'Invalid configuration: PMOS_AUTO_MIGRATE must be true or false',
    ],
    [
      { DATABASE_POOL_MAX: '0' },
      'Invalid configuration: DATABASE_POOL_MAX must be an integer between 1 and 100',
    ],
  ])('rejects %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrowError(ConfigError);
    expect(() => loadConfig(env)).toThrowError(message);
  });

  it('never echoes a secret back in its error', () => {
    const badKey = 'c2VjcmV0LWJ1dC10b28tc2hvcnQ=';
    expect(() => loadConfig({ PMOS_MASTER_KEY: badKey })).toThrowError(
      'Invalid configuration: PMOS_MASTER_KEY must be base64 of exactly 32 bytes (generate one with: openssl rand -base64 32) (got "28 characters")',
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://admin:hunter2@db/x' })).toThrowError(
      /admin:\*\*\*@db/,
    );
    try {
      loadConfig({ DATABASE_URL: 'mysql://admin:hunter2@db/x' });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter2');
    }
  });
});
