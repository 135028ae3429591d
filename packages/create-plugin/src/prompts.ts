import { resolve } from 'node:path';
import { cancel, intro, isCancel, select, text } from '@clack/prompts';
import {
  assertTargetFree,
  displayNameProblem,
  idFromDirectory,
  pluginIdProblem,
  ScaffoldError,
  type TemplateKind,
  templateDescriptions,
  templateKinds,
  titleFromId,
} from './scaffold.js';

export interface Answers {
  template: TemplateKind;
  id: string;
  displayName: string;
  directory: string;
}

/** The person pressed Ctrl-C or Escape at a question. */
export class PromptCancelled extends Error {
  override name = 'PromptCancelled';
  constructor() {
    super('Cancelled: nothing was written');
  }
}

function answered<T>(value: T): Exclude<T, symbol> {
  if (isCancel(value)) {
    cancel('Cancelled.');
    throw new PromptCancelled();
  }
  return value as Exclude<T, symbol>;
}

function targetProblem(directory: string, cwd: string): string | undefined {
  try {
    assertTargetFree(resolve(cwd, directory));
    return undefined;
  } catch (error) {
    if (error instanceof ScaffoldError) return error.message;
    throw error;
  }
}

/** Asks, in a terminal, for whatever the flags left out; each answer is checked as typed. */
export async function askMissing(given: Partial<Answers>, cwd: string): Promise<Answers> {
  intro('create-pmos-plugin');
  const template =
    given.template ??
    answered(
      await select<TemplateKind>({
        message: 'What does the plugin contribute?',
        options: templateKinds.map((kind) => ({
          value: kind,
          label: kind,
          hint: templateDescriptions[kind],
        })),
      }),
    );
  const suggestedId =
    (given.directory !== undefined ? idFromDirectory(given.directory) : undefined) ?? 'acme-tasks';
  const id =
    given.id ??
    answered(
      await text({
        message: 'Plugin id (a-z, 0-9 and "-")',
        placeholder: suggestedId,
        defaultValue: suggestedId,
        validate: (value) => pluginIdProblem(value || suggestedId),
      }),
    );
  const suggestedName = titleFromId(id);
  const displayName =
    given.displayName ??
    answered(
      await text({
        message: 'Display name',
        placeholder: suggestedName,
        defaultValue: suggestedName,
        validate: (value) => displayNameProblem(value || suggestedName),
      }),
    ).trim();
  const directory =
    given.directory ??
    answered(
      await text({
        message: 'Directory',
        placeholder: id,
        defaultValue: id,
        validate: (value) => targetProblem(value || id, cwd),
      }),
    );
  return { template, id, displayName, directory };
}
