import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePluginManifest } from '@pmos/sdk/manifest';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import ownPackage from '../package.json' with { type: 'json' };
import {
  assertTargetFree,
  escapeFor,
  idFromDirectory,
  nextSteps,
  pluginIdProblem,
  ScaffoldError,
  scaffold,
  substitute,
  templateFiles,
  templateKinds,
  titleFromId,
} from './scaffold.js';

const scratch = mkdtempSync(join(tmpdir(), 'create-pmos-plugin-unit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const freshDir = () => join(scratch, `case-${++counter}`);

function manifestWithId(id: string) {
  return {
    name: 'x',
    pmos: { id, displayName: 'X', sdk: '^0.1.0', server: { entry: './dist/server.js' } },
  };
}

describe('plugin id', () => {
  it.each([
    'ab',
    'acme-tasks',
    'a1',
    'x-',
    `a${'b'.repeat(63)}`,
    'a',
    'Acme',
    '1acme',
    '-acme',
    'acme_tasks',
    'acme tasks',
    'acmé',
    `a${'b'.repeat(64)}`,
    '',
  ])('%j is judged as @pmos/sdk/manifest judges it', (id) => {
    let sdkAccepts = true;
    try {
      parsePluginManifest(manifestWithId(id));
    } catch {
      sdkAccepts = false;
    }
    expect(pluginIdProblem(id) === undefined).toBe(sdkAccepts);
  });

  it('explains a bad id in one line with an example', () => {
    const problem = pluginIdProblem('Acme Tasks');
    expect(problem).toMatch(/^"Acme Tasks" is not a valid plugin id: .*e\.g\. acme-tasks/);
    expect(problem).not.toContain('\n');
  });

  it('derives ids and display names', () => {
    expect(idFromDirectory('plugins/Acme Tasks/')).toBe('acme-tasks');
    expect(idFromDirectory('./42-things')).toBe('things');
    expect(idFromDirectory('.')).toBeUndefined();
    expect(titleFromId('acme-tasks')).toBe('Acme Tasks');
  });
});

describe('placeholders', () => {
  const values = { id: 'acme-tasks', displayName: 'Ada\'s "Tasks" \\ co' };

  it('replaces every placeholder, as often as it appears', () => {
    expect(substitute('{{id}}/{{id}}: {{displayName}}', values)).toBe(
      'acme-tasks/acme-tasks: Ada\'s "Tasks" \\ co',
    );
  });

  it('escapes values for the string they stand in', () => {
    const tsLine = `export const name = '{{displayName}}';`;
    const jsonLine = '{"name": "{{displayName}}"}';
    const inTs = substitute(tsLine, values, escapeFor('src/a.ts'));
    expect(new Function(`${inTs.replace('export ', '')} return name;`)()).toBe(values.displayName);
    const inJson = substitute(jsonLine, values, escapeFor('package.json'));
    expect(JSON.parse(inJson).name).toBe(values.displayName);
    expect(substitute('# {{displayName}}', values, escapeFor('README.md'))).toBe(
      `# ${values.displayName}`,
    );
  });

  it('refuses a placeholder without a value instead of leaving it in', () => {
    expect(() => substitute('{{nope}}', values)).toThrow(/\{\{nope\}\} has no value/);
  });

  it('leaves text that only looks like braces alone', () => {
    expect(substitute('{ a: { b: 1 } } {{ spaced }}', values)).toBe('{ a: { b: 1 } } {{ spaced }}');
  });
});

describe('target directory', () => {
  it('accepts a missing or empty directory, or one with only .git', () => {
    const dir = freshDir();
    expect(() => assertTargetFree(dir)).not.toThrow();
    mkdirSync(join(dir, '.git'), { recursive: true });
    expect(() => assertTargetFree(dir)).not.toThrow();
  });

  it('refuses a directory with files in it, and a file', () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    expect(() => assertTargetFree(dir)).toThrow(ScaffoldError);
    expect(() => assertTargetFree(dir)).toThrow(/is not empty \(1 entry\): choose a new directory/);
    expect(() => assertTargetFree(join(dir, 'notes.txt'))).toThrow(/is not a directory/);
  });

  it('writes nothing into a non-empty directory', () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    expect(() =>
      scaffold({
        targetDir: dir,
        template: 'connector',
        id: 'acme-tasks',
        displayName: 'Acme Tasks',
        description: 'd',
        sdkRange: '^0.1.0',
        sdkSpec: '^0.1.0',
      }),
    ).toThrow(ScaffoldError);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });
});

