import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import { Connections, type MikroORM, type RateLimiter, type SecretsVault } from '@pmos/core';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { RouteAccess } from './auth/access.js';
import { registerCsrfDefence } from './auth/csrf.js';
import { registerAccessGuard } from './auth/guard.js';
import { registerRequestAuth } from './auth/request-auth.js';
import { registerTenantTransactions } from './auth/tenant-transaction.js';
import { ChatRuntime, type ChatRuntimeOptions } from './chat/chat-runtime.js';
import type { Config } from './config.js';
import { registerErrorHandling } from './errors.js';
import { registerMetrics } from './metrics.js';
import { registerOpenApi } from './openapi.js';
import type { PluginHost } from './plugins/plugin-host.js';
import { registerRateLimit } from './rate-limit.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerApiTokenRoutes } from './routes/api-tokens.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerChatRoutes } from './routes/chat.js';
import { registerConnectionRoutes } from './routes/connections.js';
import { registerFlowSyncRoutes } from './routes/flow-sync.js';
import { registerFlowRoutes } from './routes/flows.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerWebhookRoutes } from './routes/hooks.js';
import { registerInviteRoutes } from './routes/invites.js';
import { registerLimitRoutes } from './routes/limits.js';
import { registerPluginRoutes } from './routes/plugins.js';
import { registerRunRoutes } from './routes/runs.js';
import { registerSecretRoutes } from './routes/secrets.js';
import { registerShellRoutes } from './routes/shell.js';
import { registerStepTestRoutes } from './routes/step-tests.js';
import { registerToolMarkRoutes } from './routes/tool-marks.js';
import { registerWebApp } from './routes/web.js';
import { registerWorkspaceRoutes } from './routes/workspaces.js';
import type { RunsRuntime } from './runs/runtime.js';
import { FlowSyncService } from './sync/flow-sync-service.js';
import { startSyncPoller } from './sync/sync-poller.js';

export interface AppOptions {
  orm: MikroORM;
  logger: FastifyBaseLogger;
  config: Pick<Config, 'publicUrl' | 'enableShell'> &
    Partial<Pick<Config, 'metricsToken' | 'trustProxy'>>;
  vault: SecretsVault;
  /** Embedded mode: the data directory holding master.key (the admin API rotates it). */
  masterKeyFileDir?: string;
  rateLimiter: RateLimiter;
  /** The plugins loaded at start (see startPluginHost). */
  plugins: PluginHost;
  /** Folder with the built web app (`index.html` + assets). */
  webRoot: string;
  /** The run queue (and worker) of this process; without it, starting runs answers 503. */
  runs?: RunsRuntime;
  /** Called on schedule-relevant flow changes (enable, disable, publish, delete). */
  onFlowLifecycle?: (workspaceId: string, flowId: string) => Promise<void>;
  /** After a plugin is toggled in a workspace (or on the instance: null): triggers follow. */
  onPluginToggled?: (workspaceId: string | null, pluginId: string) => Promise<void>;
  /** Flow sync timings; `poll: false` leaves polling to the tests. */
  flowSync?: { callTimeoutMs?: number; leaseWaitMs?: number; poll?: boolean };
  /** Chat timings and (in tests) a scripted model; the agent runs in this process. */
  chat?: Partial<
    Pick<
      ChatRuntimeOptions,
      | 'modelResolver'
      | 'maxSteps'
      | 'approvalTtlSeconds'
      | 'maxActiveTools'
      | 'sweepIntervalMs'
      | 'leaseSeconds'
    >
  >;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: readonly RegisteredRoute[];
    chat: ChatRuntime;
    flowSync: FlowSyncService;
  }
}

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/;

