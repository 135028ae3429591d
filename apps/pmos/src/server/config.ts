import { PmosError } from '@pmos/core';
import { z } from 'zod';

/**
 * Every setting PMOS reads from the environment, validated once at start. A wrong value
 * stops start-up with one line naming the variable and what it expects.
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => ['true', '1', 'yes'].includes(value));

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be an integer between ${min} and ${max}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: `must be an integer between ${min} and ${max}` });

const envSchema = z.object({
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().min(1, { error: 'must be a host name or IP address' }).default('127.0.0.1'),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://pmos.example.com' })
    .optional(),
  DATABASE_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error: 'must be a postgres:// or postgresql:// URL, e.g. postgres://user:pass@host:5432/pmos',
    })
    .optional(),
  DATABASE_POOL_MAX: integer(1, 100).default(10),
  PMOS_DATA_DIR: z.string().min(1, { error: 'must be a folder path' }).default('.pmos'),
  PMOS_MASTER_KEY: z
    .string()
    .refine((value) => isBase64Key(value), {
      error: 'must be base64 of exactly 32 bytes (generate one with: openssl rand -base64 32)',
    })
    .optional(),
  PMOS_MASTER_KEY_PREVIOUS: z
    .string()
    .refine((value) => value.split(',').every((key) => isBase64Key(key.trim())), {
      error: 'must be a comma-separated list of base64 keys of exactly 32 bytes',
    })
    .optional(),
  PMOS_AUTO_MIGRATE: booleanFlag.default(true),
  PMOS_ENABLE_SHELL: booleanFlag.default(false),
  PMOS_TRUST_PROXY: z
    .string()
    .regex(/^(true|false|1|0|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, {
      error:
        'must be true, false, or a comma-separated list of proxy addresses (e.g. 127.0.0.1,10.0.0.0/8)',
    })
    .transform((value): boolean | string[] =>
      ['true', '1'].includes(value)
        ? true
        : ['false', '0'].includes(value)
          ? false
          : value.split(',').map((a) => a.trim()),
    )
    .default(false),
  PMOS_METRICS_TOKEN: z
    .string()
    .min(16, { error: 'must be at least 16 characters (generate one with: openssl rand -hex 24)' })
    .optional(),
  PMOS_PLUGINS_DIR: z.string().min(1, { error: 'must be a folder path' }).optional(),
  PMOS_PLUGIN_CONFIG: z
    .string()
    .transform((text, ctx) => {
      try {
        const value: unknown = JSON.parse(text);
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          return value as Record<string, unknown>;
        }
      } catch {}
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON object keyed by plugin id, like {"acme-tasks":{"region":"eu"}}',
      });
      return z.NEVER;
    })
    .optional(),
  PMOS_HTTP_PRIVATE_HOSTS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter((host) => host !== ''),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^(\[[0-9a-f:.]+\](:\d{1,5})?|[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*|[a-z0-9-]+(\.[a-z0-9-]+)*\.?(:\d{1,5})?)$/,
            {
              error:
                'must be a comma-separated list of host names or IP addresses, each with an optional :port (e.g. ollama.internal:11434,10.0.0.5)',
            },
          ),
      ),
    )
    .optional(),
  PMOS_RUN_WORKER: booleanFlag.default(true),
  PMOS_RUN_CONCURRENCY: integer(1, 1000).default(64),
  PMOS_RUN_TIMEOUT_SECONDS: integer(1, 86_400).default(600),
  PMOS_RUN_RETENTION_DAYS: integer(1, 3650).default(30),
  PMOS_RUN_STALE_SECONDS: integer(3, 3600).default(30),
  PMOS_SYNC_WEBHOOK_TIMEOUT_SECONDS: integer(1, 300).default(30),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

function isBase64Key(value: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32;
}

export interface Config {
  port: number;
  host: string;
  /** As configured; when unset it follows the port actually bound (see `publicUrlFor`). */
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  dataDir: string;
  masterKey: Buffer | undefined;
  /** Older master keys still accepted for unwrapping, while `pmos secrets rotate-master` runs. */
  previousMasterKeys: Buffer[];
  autoMigrate: boolean;
  /** The super_admin's server shell (`/api/admin/shell`); off unless PMOS_ENABLE_SHELL=1. */
  enableShell: boolean;
  /** Which proxies' X-Forwarded-For to believe (client IP for throttling, audit, rate limits). */
  trustProxy: boolean | string[];
  /** Bearer token for /metrics; without it, /metrics answers loopback clients only. */
  metricsToken: string | undefined;
  /** A folder of installed plugin packages, loaded besides the repository's plugins/ and examples/. */
  pluginsDir: string | undefined;
  /** Each plugin's instance configuration, by plugin id (checked against its configSchema). */
  pluginConfig: Record<string, unknown>;
  /**
   * Hosts (`name`, `name:port`, an IP, `[IPv6]:port`) that plugins allowed any public host
   * (`"*"`, like Core's HTTP request) may reach although they are loopback or private.
   */
  httpPrivateHosts: string[];
  runs: {
    /** Whether this process runs flows (`pmos start` with PMOS_RUN_WORKER=false serves only the API). */
    worker: boolean;
    /** Runs one worker runs at the same time. */
    concurrency: number;
    timeoutSeconds: number;
    retentionDays: number;
    /** A running run whose worker sent no heartbeat for this long is ended by the reaper. */
    staleSeconds: number;
    syncWebhookTimeoutSeconds: number;
  };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

