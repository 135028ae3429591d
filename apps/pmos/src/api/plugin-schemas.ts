import { z } from 'zod';

/**
 * Plugins, their contributions, and connections: the request and response bodies the
 * server declares and the web app (and plugin panels) read.
 */

export const pluginIdParam = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,63}$/, { error: 'Not a valid plugin id.' });

const contributesSchema = z.object({
  connectors: z.array(z.object({ id: z.string(), displayName: z.string() })),
  aiProviders: z.array(z.object({ id: z.string(), displayName: z.string() })),
  panels: z.array(
    z.object({ slot: z.string(), expose: z.string(), connector: z.string().optional() }),
  ),
});

const pluginBase = z.object({
  id: z.string(),
  displayName: z.string(),
  description: z.string().nullable(),
  version: z.string(),
  /** The @pmos/sdk range the plugin asks for. */
  sdk: z.string(),
  /** Outside hosts the plugin may reach: shown to admins before they enable it. */
  permissions: z.object({ hosts: z.array(z.string()) }),
  contributes: contributesSchema,
});

/** Every plugin the instance found, including the ones it refused and why. */
export const adminPluginSchema = pluginBase
  .extend({
    source: z.enum(['bundled', 'example', 'installed']),
    status: z.enum(['loaded', 'refused']),
    /** Why a refused plugin was not loaded, in plain language. */
    problem: z.string().nullable(),
    available: z.boolean(),
    enabledWorkspaces: z.number().int(),
  })
  .meta({ id: 'AdminPlugin' });

export const adminPluginListSchema = z
  .object({ data: z.array(adminPluginSchema), next: z.null() })
  .meta({ id: 'AdminPluginList' });

export const setAvailabilityBodySchema = z
  .object({ available: z.boolean({ error: 'available is true or false.' }) })
  .meta({ id: 'SetPluginAvailabilityRequest' });

/** A plugin the super admin made available, as a workspace sees it. */
export const workspacePluginSchema = pluginBase
  .extend({
    enabled: z.boolean(),
    enabledAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'WorkspacePlugin' });

export const workspacePluginListSchema = z
  .object({ data: z.array(workspacePluginSchema), next: z.null() })
  .meta({ id: 'WorkspacePluginList' });

export const setEnabledBodySchema = z
  .object({ enabled: z.boolean({ error: 'enabled is true or false.' }) })
  .meta({ id: 'SetPluginEnabledRequest' });

/** The UI remotes of the plugins enabled in a workspace, for the web host to load. */
export const pluginRemoteSchema = z
  .object({
    pluginId: z.string(),
    displayName: z.string(),
    version: z.string(),
    /** The module federation name of the remote, e.g. pmos_github_issues. */
    mfName: z.string(),
    /** Where its mf-manifest.json is served, e.g. /plugins/github-issues/0.1.0/mf-manifest.json. */
    manifestUrl: z.string(),
    panels: z.array(
      z.object({ slot: z.string(), expose: z.string(), connector: z.string().optional() }),
    ),
  })
  .meta({ id: 'PluginRemote' });

export const pluginRemoteListSchema = z
  .object({ data: z.array(pluginRemoteSchema) })
  .meta({ id: 'PluginRemoteList' });

const propsDescription = z.record(z.string(), z.record(z.string(), z.unknown()));

/** An auth kind, described for the connection form (no functions, no secrets). */
export const authDescriptionSchema = z
  .object({
    kind: z.enum(['none', 'secret_text', 'basic', 'custom', 'oauth2']),
    displayName: z.string().optional(),
    description: z.string().optional(),
    username: z.object({ displayName: z.string(), description: z.string().optional() }).optional(),
    password: z.object({ displayName: z.string(), description: z.string().optional() }).optional(),
    props: propsDescription.optional(),
    scopes: z.array(z.string()).optional(),
    /** OAuth2 only: PMOS connects `authorization_code`; `client_credentials` is not yet. */
    grantType: z.enum(['authorization_code', 'client_credentials']).optional(),
  })
  .meta({ id: 'AuthDescription' });

