import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

/**
 * The scaffold itself, free of prompts and process handling: checks what it is given,
 * copies `templates/_shared` and `templates/<kind>` into the target directory and fills in
 * the `{{placeholders}}`.
 */

export const templateKinds = ['connector', 'ai-provider', 'panel'] as const;
export type TemplateKind = (typeof templateKinds)[number];

export const templateDescriptions: Record<TemplateKind, string> = {
  connector: 'actions, a trigger and a dropdown for an HTTP API',
  'ai-provider': 'models of an OpenAI-compatible endpoint for chat and flows',
  panel: 'a React dashboard widget (module federation remote)',
};

/** The plugin id rule of `@pmos/sdk/manifest` (`pmos.id`); a unit test keeps the two in step. */
export const pluginIdPattern = /^[a-z][a-z0-9-]{1,63}$/;

/** What the person got wrong, in one line: the CLI prints it and exits with code 1. */
export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

/** The problem with a plugin id, or undefined when it is valid. */
export function pluginIdProblem(id: string): string | undefined {
  if (pluginIdPattern.test(id)) return undefined;
  return `"${id}" is not a valid plugin id: use 2–64 characters a-z, 0-9 and "-", starting with a letter (e.g. acme-tasks)`;
}

export function displayNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'The display name must not be empty (e.g. --name "Acme Tasks")';
  if (trimmed.length > 80) return 'The display name must be at most 80 characters';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'The display name must be one line of text';
  return undefined;
}

export function descriptionProblem(description: string): string | undefined {
  if (description.trim().length > 500) return 'The description must be at most 500 characters';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(description)) return 'The description must be one line of text';
  return undefined;
}

export function sdkRangeProblem(range: string): string | undefined {
  return semver.validRange(range) === null
    ? `"${range}" is not a semver range of @pmos/sdk (e.g. ^0.1.0)`
    : undefined;
}

/** "acme-tasks" → "Acme Tasks": the default display name. */
export function titleFromId(id: string): string {
  return id
    .split('-')
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join(' ');
}

/** A plugin id from a folder name, when one can be made: "Acme Tasks" → "acme-tasks". */
export function idFromDirectory(directory: string): string | undefined {
  const base =
    directory
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  const id = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '');
  return pluginIdPattern.test(id) ? id : undefined;
}

export function defaultDescription(kind: TemplateKind, displayName: string): string {
  switch (kind) {
    case 'connector':
      return `Connects PMOS flows and chat to ${displayName}.`;
    case 'ai-provider':
      return `Models of ${displayName} for PMOS chat and flows.`;
    case 'panel':
      return `A ${displayName} widget for the PMOS dashboard.`;
  }
}

/** A directory is free when it does not exist or holds nothing (a bare `.git` is fine). */
export function assertTargetFree(targetDir: string): void {
  if (!existsSync(targetDir)) return;
  if (!statSync(targetDir).isDirectory()) {
    throw new ScaffoldError(`${targetDir} exists and is not a directory`);
  }
  const entries = readdirSync(targetDir).filter((name) => name !== '.git');
  if (entries.length > 0) {
    throw new ScaffoldError(
      `${targetDir} is not empty (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}): choose a new directory or empty this one`,
    );
  }
}

/** Per file type, how a value is written inside the quotes its placeholders stand in. */
type Escape = (value: string) => string;
const asJsonString: Escape = (value) => JSON.stringify(value).slice(1, -1);
const asSingleQuoted: Escape = (value) => value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
const asIs: Escape = (value) => value;

export function escapeFor(path: string): Escape {
  const ext = extname(path);
  if (ext === '.json') return asJsonString;
  if (['.ts', '.tsx', '.js', '.mjs', '.cjs'].includes(ext)) return asSingleQuoted;
  return asIs;
}

/**
 * Replaces every `{{name}}` with its value. A placeholder without a value is a bug in a
 * template, so it throws rather than leave `{{…}}` in a generated project.
 */
export function substitute(
  text: string,
  values: Record<string, string>,
  escapeValue: Escape = asIs,
): string {
  return text.replace(/\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`Template placeholder {{${name}}} has no value`);
    return escapeValue(value);
  });
}

