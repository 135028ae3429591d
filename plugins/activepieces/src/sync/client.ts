import { createHash } from 'node:crypto';
import { FlowSyncError } from '@pmos/sdk/server';
import { z } from 'zod';
import { ActivepiecesError } from '../errors.js';

/** The connection value of an Activepieces instance (see connection.ts). */
export interface InstanceSettings {
  url: string;
  apiKey?: string;
  email?: string;
  password?: string;
  projectId?: string;
}

// Only the fields this client reads: a newer Activepieces adding fields must not break sync.
const apFlowVersionShape = z
  .object({
    id: z.string(),
    updated: z.string(),
    displayName: z.string(),
    trigger: z.record(z.string(), z.unknown()),
    schemaVersion: z.string().nullable().optional(),
    notes: z.array(z.unknown()).optional(),
  })
  .loose();
const apFlowShape = z
  .object({
    id: z.string(),
    updated: z.string(),
    projectId: z.string(),
    status: z.enum(['ENABLED', 'DISABLED']),
    version: apFlowVersionShape,
  })
  .loose();
export type ApFlow = z.infer<typeof apFlowShape>;
export type ApFlowVersion = z.infer<typeof apFlowVersionShape>;

const page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next: z.string().nullable().optional() }).loose();

const apRunShape = z
  .object({
    id: z.string(),
    flowId: z.string(),
    status: z.string(),
    startTime: z.string().nullable().optional(),
    finishTime: z.string().nullable().optional(),
    failedStep: z
      .object({ name: z.string(), displayName: z.string(), message: z.string().optional() })
      .optional(),
  })
  .loose();
export type ApRun = z.infer<typeof apRunShape>;

const signInShape = z
  .object({
    token: z.string(),
    projectId: z.string().nullable(),
    email: z.string(),
    firstName: z.string().optional(),
  })
  .loose();
const projectShape = z.object({ id: z.string(), displayName: z.string() }).loose();
const apErrorShape = z.object({ code: z.string(), params: z.unknown().optional() }).loose();

/** Activepieces answers errors as `{code, params}`; these mean "someone is editing it". */
const busyCodes = new Set(['FLOW_IN_USE', 'FLOW_OPERATION_IN_PROGRESS']);

export interface ClientOptions {
  signal?: AbortSignal;
  /** Waits before each retry of an operation refused as busy (FLOW_IN_USE, the editor lock). */
  retryDelaysMs?: readonly number[];
}

interface Session {
  token: string;
  projectId: string;
  /** Who PMOS acts as, for the health message. */
  who: string;
}

/**
 * Community-edition sign-ins, reused for a while: one sign-in per poll and flow would be
 * needless load (and Activepieces throttles sign-ins). Keyed by a hash of the credentials;
 * a token refused later is dropped and the call signs in again once.
 */
const signIns = new Map<string, { session: Session; until: number }>();
const signInTtlMs = 30 * 60_000;

/** The Activepieces REST API (`/api/v1`) as the sync needs it: one instance, one project. */
export class ActivepiecesClient {
  private session: Promise<Session> | null = null;
  readonly base: string;

  constructor(
    readonly settings: InstanceSettings,
    private readonly http: typeof fetch,
    private readonly options: ClientOptions = {},
  ) {
    const root = settings.url.trim().replace(/\/+$/, '');
    this.base = root.endsWith('/api') ? root : `${root}/api`;
  }

  /** The instance's public flags (no credentials needed): its edition and release. */
  async flags(): Promise<{ edition: string | null; release: string | null }> {
    const flags = z
      .record(z.string(), z.unknown())
      .parse(await this.request('GET', '/v1/flags', { auth: false }));
    return {
      edition: typeof flags.EDITION === 'string' ? flags.EDITION : null,
      release: typeof flags.CURRENT_VERSION === 'string' ? flags.CURRENT_VERSION : null,
    };
  }

  /** Signs in (community edition) or takes the API key, and settles the project. */
  connect(): Promise<Session> {
    this.session ??= this.openSession().catch((error) => {
      this.session = null;
      throw error;
    });
    return this.session;
  }

  private async openSession(): Promise<Session> {
    const { apiKey, email, password, projectId } = this.settings;
    if (apiKey) {
      const token = apiKey;
      if (projectId) return { token, projectId, who: 'the API key' };
      const projects = await this.listProjects(token);
      if (projects.length === 1 && projects[0]) {
        return { token, projectId: projects[0].id, who: 'the API key' };
      }
      throw new ActivepiecesError(
        'instance_no_project',
        projects.length === 0
          ? 'The API key reaches no project: create one in Activepieces first.'
          : `Choose the project to sync with (its id): ${projects.map((p) => `${p.displayName} (${p.id})`).join(', ')}.`,
      );
    }
    if (!email || !password) {
      throw new ActivepiecesError(
        'instance_auth_failed',
        'Give either an API key (Platform and Enterprise editions) or the email and password of an Activepieces user (Community edition).',
      );
    }
    const key = this.signInKey();
    const cached = signIns.get(key);
    if (cached && cached.until > Date.now()) {
      return projectId ? { ...cached.session, projectId } : cached.session;
    }
    const signedIn = signInShape.parse(
      await this.request('POST', '/v1/authentication/sign-in', {
        auth: false,
        body: { email, password },
      }),
    );
    const chosen = projectId ?? signedIn.projectId;
    if (!chosen) {
      throw new ActivepiecesError(
        'instance_no_project',
        `${signedIn.email} has no project in Activepieces: create one first, or give its id.`,
      );
    }
    const session = { token: signedIn.token, projectId: chosen, who: signedIn.email };
    signIns.set(key, { session, until: Date.now() + signInTtlMs });
    return session;
  }

