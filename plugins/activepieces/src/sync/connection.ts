import { auth, defineConnector, type HealthReport, prop } from '@pmos/sdk/server';
import { isActivepiecesError } from '../errors.js';
import { ActivepiecesClient, ActivepiecesHttpError, type InstanceSettings } from './client.js';

/** The connector whose connections reach an Activepieces instance (for flow sync). */
export const instanceConnectorId = 'activepieces-instance';

export const instanceAuth = auth.custom({
  description:
    'The address of your Activepieces instance, and either an API key (Platform and Enterprise editions) or the email and password of an Activepieces user (Community edition).',
  props: {
    url: prop.shortText({
      displayName: 'Instance URL',
      description: 'e.g. https://activepieces.example.com',
      required: true,
    }),
    apiKey: prop.shortText({
      displayName: 'API key',
      description: 'Platform and Enterprise editions: Platform admin › API keys.',
      secret: true,
    }),
    email: prop.shortText({ displayName: 'Email', description: 'Community edition.' }),
    password: prop.shortText({
      displayName: 'Password',
      description: 'Community edition.',
      secret: true,
    }),
    projectId: prop.shortText({
      displayName: 'Project id',
      description: 'Which project to sync with; optional when there is only one.',
    }),
  },
});

/** The connection value, with empty fields left out. */
export function instanceSettings(value: unknown): InstanceSettings {
  const v = (value ?? {}) as Record<string, unknown>;
  const text = (key: string) =>
    typeof v[key] === 'string' && (v[key] as string).trim() !== ''
      ? (v[key] as string).trim()
      : undefined;
  return {
    url: text('url') ?? '',
    apiKey: text('apiKey'),
    email: text('email'),
    password: v.password === undefined || v.password === '' ? undefined : String(v.password),
    projectId: text('projectId'),
  };
}

/**
 * The health check in plain language: unreachable, not Activepieces, bad credentials, an API
 * key on the Community edition, no project — or connected, as whom, to which project.
 */
export async function checkInstance(
  settings: InstanceSettings,
  http: typeof fetch,
  signal?: AbortSignal,
): Promise<HealthReport> {
  if (!/^https?:\/\/[^/]+/.test(settings.url)) {
    return { ok: false, message: 'Give the instance URL, e.g. https://activepieces.example.com.' };
  }
  const client = new ActivepiecesClient(settings, http, { signal });
  try {
    const { edition, release } = await client.flags();
    const named = `Activepieces ${release ?? ''} (${editionName(edition)})`.replace('  ', ' ');
    if (settings.apiKey && edition === 'ce') {
      return {
        ok: false,
        message: `${named} has no API keys: they come with the Platform and Enterprise editions. Use the email and password of an Activepieces user instead.`,
      };
    }
    const session = await client.connect();
    // One read of the project proves the credentials reach it.
    await client.listFlows({ cursor: null, limit: 1 });
    return {
      ok: true,
      message: `Connected to ${named} as ${session.who}, project ${session.projectId}.`,
    };
  } catch (error) {
    return { ok: false, message: explain(error, settings) };
  }
}

function editionName(edition: string | null): string {
  if (edition === 'ce') return 'Community edition';
  if (edition === 'ee') return 'Enterprise edition';
  if (edition === 'cloud') return 'Cloud';
  return 'edition unknown';
}

function explain(error: unknown, settings: InstanceSettings): string {
  if (isActivepiecesError(error)) return error.message;
  if (error instanceof ActivepiecesHttpError) {
    const code = error.apCode ?? '';
    if (
      ['INVALID_CREDENTIALS', 'INVALID_API_KEY', 'INVALID_BEARER_TOKEN', 'AUTHENTICATION'].includes(
        code,
      ) ||
      error.status === 401
    ) {
      return settings.apiKey
        ? 'Activepieces refused the API key: it may have been deleted, or belong to another platform.'
        : 'Activepieces refused the email and password.';
    }
    if (code === 'EMAIL_AUTH_DISABLED') {
      return 'This instance does not allow signing in with email and password: use an API key.';
    }
    if (code === 'ENTITY_NOT_FOUND' || code === 'PERMISSION_DENIED' || error.status === 403) {
      return `These credentials cannot reach the project ${settings.projectId ?? ''}: check the project id.`.replace(
        ' :',
        ':',
      );
    }
    if (error.status === 404) {
      return `${settings.url} has no Activepieces API (${error.call} answered 404): check the address.`;
    }
    return `Activepieces answered ${error.call} with ${error.status}${code ? ` ${code}` : ''}.`;
  }
  return `Could not check Activepieces: ${(error as Error).message}`;
}

export const instanceConnector = defineConnector({
  id: instanceConnectorId,
  displayName: 'Activepieces instance',
  description:
    'Two-way flow sync with an Activepieces instance: import its flows, push PMOS edits, pull its edits, see its runs.',
  auth: instanceAuth,
  healthCheck: ({ auth: value, http, signal }) =>
    checkInstance(instanceSettings(value), http, signal),
  actions: [],
});