export interface ScaffoldOptions {
  /** Where to create the project; created when missing, refused when not empty. */
  targetDir: string;
  template: TemplateKind;
  id: string;
  displayName: string;
  description: string;
  /** The semver range of @pmos/sdk the plugin works with (`pmos.sdk`, peerDependencies). */
  sdkRange: string;
  /** What the project installs for @pmos/sdk: the range, or `link:/abs/path` to a local SDK. */
  sdkSpec: string;
}

export function placeholderValues(options: Omit<ScaffoldOptions, 'targetDir'>) {
  return {
    id: options.id,
    packageName: options.id,
    displayName: options.displayName.trim(),
    description: options.description.trim(),
    sdkRange: options.sdkRange,
    sdkSpec: options.sdkSpec,
    mfName: `pmos_${options.id.replaceAll('-', '_')}`,
  };
}

/** templates/ beside src/ (tests) and beside dist/ (the built CLI). */
export const templatesRoot = fileURLToPath(new URL('../templates/', import.meta.url));

/** Files whose names npm would drop or rename when the scaffold is published. */
const renames: Record<string, string> = {
  _gitignore: '.gitignore',
  '_pnpm-workspace.yaml': 'pnpm-workspace.yaml',
};

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name === 'dist') return [];
        return listFiles(join(dir, entry.name), path);
      }
      return [path];
    });
}

/** The files of a generated project, by path inside it, before substitution. */
export function templateFiles(kind: TemplateKind, root = templatesRoot): Map<string, string> {
  const files = new Map<string, string>();
  for (const layer of ['_shared', kind]) {
    const dir = join(root, layer);
    for (const path of listFiles(dir)) {
      const target = path
        .split('/')
        .map((part) => renames[part] ?? part)
        .join('/');
      files.set(target, join(dir, path));
    }
  }
  return files;
}

/** Checks the options, writes the project and returns the paths it wrote (relative). */
export function scaffold(options: ScaffoldOptions): string[] {
  const problem =
    pluginIdProblem(options.id) ??
    displayNameProblem(options.displayName) ??
    descriptionProblem(options.description) ??
    sdkRangeProblem(options.sdkRange);
  if (problem) throw new ScaffoldError(problem);
  if (!isAbsolute(options.targetDir)) throw new Error('targetDir must be an absolute path');
  assertTargetFree(options.targetDir);

  const values = placeholderValues(options);
  const written: string[] = [];
  for (const [path, source] of templateFiles(options.template)) {
    const destination = join(options.targetDir, path);
    mkdirSync(dirname(destination), { recursive: true });
    writeFileSync(destination, substitute(readFileSync(source, 'utf8'), values, escapeFor(path)));
    written.push(path);
  }
  return written;
}

/** Reads a local @pmos/sdk checkout for `--sdk-path`: its absolute path and version. */
export function localSdk(path: string, cwd = process.cwd()): { dir: string; version: string } {
  const dir = resolve(cwd, path);
  let pkg: { name?: unknown; version?: unknown };
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    throw new ScaffoldError(`--sdk-path ${path}: no package.json in ${dir}`);
  }
  if (pkg.name !== '@pmos/sdk' || typeof pkg.version !== 'string') {
    throw new ScaffoldError(`--sdk-path ${path}: ${dir} is not the @pmos/sdk package`);
  }
  if (!existsSync(join(dir, 'dist'))) {
    throw new ScaffoldError(
      `--sdk-path ${path}: the SDK is not built (run \`pnpm --filter @pmos/sdk run build\`)`,
    );
  }
  return { dir, version: pkg.version };
}

/** What to do after the scaffold, for a person reading the terminal. */
export function nextSteps(options: {
  targetDir: string;
  cwd: string;
  template: TemplateKind;
  displayName: string;
}): string {
  const where = relative(options.cwd, options.targetDir) || '.';
  const cd = where === '.' ? [] : [`  cd ${shellQuote(where)}`];
  return [
    `Created ${options.displayName} (${options.template}) in ${options.targetDir}`,
    '',
    'Next steps:',
    ...cd,
    '  pnpm install',
    '  pnpm test',
    '  pnpm build',
    '',
    'To try it in PMOS, start PMOS from its checkout with the folder that holds this project:',
    `  PMOS_PLUGINS_DIR=${shellQuote(dirname(options.targetDir))} pnpm start`,
    'then offer it as super admin under Admin › Plugins, and enable it for a workspace under Settings › Plugins.',
    '',
  ].join('\n');
}

/** Quotes a path for a POSIX shell when it needs it. */
function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