  private signInKey(): string {
    const { url, email, password } = this.settings;
    return createHash('sha256')
      .update(JSON.stringify([this.base, url, email, password]))
      .digest('hex');
  }

  private async listProjects(token: string): Promise<z.infer<typeof projectShape>[]> {
    const answer = page(projectShape).parse(
      await this.request('GET', '/v1/projects?limit=100', { token }),
    );
    return answer.data;
  }

  async listFlows(input: {
    cursor: string | null;
    limit: number;
  }): Promise<{ data: ApFlow[]; next: string | null }> {
    const { projectId } = await this.connect();
    const query = new URLSearchParams({ projectId, limit: String(input.limit) });
    if (input.cursor) query.set('cursor', input.cursor);
    const answer = page(apFlowShape).parse(await this.request('GET', `/v1/flows?${query}`));
    return { data: answer.data, next: answer.next ?? null };
  }

  async getFlow(flowId: string): Promise<ApFlow> {
    return apFlowShape.parse(await this.request('GET', `/v1/flows/${encodeURIComponent(flowId)}`));
  }

  async createFlow(displayName: string, metadata?: Record<string, unknown>): Promise<ApFlow> {
    const { projectId } = await this.connect();
    return apFlowShape.parse(
      await this.request('POST', '/v1/flows', {
        body: { displayName, projectId, ...(metadata ? { metadata } : {}) },
      }),
    );
  }

  /**
   * One flow operation. Refused as busy (someone edited the flow within the last minute, or
   * holds it open in the builder): retried after each delay, then a `remote_busy` error.
   */
  async applyOperation(
    flowId: string,
    operation: { type: string; request: unknown },
  ): Promise<ApFlow> {
    const delays = this.options.retryDelaysMs ?? [1000, 3000, 8000];
    for (let attempt = 0; ; attempt++) {
      try {
        return apFlowShape.parse(
          await this.request('POST', `/v1/flows/${encodeURIComponent(flowId)}`, {
            body: operation,
          }),
        );
      } catch (error) {
        const busy = error instanceof ActivepiecesHttpError && busyCodes.has(error.apCode ?? '');
        if (!busy) throw error;
        const delay = delays[attempt];
        if (delay === undefined) {
          throw new FlowSyncError(
            'remote_busy',
            `Someone is editing this flow in Activepieces right now (${error.apCode}); PMOS tried ${attempt + 1} times. It tries again at the next sync, or push again in a minute.`,
            { cause: error },
          );
        }
        await sleep(delay, this.options.signal);
      }
    }
  }

  async listRuns(input: {
    flowId: string;
    cursor: string | null;
    limit: number;
  }): Promise<{ data: ApRun[]; next: string | null }> {
    const { projectId } = await this.connect();
    const query = new URLSearchParams({
      projectId,
      flowId: input.flowId,
      limit: String(input.limit),
    });
    if (input.cursor) query.set('cursor', input.cursor);
    const answer = page(apRunShape).parse(await this.request('GET', `/v1/flow-runs?${query}`));
    return { data: answer.data, next: answer.next ?? null };
  }

  private async request(
    method: string,
    path: string,
    options: { auth?: boolean; token?: string; body?: unknown } = {},
  ): Promise<unknown> {
    try {
      return await this.send(method, path, options);
    } catch (error) {
      // A reused sign-in may have expired: sign in again, once.
      const stale =
        error instanceof ActivepiecesHttpError &&
        error.status === 401 &&
        !this.settings.apiKey &&
        options.auth !== false &&
        !options.token &&
        signIns.delete(this.signInKey());
      if (!stale) throw error;
      this.session = null;
      return this.send(method, path, options);
    }
  }

  private async send(
    method: string,
    path: string,
    options: { auth?: boolean; token?: string; body?: unknown },
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    else if (options.auth !== false) {
      const session = await this.connect();
      headers.authorization = `Bearer ${session.token}`;
      // A platform API key reaches every project: say which one is meant.
      if (this.settings.apiKey) headers['x-project-id'] = session.projectId;
    }
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.http(`${this.base}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: this.options.signal,
      });
    } catch (error) {
      throw new ActivepiecesError(
        'instance_unreachable',
        `Activepieces at ${this.settings.url} cannot be reached: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      throw new ActivepiecesError(
        'instance_unreadable',
        `${this.settings.url} answered ${method} ${path} with something that is not JSON (status ${response.status}): is this the address of an Activepieces instance?`,
      );
    }
    if (response.ok) return body;
    const apError = apErrorShape.safeParse(body);
    throw new ActivepiecesHttpError(
      response.status,
      apError.success ? apError.data.code : null,
      `${method} ${path}`,
      apError.success ? apError.data.params : body,
    );
  }
}

/** An error answer of the instance, classified once for the sync and the health check. */
export class ActivepiecesHttpError extends Error {
  constructor(
    readonly status: number,
    readonly apCode: string | null,
    readonly call: string,
    readonly params: unknown,
  ) {
    super(`Activepieces refused ${call} (${status}${apCode ? ` ${apCode}` : ''})`);
    this.name = 'ActivepiecesHttpError';
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
