import { auth, defineAction, defineConnector, defineTrigger, prop } from '@pmos/sdk/server';

/**
 * The connector: one auth, a health check, two actions and a polling trigger for a made-up
 * task API at https://api.example.com/v1. Replace the paths and shapes with the real
 * service's; connector.test.ts shows how each part is tested without a network.
 */

export const SERVICE = '{{displayName}}';
export const API = 'https://api.example.com/v1';

export interface Project {
  id: string;
  name: string;
}

export interface Member {
  id: string;
  name: string;
}

export interface Task {
  id: number;
  title: string;
  notes?: string;
  status: 'open' | 'done';
  assigneeId?: string;
  createdAt: string;
}

const sampleTask: Task = {
  id: 42,
  title: 'Write the launch post',
  status: 'open',
  assigneeId: 'u1',
  createdAt: '2026-01-05T09:00:00Z',
};

/**
 * The connection asks for an API key. PMOS keeps it encrypted and hands it to `ctx.auth`
 * (a string for `secretText`) when an action, trigger, dropdown or health check runs.
 */
export const apiKey = auth.secretText({
  displayName: 'API key',
  description: 'Create one in your account settings of the service.',
});

/** One call to the API with the key; an answer other than 2xx becomes a readable error. */
async function call<T>(
  http: typeof fetch,
  key: string,
  path: string,
  init: RequestInit = {},
): Promise<T> {
  const res = await http(`${API}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${key}`,
      accept: 'application/json',
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });
  if (!res.ok) {
    throw new Error(`${SERVICE} answered ${res.status} to ${init.method ?? 'GET'} ${path}`);
  }
  return (await res.json()) as T;
}

/** A dynamic dropdown: its options come from the API with the chosen connection. */
const project = prop.dropdown({
  displayName: 'Project',
  description: 'The project to work in.',
  required: true,
  refreshers: [],
  async options(ctx) {
    if (typeof ctx.auth !== 'string') {
      return { disabled: true, placeholder: 'Choose a connection first', options: [] };
    }
    const projects = await call<Project[]>(ctx.http, ctx.auth, '/projects', {
      signal: ctx.signal,
    });
    return { options: projects.map((p) => ({ label: p.name, value: p.id })) };
  },
});

/** A dropdown with a refresher: its options are loaded again whenever `project` changes. */
const assignee = prop.dropdown({
  displayName: 'Assignee',
  description: 'Someone in the chosen project.',
  required: false,
  refreshers: ['project'],
  async options(ctx) {
    const projectId = ctx.props.project;
    if (typeof ctx.auth !== 'string' || typeof projectId !== 'string' || !projectId) {
      return { disabled: true, placeholder: 'Choose a project first', options: [] };
    }
    const members = await call<Member[]>(
      ctx.http,
      ctx.auth,
      `/projects/${encodeURIComponent(projectId)}/members`,
      { signal: ctx.signal },
    );
    return { options: members.map((m) => ({ label: m.name, value: m.id })) };
  },
});

/** A read action: runs without asking, also when the chat agent calls it. */
export const listTasks = defineAction({
  id: 'list_tasks',
  displayName: 'List tasks',
  description: 'Lists the tasks of a project, the open ones unless told otherwise.',
  risk: 'read',
  auth: apiKey,
  props: {
    project,
    status: prop.staticDropdown({
      displayName: 'Status',
      required: false,
      defaultValue: 'open',
      options: {
        options: [
          { label: 'Open', value: 'open' },
          { label: 'Done', value: 'done' },
        ],
      },
    }),
  },
  sampleOutput: [sampleTask],
  async run(ctx) {
    const status = ctx.props.status ?? 'open';
    return call<Task[]>(
      ctx.http,
      ctx.auth,
      `/projects/${encodeURIComponent(ctx.props.project)}/tasks?status=${status}`,
      { signal: ctx.signal },
    );
  },
});

/** A write action: in chat it waits for the person's approval before it runs. */
export const createTask = defineAction({
  id: 'create_task',
  displayName: 'Create task',
  description: 'Adds a task to a project.',
  risk: 'write',
  auth: apiKey,
  props: {
    project,
    title: prop.shortText({ displayName: 'Title', required: true }),
    notes: prop.longText({ displayName: 'Notes', required: false }),
    assignee,
  },
  sampleOutput: sampleTask,
  async run(ctx) {
    const task = await call<Task>(
      ctx.http,
      ctx.auth,
      `/projects/${encodeURIComponent(ctx.props.project)}/tasks`,
      {
        method: 'POST',
        body: JSON.stringify({
          title: ctx.props.title,
          notes: ctx.props.notes,
          assigneeId: ctx.props.assignee,
        }),
        signal: ctx.signal,
      },
    );
    ctx.logger.info('task created', { id: task.id });
    return task;
  },
});

/** Where the polling trigger remembers the newest task it has seen (per flow). */
export const CURSOR = 'last-task-id';

/**
 * A polling trigger: PMOS calls `run` on a schedule and starts the flow once per returned
 * task. The cursor in `ctx.store` makes each task fire exactly once.
 */
export const newTask = defineTrigger({
  id: 'new_task',
  displayName: 'New task',
  description: 'Starts the flow for each task created in a project.',
  strategy: 'polling',
  auth: apiKey,
  props: { project },
  sampleOutput: sampleTask,
  async onEnable(ctx) {
    // Start from the newest task, so turning the flow on does not replay the whole project.
    const newest = await call<Task[]>(
      ctx.http,
      ctx.auth,
      `/projects/${encodeURIComponent(ctx.props.project)}/tasks?order=desc&limit=1`,
      { signal: ctx.signal },
    );
    await ctx.store.put(CURSOR, newest[0]?.id ?? 0);
  },
  async run(ctx) {
    const since = (await ctx.store.get<number>(CURSOR)) ?? 0;
    const tasks = await call<Task[]>(
      ctx.http,
      ctx.auth,
      `/projects/${encodeURIComponent(ctx.props.project)}/tasks?since_id=${since}`,
      { signal: ctx.signal },
    );
    const fresh = tasks.filter((t) => t.id > since).sort((a, b) => a.id - b.id);
    const last = fresh.at(-1);
    if (last) await ctx.store.put(CURSOR, last.id);
    return fresh;
  },
});

export const connector = defineConnector({
  id: '{{id}}',
  displayName: SERVICE,
  description: '{{description}}',
  auth: apiKey,
  /** Run when a connection is saved and from its page: one cheap request, a plain answer. */
  async healthCheck(ctx) {
    const res = await ctx.http(`${API}/me`, {
      headers: { authorization: `Bearer ${ctx.auth}`, accept: 'application/json' },
      signal: ctx.signal,
    });
    if (res.status === 401 || res.status === 403) {
      return { ok: false, message: `${SERVICE} refused the API key: create a new one.` };
    }
    if (!res.ok) return { ok: false, message: `${SERVICE} answered ${res.status}; try later.` };
    const me = (await res.json()) as { name: string };
    return { ok: true, message: `Connected as ${me.name}` };
  },
  actions: [listTasks, createTask],
  triggers: [newTask],
});