export class ConfigError extends PmosError {
  constructor(
    readonly variable: string,
    expectation: string,
    received: string | undefined,
  ) {
    const got =
      received === undefined ? '' : ` (got ${JSON.stringify(secretSafe(variable, received))})`;
    super('invalid_configuration', `Invalid configuration: ${variable} ${expectation}${got}`);
    this.name = 'ConfigError';
  }
}

/** Never echo a secret back, even a malformed one. */
function secretSafe(variable: string, value: string): string {
  if (variable.startsWith('PMOS_MASTER_KEY') || variable === 'PMOS_METRICS_TOKEN') {
    return `${value.length} characters`;
  }
  if (variable === 'DATABASE_URL') return value.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set": shells and .env files often leave them blank.
  const present = Object.fromEntries(
    Object.keys(envSchema.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(variable, issue?.message ?? 'is invalid', present[variable]);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    dataDir: e.PMOS_DATA_DIR,
    masterKey: e.PMOS_MASTER_KEY ? Buffer.from(e.PMOS_MASTER_KEY, 'base64') : undefined,
    previousMasterKeys: (e.PMOS_MASTER_KEY_PREVIOUS ?? '')
      .split(',')
      .filter((key) => key.trim() !== '')
      .map((key) => Buffer.from(key.trim(), 'base64')),
    autoMigrate: e.PMOS_AUTO_MIGRATE,
    enableShell: e.PMOS_ENABLE_SHELL,
    metricsToken: e.PMOS_METRICS_TOKEN,
    trustProxy: e.PMOS_TRUST_PROXY,
    pluginsDir: e.PMOS_PLUGINS_DIR,
    pluginConfig: e.PMOS_PLUGIN_CONFIG ?? {},
    httpPrivateHosts: e.PMOS_HTTP_PRIVATE_HOSTS ?? [],
    runs: {
      worker: e.PMOS_RUN_WORKER,
      concurrency: e.PMOS_RUN_CONCURRENCY,
      timeoutSeconds: e.PMOS_RUN_TIMEOUT_SECONDS,
      retentionDays: e.PMOS_RUN_RETENTION_DAYS,
      staleSeconds: e.PMOS_RUN_STALE_SECONDS,
      syncWebhookTimeoutSeconds: e.PMOS_SYNC_WEBHOOK_TIMEOUT_SECONDS,
    },
    logLevel: e.LOG_LEVEL,
  };
}

export function publicUrlFor(config: Config, boundPort: number): string {
  return config.publicUrl ?? `http://localhost:${boundPort}`;
}
