import { auth, type DropdownState, type OptionsContext, prop } from '@pmos/sdk/server';
import { createGitHubClient, type GitHubClient, GitHubError } from './github-client.js';

export const githubAuth = auth.secretText({
  displayName: 'Personal access token',
  description:
    'On GitHub, open Settings → Developer settings → Personal access tokens → Fine-grained tokens ' +
    '(https://github.com/settings/personal-access-tokens/new). Choose the repositories PMOS may ' +
    'use, give "Issues" the "Read and write" permission ("Metadata: Read-only" is added for you), ' +
    'generate the token and paste it here.',
});

/** A client for a dropdown, or the dropdown state that explains why there is none. */
function clientFor(ctx: OptionsContext): GitHubClient | DropdownState<string> {
  if (typeof ctx.auth !== 'string' || ctx.auth.trim() === '') {
    return { disabled: true, placeholder: 'Choose a GitHub connection first', options: [] };
  }
  return createGitHubClient({ http: ctx.http, token: ctx.auth, signal: ctx.signal });
}

/** A failed lookup shows as a disabled dropdown with GitHub's plain message. */
async function orExplain(
  load: () => Promise<DropdownState<string>>,
): Promise<DropdownState<string>> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof GitHubError) {
      return { disabled: true, placeholder: error.message, options: [] };
    }
    throw error;
  }
}

function chosenRepository(ctx: OptionsContext): string | undefined {
  const value = ctx.props.repository;
  return typeof value === 'string' && value.includes('/') ? value : undefined;
}

export const repository = prop.dropdown<string>({
  displayName: 'Repository',
  description: 'The repositories this token can reach, most recently updated first.',
  required: true,
  refreshers: [],
  async options(ctx) {
    const client = clientFor(ctx);
    if (!('request' in client)) return client;
    return orExplain(async () => {
      const repos = await client.listRepositories();
      return {
        options: repos.map((r) => ({ label: r.full_name, value: r.full_name })),
        ...(repos.length === 0
          ? { placeholder: 'This token can reach no repository: give it access to one.' }
          : {}),
      };
    });
  },
});

const needsRepository: DropdownState<string> = {
  disabled: true,
  placeholder: 'Choose a repository first',
  options: [],
};

export const labels = prop.multiSelect<string>({
  displayName: 'Labels',
  description: 'Labels of the chosen repository.',
  required: false,
  refreshers: ['repository'],
  async options(ctx) {
    const repo = chosenRepository(ctx);
    if (!repo) return needsRepository;
    const client = clientFor(ctx);
    if (!('request' in client)) return client;
    return orExplain(async () => {
      const list = await client.listLabels(repo);
      return { options: list.map((l) => ({ label: l.name, value: l.name })) };
    });
  },
});

export const assignees = prop.multiSelect<string>({
  displayName: 'Assignees',
  description: 'People who can be assigned issues in the chosen repository.',
  required: false,
  refreshers: ['repository'],
  async options(ctx) {
    const repo = chosenRepository(ctx);
    if (!repo) return needsRepository;
    const client = clientFor(ctx);
    if (!('request' in client)) return client;
    return orExplain(async () => {
      const list = await client.listAssignees(repo);
      return { options: list.map((u) => ({ label: u.login, value: u.login })) };
    });
  },
});

export const issueNumber = prop.number({
  displayName: 'Issue number',
  description: 'The number after # in the issue, e.g. 42.',
  required: true,
});
