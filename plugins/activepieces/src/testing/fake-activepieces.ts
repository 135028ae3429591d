import { randomBytes } from 'node:crypto';
import shared from '@activepieces/shared';

/**
 * A fake Activepieces instance (0.96.2 REST API, `/api/v1`) for sync tests, behind a `fetch`.
 * Request bodies and queries are checked with the published `@activepieces/shared` zod
 * schemas, and so are its own answers (a wrong fixture fails the test, not the client):
 * sign-in, flags, projects, flows list (SeekPage cursor pagination) / get / create /
 * operations (IMPORT_FLOW, CHANGE_NAME, UPDATE_ACTION, UPDATE_TRIGGER, LOCK_AND_PUBLISH,
 * CHANGE_STATUS), flow runs, and the two ways an edit is refused while someone else works on
 * the flow: FLOW_IN_USE (another user edited the draft within the last minute, older
 * releases) and FLOW_OPERATION_IN_PROGRESS (the flow's lock is held, 0.96).
 */

type Json = Record<string, unknown>;

interface Schema {
  safeParse(v: unknown): { success: boolean; data?: unknown; error?: { message: string } };
}
const schemaNames = [
  'AuthenticationResponse',
  'CreateFlowRequest',
  'FlowOperationRequest',
  'FlowRun',
  'ListFlowRunsRequestQuery',
  'ListFlowsRequest',
  'PopulatedFlow',
  'SignInRequest',
] as const;
const {
  AuthenticationResponse,
  CreateFlowRequest,
  FlowOperationRequest,
  FlowRun,
  ListFlowRunsRequestQuery,
  ListFlowsRequest,
  PopulatedFlow,
  SignInRequest,
} = shared as unknown as Record<(typeof schemaNames)[number], Schema>;

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Activepieces ids: 21 alphanumerics. */
export function apId(): string {
  return [...randomBytes(21)].map((b) => alphabet[b % alphabet.length]).join('');
}

export interface FakeUser {
  id: string;
  email: string;
  password: string;
  firstName: string;
}

export interface FakeActivepiecesOptions {
  /** Where it answers, e.g. https://ap.example.com (the API under /api); default a fresh one. */
  url?: string;
  edition?: 'ce' | 'ee' | 'cloud';
  /** How long after another user's edit an operation answers FLOW_IN_USE (default 0: off). */
  inUseWindowMs?: number;
}

export interface FakeActivepieces {
  url: string;
  fetch: typeof fetch;
  projectId: string;
  /** Signs in with email + password (community edition). */
  user: FakeUser;
  /** Another Activepieces user: "edits made in Activepieces" are theirs. */
  colleague: FakeUser;
  /** A platform API key (answered INVALID_BEARER_TOKEN on the community edition). */
  apiKey: string;
  flows: Map<string, Json>;
  runs: Json[];
  requests: { method: string; path: string; body: unknown }[];
  /** A flow as someone made it in Activepieces (a PIECE trigger and the given actions). */
  addFlow(displayName: string, trigger: Json): Json;
  /** Applies an operation as a user (the colleague by default), as the builder would. */
  operate(flowId: string, operation: Json, by?: FakeUser): Json;
  /** Holds the flow's lock (someone has it open in the builder) until released. */
  lockEditor(flowId: string): void;
  unlockEditor(flowId: string): void;
  /** Answers the next `times` operations on the flow with FLOW_IN_USE. */
  markInUse(flowId: string, times: number): void;
  addRun(flowId: string, status: string, failedStep?: Json): Json;
}

class ApHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Json = {},
  ) {
    super(code);
  }
}

let instances = 0;

