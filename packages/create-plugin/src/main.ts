import { resolve } from 'node:path';
import { sdkVersion } from '@pmos/sdk';
import { Command, CommanderError, Option } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { type Answers, askMissing, PromptCancelled } from './prompts.js';
import {
  assertTargetFree,
  defaultDescription,
  descriptionProblem,
  displayNameProblem,
  idFromDirectory,
  localSdk,
  nextSteps,
  pluginIdProblem,
  ScaffoldError,
  scaffold,
  sdkRangeProblem,
  type TemplateKind,
  templateKinds,
  titleFromId,
} from './scaffold.js';

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether prompts may be shown (a terminal on both ends); otherwise defaults apply. */
  interactive: boolean;
}

interface Flags {
  template?: TemplateKind;
  id?: string;
  name?: string;
  description?: string;
  sdk?: string;
  sdkPath?: string;
  yes?: boolean;
}

function program(io: Io): Command {
  return new Command('create-pmos-plugin')
    .description(
      'Create a PMOS plugin project: a connector, an AI provider or a UI panel, with tests.',
    )
    .argument('[directory]', 'where to create it (default: the plugin id)')
    .addOption(
      new Option('-t, --template <kind>', 'what the plugin contributes').choices(templateKinds),
    )
    .option('--id <id>', 'plugin id: 2–64 of a-z, 0-9 and "-", e.g. acme-tasks')
    .option('--name <name>', 'display name, e.g. "Acme Tasks"')
    .option('--description <text>', 'one sentence for the plugin list')
    .option('--sdk <range>', `semver range of @pmos/sdk (default ^${sdkVersion})`)
    .option(
      '--sdk-path <path>',
      'install @pmos/sdk from a local checkout (link:) instead of the registry',
    )
    .option('-y, --yes', 'ask nothing: use the defaults for whatever is not given')
    .version(pkg.version, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

/**
 * Runs the scaffold for the given arguments and returns the exit code: 0 when the project
 * was written, 1 with one line on stderr when something given is wrong or the person
 * cancelled.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const cli = program(io);
  let directoryArg: string | undefined;
  let flags: Flags = {};
  cli.action((directory: string | undefined, options: Flags) => {
    directoryArg = directory;
    flags = options;
  });
  try {
    cli.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // help, version, bad flags
    throw error;
  }

  try {
    const answers = await resolveAnswers(directoryArg, flags, io);
    const sdk = flags.sdkPath ? localSdk(flags.sdkPath, io.cwd) : undefined;
    const sdkRange = flags.sdk ?? `^${sdk?.version ?? sdkVersion}`;
    const problem = sdkRangeProblem(sdkRange);
    if (problem) throw new ScaffoldError(problem);
    const targetDir = resolve(io.cwd, answers.directory);
    scaffold({
      targetDir,
      template: answers.template,
      id: answers.id,
      displayName: answers.displayName,
      description: flags.description ?? defaultDescription(answers.template, answers.displayName),
      sdkRange,
      sdkSpec: sdk ? `link:${sdk.dir}` : sdkRange,
    });
    io.stdout(
      nextSteps({
        targetDir,
        cwd: io.cwd,
        template: answers.template,
        displayName: answers.displayName,
      }),
    );
    return 0;
  } catch (error) {
    if (error instanceof ScaffoldError || error instanceof PromptCancelled) {
      io.stderr(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** Flags first; then prompts in a terminal, or defaults with --yes / without a terminal. */
async function resolveAnswers(
  directoryArg: string | undefined,
  flags: Flags,
  io: Io,
): Promise<Answers> {
  // What was given on the command line is checked before any question is asked.
  const given: Partial<Answers> = {
    template: flags.template,
    id: flags.id,
    displayName: flags.name,
    directory: directoryArg,
  };
  const problem =
    (flags.id !== undefined ? pluginIdProblem(flags.id) : undefined) ??
    (flags.name !== undefined ? displayNameProblem(flags.name) : undefined) ??
    (flags.description !== undefined ? descriptionProblem(flags.description) : undefined) ??
    (flags.sdk !== undefined ? sdkRangeProblem(flags.sdk) : undefined);
  if (problem) throw new ScaffoldError(problem);
  if (directoryArg !== undefined) assertTargetFree(resolve(io.cwd, directoryArg));

  const complete = given.template && given.id && given.displayName && given.directory;
  if (io.interactive && !flags.yes && !complete) return askMissing(given, io.cwd);

  const id = given.id ?? (directoryArg !== undefined ? idFromDirectory(directoryArg) : undefined);
  if (!id) {
    throw new ScaffoldError(
      directoryArg === undefined
        ? 'Name the plugin: give a directory or --id (e.g. create-pmos-plugin acme-tasks --template connector)'
        : `Cannot make a plugin id from "${directoryArg}": give one with --id (e.g. --id acme-tasks)`,
    );
  }
  return {
    template: given.template ?? 'connector',
    id,
    displayName: given.displayName ?? titleFromId(id),
    directory: given.directory ?? id,
  };
}