export const catalogSchema = z
  .object({
    connectors: z.array(
      z.object({
        pluginId: z.string(),
        pluginDisplayName: z.string(),
        /** The plugin's installed version: what a new step pins (`settings.pluginVersion`). */
        pluginVersion: z.string(),
        id: z.string(),
        displayName: z.string(),
        description: z.string().nullable(),
        auth: authDescriptionSchema,
        hasHealthCheck: z.boolean(),
        /**
         * The connector fronts a server of tools (an MCP server …): each connection's tools
         * can be marked safe, gated or blocked (…/connections/:connectionId/tools).
         */
        hasRemoteTools: z.boolean(),
        actions: z.array(
          z.object({
            id: z.string(),
            displayName: z.string(),
            description: z.string(),
            risk: z.enum(['read', 'write', 'destructive']),
            props: propsDescription,
            /** A sample of the output, for the Flow Studio's data picker before a first test. */
            sampleOutput: z.unknown().optional(),
          }),
        ),
        triggers: z.array(
          z.object({
            id: z.string(),
            displayName: z.string(),
            description: z.string(),
            strategy: z.enum(['webhook', 'polling', 'schedule', 'manual']),
            /** Whether the Flow Studio can load real events from it on request (a test). */
            testable: z.boolean(),
            props: propsDescription,
            /** A sample event, for the Flow Studio's data picker before a first test. */
            sampleOutput: z.unknown().optional(),
          }),
        ),
      }),
    ),
    aiProviders: z.array(
      z.object({
        pluginId: z.string(),
        pluginDisplayName: z.string(),
        id: z.string(),
        displayName: z.string(),
        description: z.string().nullable(),
        auth: authDescriptionSchema,
        hasHealthCheck: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'Catalog' });

export const connectionCheckSchema = z.object({
  ok: z.boolean(),
  /** Plain language from the connector's health check, or why it could not run. */
  message: z.string(),
  checkedAt: z.iso.datetime(),
});

export const connectionSchema = z
  .object({
    id: z.uuid(),
    pluginId: z.string(),
    connectorId: z.string(),
    displayName: z.string(),
    authKind: z.string(),
    /** Never the value: e.g. "••••3f9a", or the user name of basic auth. */
    mask: z.string(),
    status: z.enum(['healthy', 'failing', 'untested']),
    lastCheck: connectionCheckSchema.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Connection' });

export const connectionListSchema = z
  .object({ data: z.array(connectionSchema), next: z.null() })
  .meta({ id: 'ConnectionList' });

export const connectionQuerySchema = z.object({
  pluginId: pluginIdParam.optional(),
  connectorId: z.string().max(64).optional(),
});

const connectionName = z
  .string()
  .trim()
  .min(1, { error: 'Name the connection.' })
  .max(100, { error: 'Keep the name under 100 characters.' });

/**
 * The connection value by auth kind: secret_text → a string; basic → {username, password};
 * custom → the auth props' values; none → omitted.
 */
export const createConnectionBodySchema = z
  .object({
    pluginId: pluginIdParam,
    connectorId: z.string().min(1).max(64),
    displayName: connectionName,
    value: z.unknown().optional(),
  })
  .meta({ id: 'CreateConnectionRequest' });

export const updateConnectionBodySchema = z
  .object({ displayName: connectionName.optional(), value: z.unknown().optional() })
  .meta({ id: 'UpdateConnectionRequest' });

/** Asks a dropdown (or dynamic properties) of an action or trigger what it offers now. */
export const optionsBodySchema = z
  .object({
    connectorId: z.string().min(1).max(64),
    /** The action or trigger id. */
    stepId: z.string().min(1).max(64),
    prop: z.string().min(1).max(100),
    connectionId: z.uuid({ error: 'Not a valid connection id.' }).optional(),
    /** Current values of the other props. */
    props: z.record(z.string(), z.unknown()).default({}),
    searchValue: z.string().max(200).optional(),
  })
  .meta({ id: 'OptionsRequest' });

export const optionsResultSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('options'),
      options: z.array(z.object({ label: z.string(), value: z.unknown() })),
      disabled: z.boolean().optional(),
      placeholder: z.string().optional(),
    }),
    z.object({ kind: z.literal('props'), props: propsDescription }),
  ])
  .meta({ id: 'OptionsResult' });

/** Starts connecting an OAuth2 connector: the person is then sent to the provider. */
export const startOAuth2BodySchema = z
  .object({
    pluginId: pluginIdParam,
    connectorId: z.string().min(1).max(64),
    displayName: connectionName,
    clientId: z.string().trim().min(1, { error: 'Enter the client id.' }).max(500),
    clientSecret: z.string().max(2000).optional(),
    /** Values of the connector's extra auth fields (e.g. a subdomain). */
    props: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'StartOAuth2Request' });

export const startedOAuth2Schema = z
  .object({
    /** Open this in the browser: the provider's consent page. */
    authorizationUrl: z.string(),
    /** Register this as the redirect URI of the OAuth app at the provider. */
    redirectUri: z.string(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'StartedOAuth2' });

export const oauth2CallbackQuerySchema = z.object({
  state: z.string().min(1).max(200).optional(),
  code: z.string().min(1).max(4000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

export const modelsBodySchema = z
  .object({ connectionId: z.uuid({ error: 'Not a valid connection id.' }).optional() })
  .meta({ id: 'ModelsRequest' });

export const modelListSchema = z
  .object({
    data: z.array(
      z.object({
        id: z.string(),
        displayName: z.string(),
        contextWindow: z.number().int().optional(),
      }),
    ),
  })
  .meta({ id: 'ModelList' });
