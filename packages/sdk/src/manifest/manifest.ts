import semver from 'semver';
import { z } from 'zod';
import { panelSlots } from '../slots.js';
import { sdkVersion } from '../version.js';

/**
 * The `pmos` block of a plugin's package.json: what the host reads before it loads any
 * plugin code — who the plugin is, which SDK it was written for, what it contributes and
 * which outside hosts it may reach. Validated with one schema, errors naming the field.
 */
export const pluginIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, {
  error: 'must be 2–64 characters: a-z, 0-9 and "-", starting with a letter',
});

const relativePath = z
  .string()
  .regex(/^\.\/[\w./-]+$/, {
    error: 'must be a relative path inside the package, like ./dist/server.js',
  })
  .refine((path) => !path.split('/').includes('..'), { error: 'must not leave the package' });

/** A host `ctx.http` may reach; `*` alone means any public host (see `boundFetch`). */
export const hostSchema = z.string().regex(/^(\*|(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(:\d{1,5})?)$/i, {
  error:
    'must be a host name like api.example.com or *.example.com (no scheme, no path), or * for any public host',
});

export { panelSlots };

/** A UI panel a plugin contributes: where it shows, and which exposed module renders it. */
export const panelSchema = z.object({
  slot: z.enum(panelSlots, { error: `must be one of ${panelSlots.join(', ')}` }),
  expose: z
    .string()
    .regex(/^\.\/[A-Za-z][\w-]*$/, { error: 'must be an exposed module like ./Panel' }),
  /** For connector slots: the connector the panel belongs to (else it shows for each). */
  connector: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,63}$/, { error: 'must be a connector id of this plugin' })
    .optional(),
});

export const pluginManifestSchema = z.object({
  id: pluginIdSchema,
  displayName: z.string().trim().min(1, { error: 'must not be empty' }).max(80),
  description: z.string().trim().max(500).optional(),
  sdk: z.string().refine((range) => semver.validRange(range) !== null, {
    error: 'must be a semver range of @pmos/sdk, like ^0.1.0',
  }),
  server: z.object({ entry: relativePath }).optional(),
  ui: z
    .object({
      /** The module federation manifest of the plugin's UI remote. */
      manifest: relativePath,
      panels: z.array(panelSchema),
    })
    .optional(),
  permissions: z
    .object({
      /** Outside hosts `ctx.http` may reach; every other host is refused. `*`: any public host. */
      hosts: z.array(hostSchema).default([]),
    })
    .default({ hosts: [] }),
  /** JSON Schema of the plugin's instance configuration. */
  configSchema: z.record(z.string(), z.unknown()).optional(),
  /**
   * Bundled plugins only: on in every workspace until its admin turns it off (steps that need
   * no account, like Core's). Ignored for installed and example plugins.
   */
  enabledByDefault: z.boolean().default(false),
});

export type PluginManifest = z.infer<typeof pluginManifestSchema>;

export class ManifestError extends Error {
  readonly code = 'invalid_plugin_manifest';
  constructor(
    readonly packageName: string,
    readonly problems: string[],
  ) {
    super(`Plugin ${packageName} has an invalid "pmos" manifest: ${problems.join('; ')}`);
    this.name = 'ManifestError';
  }
}

/** Reads the `pmos` block of a package.json object, or explains why it cannot be used. */
export function parsePluginManifest(packageJson: {
  name?: unknown;
  pmos?: unknown;
}): PluginManifest {
  const name = typeof packageJson.name === 'string' ? packageJson.name : '(unnamed package)';
  if (packageJson.pmos === undefined)
    throw new ManifestError(name, ['package.json has no "pmos" block']);
  const result = pluginManifestSchema.safeParse(packageJson.pmos);
  if (!result.success) {
    throw new ManifestError(
      name,
      result.error.issues.map((issue) => `pmos.${issue.path.join('.')} ${issue.message}`),
    );
  }
  if (!result.data.server && !result.data.ui) {
    throw new ManifestError(name, ['pmos must declare a server entry, a ui remote, or both']);
  }
  return result.data;
}

/** Whether a plugin written for `range` runs on this SDK (or the given version). */
export function isSdkCompatible(range: string, version: string = sdkVersion): boolean {
  return semver.satisfies(version, range, { includePrerelease: true });
}