/** Builds the HTTP server; starting, stopping and the database belong to the caller. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { orm, config } = options;
  const app = Fastify({
    loggerInstance: options.logger,
    // Keep a caller's request id (proxies, tracing) when it is well-formed; else mint one.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming)
        ? incoming
        : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy ?? false,
  });
  // Every route as registered, with its declared access: the route-enforcement test reads it.
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      // Read lazily: later onRoute hooks (the API reference's) may still set the access.
      routes.push({
        method,
        url: route.url,
        get access() {
          return route.config?.access;
        },
      });
    }
  });
  // The API speaks JSON only: anything else is a 415, not a string for the validator.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Baseline browser hardening for every response: no MIME sniffing, no framing by other
    // sites (clickjacking), no full URLs (invite tokens!) leaked in Referer headers.
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
  });
  registerErrorHandling(app);
  registerMetrics(app, { rateLimiter: options.rateLimiter, token: config.metricsToken });

  // Order matters: cookies parsed → forged writes refused → caller resolved → access checked
  // → rate counted → workspace requests enter their row-level-security transaction.
  await app.register(cookie);
  registerCsrfDefence(app, config.publicUrl);
  registerRequestAuth(app, orm);
  registerAccessGuard(app);
  registerRateLimit(app, options.rateLimiter);
  registerTenantTransactions(app);

  await registerOpenApi(app);
  registerHealthRoutes(app, orm);
  registerAuthRoutes(app, { orm, secureCookies: config.publicUrl?.startsWith('https:') ?? false });
  registerWorkspaceRoutes(app, { publicUrl: config.publicUrl });
  registerInviteRoutes(app);
  registerApiTokenRoutes(app);
  registerAuditRoutes(app);
  registerSecretRoutes(app, options.vault, { masterKeyFileDir: options.masterKeyFileDir });
  registerLimitRoutes(app, options.rateLimiter);
  registerPluginRoutes(app, options.plugins, options.onPluginToggled);
  const connections = new Connections(options.vault);
  registerStepTestRoutes(app, options.plugins, connections);
  registerToolMarkRoutes(app, options.plugins, connections);
  registerConnectionRoutes(app, options.plugins, connections, {
    vault: options.vault,
    publicUrl: config.publicUrl,
  });
  const flowSync = new FlowSyncService({
    orm,
    host: options.plugins,
    connections,
    logger: app.log,
    ...options.flowSync,
  });
  app.decorate('flowSync', flowSync);
  // The poller needs the job queue; without it (tests without runs) sync is on demand only.
  const runsQueue = options.runs?.queue;
  if (runsQueue && options.flowSync?.poll !== false) {
    app.addHook('onReady', async () => startSyncPoller(runsQueue, flowSync, app.log));
  }
  registerFlowRoutes(app, options.plugins, options.onFlowLifecycle, (workspaceId, flowId) =>
    flowSync.pushSoon(workspaceId, flowId),
  );
  registerFlowSyncRoutes(app, flowSync);
  registerRunRoutes(app, options.plugins, options.rateLimiter, options.runs);
  const chat = new ChatRuntime({
    orm,
    host: options.plugins,
    connections,
    limiter: options.rateLimiter,
    logger: app.log,
    ...(options.runs ? { runs: options.runs } : {}),
    ...(options.onFlowLifecycle ? { onFlowLifecycle: options.onFlowLifecycle } : {}),
    onFlowEdited: (workspaceId: string, flowId: string) => flowSync.pushSoon(workspaceId, flowId),
    ...options.chat,
  });
  app.decorate('chat', chat);
  app.addHook('onReady', async () => chat.start());
  app.addHook('onClose', async () => chat.stop());
  registerChatRoutes(app, {
    host: options.plugins,
    connections,
    limiter: options.rateLimiter,
    chat,
  });
  await registerWebhookRoutes(app, orm, options.rateLimiter, options.runs, options.plugins);
  registerAdminRoutes(app, { shellEnabled: config.enableShell });
  registerShellRoutes(app, { enabled: config.enableShell });
  await registerWebApp(app, options.webRoot);
  return app;
}
