/**
 * The server side of the GitHub Issues example plugin (`pmos.server.entry`). It imports
 * nothing but `@pmos/sdk`: PMOS hands it `fetch` bound to api.github.com, the decrypted
 * token and the step's validated inputs.
 */
import { defineConnector, definePlugin } from '@pmos/sdk/server';
// Identity and permissions come from package.json, so a version bump never leaves them behind.
import pkg from '../package.json' with { type: 'json' };
import { addComment, closeIssue, createIssue, listIssues } from './actions.js';
import { createGitHubClient, GitHubError } from './github-client.js';
import { githubAuth } from './props.js';
import { issueEvent } from './trigger.js';

export const github = defineConnector({
  id: 'github',
  displayName: 'GitHub',
  description: 'Issues of GitHub repositories, through the GitHub REST API.',
  auth: githubAuth,
  async healthCheck(ctx) {
    try {
      const client = createGitHubClient({ http: ctx.http, token: ctx.auth, signal: ctx.signal });
      const user = await client.getAuthenticatedUser();
      return {
        ok: true,
        message: `Connected as ${user.login}${user.name ? ` (${user.name})` : ''}`,
      };
    } catch (error) {
      if (error instanceof GitHubError) {
        if (error.code === 'unreachable') {
          return {
            ok: false,
            message:
              'GitHub could not be reached: check that this server can reach api.github.com.',
          };
        }
        return { ok: false, message: error.message };
      }
      throw error;
    }
  },
  actions: [listIssues, createIssue, closeIssue, addComment],
  triggers: [issueEvent],
});

export default definePlugin({
  id: pkg.pmos.id,
  version: pkg.version,
  sdk: pkg.pmos.sdk,
  displayName: 'GitHub Issues',
  description:
    'List, create, close and comment on GitHub issues, and start flows when an issue is opened, closed, reopened, labeled or assigned.',
  contributes: {
    connectors: [github],
    panels: [
      { slot: 'integrations.connector.settings', expose: './Settings', connector: 'github' },
    ],
  },
  permissions: { hosts: pkg.pmos.permissions.hosts },
});