export function fakeActivepieces(options: FakeActivepiecesOptions = {}): FakeActivepieces {
  // Each fake its own address: clients reuse sign-ins per instance address.
  const url = options.url ?? `https://ap${++instances}.example.com`;
  const edition = options.edition ?? 'ce';
  const inUseWindowMs = options.inUseWindowMs ?? 0;
  const projectId = apId();
  const platformId = apId();
  const user: FakeUser = {
    id: apId(),
    email: 'ada@example.com',
    password: 'correct-horse-1',
    firstName: 'Ada',
  };
  const colleague: FakeUser = {
    id: apId(),
    email: 'grace@example.com',
    password: 'correct-horse-2',
    firstName: 'Grace',
  };
  const apiKey = `sk-${apId()}`;
  const tokens = new Map<string, FakeUser>();
  const flows = new Map<string, Json>();
  const runs: Json[] = [];
  const requests: FakeActivepieces['requests'] = [];
  const editorLocks = new Set<string>();
  const inUse = new Map<string, number>();
  let clock = Date.now();
  // Strictly increasing timestamps: two edits in one millisecond still differ.
  const now = () => {
    clock = Math.max(clock + 1, Date.now());
    return new Date(clock).toISOString();
  };

  const check = (schema: Schema, value: unknown, what: string): Json => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new ApHttpError(400, 'VALIDATION', { message: `${what}: ${parsed.error?.message}` });
    }
    return parsed.data as Json;
  };
  // Its own answers must be what the published schemas say, or the fake is wrong.
  const answer = (schema: Schema, value: Json, what: string): Json => {
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new Error(`fake Activepieces built an invalid ${what}: ${parsed.error?.message}`);
    return value;
  };

  function newFlow(displayName: string, by: FakeUser, trigger?: Json): Json {
    const id = apId();
    const at = now();
    const flow: Json = {
      id,
      created: at,
      updated: at,
      projectId,
      externalId: id,
      ownerId: by.id,
      folderId: null,
      status: 'DISABLED',
      publishedVersionId: null,
      metadata: null,
      operationStatus: 'NONE',
      timeSavedPerRun: null,
      templateId: null,
      version: {
        id: apId(),
        created: at,
        updated: at,
        flowId: id,
        displayName,
        trigger: trigger ?? {
          name: 'trigger',
          valid: false,
          displayName: 'Select Trigger',
          lastUpdatedDate: at,
          type: 'EMPTY',
          settings: {},
        },
        updatedBy: by.id,
        valid: false,
        schemaVersion: '22',
        agentIds: [],
        state: 'DRAFT',
        connectionIds: [],
        backupFiles: null,
        notes: [],
      },
    };
    flows.set(id, answer(PopulatedFlow, flow, 'PopulatedFlow'));
    return flow;
  }

  function replaceStep(step: Json | undefined, updated: Json): Json | undefined {
    if (!step) return step;
    if (step.name === updated.name) {
      const { nextAction, firstLoopAction, children } = step;
      return { ...updated, nextAction, firstLoopAction, children };
    }
    return {
      ...step,
      nextAction: replaceStep(step.nextAction as Json | undefined, updated),
      ...(step.firstLoopAction
        ? { firstLoopAction: replaceStep(step.firstLoopAction as Json, updated) }
        : {}),
      ...(Array.isArray(step.children)
        ? {
            children: (step.children as (Json | null)[]).map((c) =>
              c ? (replaceStep(c, updated) ?? null) : null,
            ),
          }
        : {}),
    };
  }

  function operate(flowId: string, raw: Json, by: FakeUser = colleague): Json {
    const flow = flows.get(flowId);
    if (!flow)
      throw new ApHttpError(404, 'ENTITY_NOT_FOUND', { entityType: 'flow', entityId: flowId });
    const operation = check(FlowOperationRequest, raw, 'FlowOperationRequest');
    if (editorLocks.has(flowId)) {
      throw new ApHttpError(409, 'FLOW_OPERATION_IN_PROGRESS', {
        message: 'Flow is being edited by another user',
      });
    }
    const version = flow.version as Json;
    const pending = inUse.get(flowId) ?? 0;
    const recentByOther =
      inUseWindowMs > 0 &&
      version.updatedBy !== by.id &&
      Date.now() - Date.parse(String(version.updated)) < inUseWindowMs;
    if (pending > 0 || recentByOther) {
      if (pending > 0) inUse.set(flowId, pending - 1);
      throw new ApHttpError(409, 'FLOW_IN_USE', {
        flowVersionId: version.id,
        message: 'Flow is being used by another user in the last minute. Please try again later.',
      });
    }
    const request = operation.request as Json;
    const at = now();
    let next: Json = { ...version };
    switch (operation.type) {
      case 'IMPORT_FLOW':
        next = {
          ...next,
          displayName: request.displayName,
          trigger: request.trigger,
          schemaVersion: request.schemaVersion ?? next.schemaVersion,
          notes: request.notes ?? next.notes,
        };
        break;
      case 'CHANGE_NAME':
        next.displayName = request.displayName;
        break;
      case 'UPDATE_TRIGGER':
        next.trigger = { ...request, nextAction: (version.trigger as Json).nextAction };
        break;
      case 'UPDATE_ACTION':
        next.trigger = replaceStep(version.trigger as Json, request);
        break;
      case 'LOCK_AND_PUBLISH':
        flow.publishedVersionId = version.id;
        if (request.status) flow.status = request.status;
        break;
      case 'CHANGE_STATUS':
        flow.status = request.status;
        break;
      default:
        throw new ApHttpError(400, 'FLOW_OPERATION_INVALID', {
          message: `The fake does not apply ${String(operation.type)}`,
        });
    }
    next.updated = at;
    next.updatedBy = by.id;
    flow.version = next;
    flow.updated = at;
    return answer(PopulatedFlow, flow, 'PopulatedFlow');
  }

  function authenticate(request: Request): FakeUser | 'api-key' {
    const header = request.headers.get('authorization') ?? '';
    const token = header.replace(/^Bearer\s+/i, '');
    if (token === apiKey) {
      if (edition === 'ce')
        throw new ApHttpError(401, 'INVALID_BEARER_TOKEN', { message: 'invalid token' });
      return 'api-key';
    }
    const found = tokens.get(token);
    if (!found) throw new ApHttpError(401, 'INVALID_BEARER_TOKEN', { message: 'invalid token' });
    return found;
  }

  function projectOf(query: URLSearchParams, request: Request, principal: FakeUser | 'api-key') {
    const wanted =
      principal === 'api-key'
        ? (request.headers.get('x-project-id') ?? query.get('projectId'))
        : query.get('projectId');
    if (wanted !== projectId) {
      throw new ApHttpError(403, 'PERMISSION_DENIED', { message: 'project not reachable' });
    }
  }

  /** SeekPage over a list ordered newest first; the cursor is the last item's index, encoded. */
  function seek(items: Json[], query: URLSearchParams, defaultLimit: number) {
    const limit = Number(query.get('limit') ?? defaultLimit);
    const cursor = query.get('cursor');
    const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8')) : 0;
    const data = items.slice(start, start + limit);
    const end = start + data.length;
    return {
      data,
      next: end < items.length ? Buffer.from(String(end)).toString('base64url') : null,
      previous:
        start > 0 ? Buffer.from(String(Math.max(0, start - limit))).toString('base64url') : null,
    };
  }

  function queryObject(query: URLSearchParams, arrays: string[]): Json {
    const out: Json = {};
    for (const key of new Set(query.keys())) {
      const values = query.getAll(key);
      out[key] = arrays.includes(key) ? values : values[0];
    }
    return out;
  }

  async function route(request: Request): Promise<{ status: number; body: unknown }> {
    const parsedUrl = new URL(request.url);
    const path = parsedUrl.pathname.replace(/^\/api/, '');
    const query = parsedUrl.searchParams;
    const text = request.method === 'GET' ? '' : await request.text();
    const body = text ? JSON.parse(text) : undefined;
    requests.push({ method: request.method, path: `${path}${parsedUrl.search}`, body });
    const { method } = request;

    if (method === 'GET' && path === '/v1/flags') {
      return {
        status: 200,
        body: { EDITION: edition, CURRENT_VERSION: '0.96.2', ENVIRONMENT: 'prod' },
      };
    }
    if (method === 'POST' && path === '/v1/authentication/sign-in') {
      const input = check(SignInRequest, body, 'SignInRequest');
      const who = [user, colleague].find(
        (u) => u.email === input.email && u.password === input.password,
      );
      if (!who) throw new ApHttpError(401, 'INVALID_CREDENTIALS', { email: input.email });
      const token = `jwt-${apId()}`;
      tokens.set(token, who);
      const response = {
        id: who.id,
        platformRole: 'ADMIN',
        status: 'ACTIVE',
        externalId: null,
        platformId,
        verified: true,
        firstName: who.firstName,
        lastName: 'Example',
        email: who.email,
        trackEvents: false,
        newsLetter: false,
        token,
        projectId,
      };
      return {
        status: 200,
        body: answer(AuthenticationResponse, response, 'AuthenticationResponse'),
      };
    }

    const principal = authenticate(request);
    const actor = principal === 'api-key' ? user : principal;

    if (method === 'GET' && path === '/v1/projects') {
      if (principal !== 'api-key' && edition === 'ce') {
        throw new ApHttpError(402, 'FEATURE_DISABLED', { message: 'Projects API' });
      }
      const project = {
        id: projectId,
        displayName: 'Default project',
        platformId,
        externalId: null,
      };
      return { status: 200, body: { data: [project], next: null, previous: null } };
    }
    if (method === 'GET' && path === '/v1/flows') {
      const input = check(
        ListFlowsRequest,
        queryObject(query, ['status', 'externalIds', 'folderIds']),
        'ListFlowsRequest',
      );
      projectOf(query, request, principal);
      const all = [...flows.values()].sort((a, b) =>
        String(b.created).localeCompare(String(a.created)),
      );
      const page = seek(all, query, Number(input.limit ?? 10));
      for (const flow of page.data) answer(PopulatedFlow, flow, 'PopulatedFlow');
      return { status: 200, body: page };
    }
    if (method === 'POST' && path === '/v1/flows') {
      const input = check(CreateFlowRequest, body, 'CreateFlowRequest');
      if (input.projectId !== projectId) throw new ApHttpError(403, 'PERMISSION_DENIED', {});
      const flow = newFlow(String(input.displayName), actor);
      if (input.metadata) flow.metadata = input.metadata;
      return { status: 201, body: flow };
    }
    const flowPath = /^\/v1\/flows\/([0-9a-zA-Z]{21})$/.exec(path);
    if (flowPath?.[1]) {
      const flowId = flowPath[1];
      if (method === 'GET') {
        const flow = flows.get(flowId);
        if (!flow)
          throw new ApHttpError(404, 'ENTITY_NOT_FOUND', { entityType: 'flow', entityId: flowId });
        return { status: 200, body: answer(PopulatedFlow, flow, 'PopulatedFlow') };
      }
      if (method === 'POST') return { status: 200, body: operate(flowId, body as Json, actor) };
    }
    if (method === 'GET' && path === '/v1/flow-runs') {
      check(
        ListFlowRunsRequestQuery,
        queryObject(query, ['flowId', 'status', 'tags', 'flowRunIds']),
        'ListFlowRunsRequestQuery',
      );
      projectOf(query, request, principal);
      const flowIds = query.getAll('flowId');
      const matching = runs
        .filter((r) => flowIds.length === 0 || flowIds.includes(String(r.flowId)))
        .sort((a, b) => String(b.created).localeCompare(String(a.created)));
      return { status: 200, body: seek(matching, query, 10) };
    }
    throw new ApHttpError(404, 'ENTITY_NOT_FOUND', { message: `${method} ${path}` });
  }

  const fakeFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${url}/api/`)) {
      throw new TypeError(
        `fetch failed: the fake Activepieces answers only ${url}/api/… (got ${request.url})`,
      );
    }
    try {
      const { status, body } = await route(request);
      return Response.json(body, { status });
    } catch (error) {
      if (error instanceof ApHttpError) {
        return Response.json({ code: error.code, params: error.params }, { status: error.status });
      }
      return Response.json(
        { code: 'INTERNAL_SERVER_ERROR', params: { message: String(error) } },
        { status: 500 },
      );
    }
  };

  return {
    url,
    fetch: fakeFetch,
    projectId,
    user,
    colleague,
    apiKey,
    flows,
    runs,
    requests,
    addFlow(displayName, trigger) {
      return newFlow(displayName, colleague, trigger);
    },
    operate,
    lockEditor: (flowId) => editorLocks.add(flowId),
    unlockEditor: (flowId) => editorLocks.delete(flowId),
    markInUse: (flowId, times) => inUse.set(flowId, times),
    addRun(flowId, status, failedStep) {
      const flow = flows.get(flowId);
      const at = now();
      const run = {
        id: apId(),
        created: at,
        updated: at,
        projectId,
        flowId,
        failParentOnFailure: false,
        flowVersionId: String((flow?.version as Json | undefined)?.id ?? apId()),
        status,
        environment: 'PRODUCTION',
        startTime: at,
        finishTime: status === 'RUNNING' ? null : at,
        ...(failedStep ? { failedStep } : {}),
      };
      runs.push(answer(FlowRun, run, 'FlowRun'));
      return run;
    },
  };
}