describe.each(templateKinds)('the %s template', (template) => {
  const displayName = 'Ada\'s "Acme" \\ Tasks';
  const targetDir = freshDir();
  const written = scaffold({
    targetDir,
    template,
    id: 'acme-tasks',
    displayName,
    description: 'Tasks, from "Acme".',
    sdkRange: '^0.1.0',
    sdkSpec: 'link:/opt/pmos/packages/sdk',
  });
  const read = (path: string) => readFileSync(join(targetDir, path), 'utf8');
  const pkg = JSON.parse(read('package.json'));

  it('has a package.json whose pmos manifest @pmos/sdk accepts', () => {
    const manifest = parsePluginManifest(pkg);
    expect(manifest).toMatchObject({
      id: 'acme-tasks',
      displayName,
      description: 'Tasks, from "Acme".',
      sdk: '^0.1.0',
    });
    if (template === 'panel') {
      expect(manifest.server).toBeUndefined();
      expect(manifest.ui).toEqual({
        manifest: './dist/ui/mf-manifest.json',
        panels: [{ slot: 'workspace.dashboard.widget', expose: './Panel' }],
      });
    } else {
      expect(manifest.server).toEqual({ entry: './dist/server.js' });
      expect(manifest.permissions.hosts).toEqual(['api.example.com']);
    }
  });

  it('depends on @pmos/sdk as asked and has the scripts a plugin needs', () => {
    expect(pkg.name).toBe('acme-tasks');
    expect(pkg.devDependencies['@pmos/sdk']).toBe('link:/opt/pmos/packages/sdk');
    if (template !== 'panel') expect(pkg.peerDependencies['@pmos/sdk']).toBe('^0.1.0');
    expect(Object.keys(pkg.scripts)).toEqual(
      expect.arrayContaining(['build', 'test', 'typecheck', 'pack', 'changeset']),
    );
    expect(pkg.scripts.test).toBe('vitest run');
    expect(pkg.scripts.pack).toBe('pnpm pack');
  });

  it('pins every tool to the version this monorepo installs', () => {
    for (const [name, version] of Object.entries(pkg.devDependencies as Record<string, string>)) {
      if (name === '@pmos/sdk') continue;
      expect({ name, version }).toEqual({
        name,
        version: (ownPackage.devDependencies as Record<string, string>)[name],
      });
    }
  });

  it('leaves no placeholder behind and writes the dotfiles', () => {
    expect(written).toEqual(
      expect.arrayContaining(['.gitignore', 'pnpm-workspace.yaml', '.changeset/config.json']),
    );
    expect(written).not.toContain('_gitignore');
    expect(written.filter((path) => /\{\{\w+\}\}/.test(read(path)))).toEqual([]);
  });

  it('writes TypeScript that still parses with quotes in the names', () => {
    const sources = written.filter((path) => /\.tsx?$/.test(path));
    expect(sources.length).toBeGreaterThan(3);
    for (const path of sources) {
      const result = ts.transpileModule(read(path), {
        fileName: path,
        reportDiagnostics: true,
        compilerOptions: { jsx: ts.JsxEmit.ReactJSX, module: ts.ModuleKind.ESNext },
      });
      expect({ path, errors: result.diagnostics?.map((d) => d.messageText) }).toEqual({
        path,
        errors: [],
      });
    }
  });

  it('is standalone: nothing points back into the monorepo', () => {
    const monorepoOnly = /tsconfig\.base|"workspace:|\.\.\/\.\.\/|@pmos\/source/;
    expect(written.filter((path) => monorepoOnly.test(read(path)))).toEqual([]);
  });
});

describe('template files', () => {
  it('layers the shared files under each kind, renaming the dotfiles', () => {
    const files = [...templateFiles('panel').keys()];
    expect(files).toEqual(
      expect.arrayContaining(['.gitignore', 'src/Panel.tsx', 'vite.config.ts', 'README.md']),
    );
    expect(files).not.toContain('tsup.config.ts');
  });
});

describe('next steps', () => {
  it('says how to build the plugin and how PMOS finds it', () => {
    const text = nextSteps({
      targetDir: '/home/ada/plugins/acme-tasks',
      cwd: '/home/ada/plugins',
      template: 'connector',
      displayName: 'Acme Tasks',
    });
    const lines = text.split('\n').map((l) => l.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'cd acme-tasks',
        'pnpm install',
        'pnpm test',
        'pnpm build',
        'PMOS_PLUGINS_DIR=/home/ada/plugins pnpm start',
      ]),
    );
    expect(text).toContain('Settings › Plugins');
  });

  it('quotes paths with spaces', () => {
    const text = nextSteps({
      targetDir: '/home/ada/my plugins/acme',
      cwd: '/home/ada',
      template: 'panel',
      displayName: 'Acme',
    });
    expect(text).toContain("cd 'my plugins/acme'");
    expect(text).toContain("PMOS_PLUGINS_DIR='/home/ada/my plugins' pnpm start");
  });
});
