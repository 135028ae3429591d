/**
 * A fake of the Todoist APIs as `@activepieces/piece-todoist` 0.3.1 uses them: REST v2
 * (`GET /rest/v2/projects`, `POST /rest/v2/tasks`, `GET /rest/v2/tasks`), Sync v9
 * (`GET /sync/v9/completed/get_all`) and the OAuth token exchange. Bodies and errors follow
 * Todoist's documented shapes (ids are strings, timestamps `…000000Z`, errors plain text).
 * It is a `fetch`: hand it to the plugin host (or the harness) as the outside world.
 *
 * It imports nothing, so the app's integration test can use it too.
 */
export interface FakeTodoistProject {
  id: string;
  name: string;
}

export interface FakeTodoistTask {
  id: string;
  content: string;
  description: string;
  project_id: string;
  labels: string[];
  priority: number;
  due: { date: string; string: string; lang: string; is_recurring: boolean } | null;
}

export interface FakeTodoist {
  fetch: typeof fetch;
  /** Every request that reached the fake, in order. */
  requests: { method: string; url: string; authorization: string | null; body: unknown }[];
  tasks: FakeTodoistTask[];
  /** Marks a task completed now (what the "Task Completed" trigger polls for). */
  complete(taskId: string, at?: Date): void;
  oauth: {
    client: { id: string; secret: string };
    /** What Todoist does when the person consents: a code for this authorization URL. */
    approve(authorizationUrl: string): string;
    token: string;
  };
}

const userId = '2671355';

export function fakeTodoist(
  options: { projects?: FakeTodoistProject[]; token?: string } = {},
): FakeTodoist {
  const token = options.token ?? 'todoist-token-0123456789abcdef0123';
  const client = { id: 'todoist-client-id', secret: 'todoist-client-secret' };
  const projects = options.projects ?? [
    { id: '2203306141', name: 'Inbox' },
    { id: '2203306142', name: 'Launch' },
  ];
  const tasks: FakeTodoistTask[] = [];
  const completed: {
    id: string;
    task_id: string;
    content: string;
    project_id: string;
    completed_at: string;
  }[] = [];
  const codes = new Set<string>();
  const requests: FakeTodoist['requests'] = [];
  let nextId = 2995104339;

  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', 'x-request-id': String(nextId) },
    });
  const text = (body: string, status: number) =>
    new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  // Todoist's timestamps: microseconds and a Z.
  const stamp = (date: Date) => date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  // `since`/`until` arrive as "YYYY-MM-DDTHH:mm:ss" (UTC, no zone): compare as UTC.
  const parseParam = (value: string | null) =>
    value ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`) : null;

  const projectView = (p: FakeTodoistProject, index: number) => ({
    id: p.id,
    parent_id: null,
    order: index,
    color: 'charcoal',
    name: p.name,
    comment_count: 0,
    is_shared: false,
    is_favorite: false,
    is_inbox_project: index === 0,
    is_team_inbox: false,
    url: `https://todoist.com/showProject?id=${p.id}`,
    view_style: 'list',
  });
  const taskView = (t: FakeTodoistTask) => ({
    creator_id: userId,
    created_at: stamp(new Date()),
    assignee_id: null,
    assigner_id: null,
    comment_count: 0,
    is_completed: completed.some((c) => c.task_id === t.id),
    content: t.content,
    description: t.description,
    due: t.due,
    duration: null,
    id: t.id,
    labels: t.labels,
    order: tasks.indexOf(t) + 1,
    priority: t.priority,
    project_id: t.project_id,
    section_id: null,
    parent_id: null,
    url: `https://todoist.com/showTask?id=${t.id}`,
  });

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const raw = request.body ? await request.text() : '';
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    requests.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.get('authorization'),
      body,
    });
    if (url.host === 'todoist.com' && url.pathname === '/oauth/access_token') {
      const form = Object.fromEntries(new URLSearchParams(raw));
      const basic = request.headers.get('authorization');
      const [id, secret] = basic?.startsWith('Basic ')
        ? atob(basic.slice(6)).split(':')
        : [form.client_id, form.client_secret];
      if (id !== client.id || secret !== client.secret) {
        return json({ error: 'invalid_client' }, 400);
      }
      if (!form.code || !codes.delete(form.code))
        return json({ error: 'bad_authorization_code' }, 400);
      // Todoist's tokens do not expire: no refresh token, no expires_in.
      return json({ access_token: token, token_type: 'Bearer' });
    }
    if (url.host !== 'api.todoist.com') return text('Not Found', 404);
    if (request.headers.get('authorization') !== `Bearer ${token}`) {
      return text('Forbidden', 401);
    }
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /rest/v2/projects') return json(projects.map(projectView));
    if (route === 'GET /rest/v2/tasks') {
      const projectId = url.searchParams.get('project_id');
      return json(tasks.filter((t) => !projectId || t.project_id === projectId).map(taskView));
    }
    if (route === 'POST /rest/v2/tasks') {
      const input = (body ?? {}) as Record<string, unknown>;
      if (typeof input.content !== 'string' || input.content.trim() === '') {
        return text('Argument content is missing', 400);
      }
      const projectId = input.project_id === undefined ? projects[0]?.id : String(input.project_id);
      if (!projects.some((p) => p.id === projectId)) return text('Invalid argument value', 400);
      if (
        input.priority !== undefined &&
        !(
          Number.isInteger(input.priority) &&
          Number(input.priority) >= 1 &&
          Number(input.priority) <= 4
        )
      ) {
        return text('Invalid argument value', 400);
      }
      if (
        input.labels !== undefined &&
        !(Array.isArray(input.labels) && input.labels.every((l) => typeof l === 'string'))
      ) {
        return text('Invalid argument value', 400);
      }
      const due =
        typeof input.due_date === 'string'
          ? { date: input.due_date, string: input.due_date, lang: 'en', is_recurring: false }
          : null;
      const task: FakeTodoistTask = {
        id: String(nextId++),
        content: input.content,
        description: typeof input.description === 'string' ? input.description : '',
        project_id: projectId ?? '',
        labels: (input.labels as string[] | undefined) ?? [],
        priority: (input.priority as number | undefined) ?? 1,
        due,
      };
      tasks.push(task);
      return json(taskView(task));
    }
    if (route === 'GET /sync/v9/completed/get_all') {
      const since = parseParam(url.searchParams.get('since'));
      const until = parseParam(url.searchParams.get('until'));
      const projectId = url.searchParams.get('project_id');
      const limit = Number(url.searchParams.get('limit') ?? 30);
      const items = completed
        .filter((c) => {
          const at = new Date(c.completed_at);
          return (
            (!since || at >= since) &&
            (!until || at <= until) &&
            (!projectId || c.project_id === projectId)
          );
        })
        .slice(0, limit)
        .map((c) => ({
          content: c.content,
          meta_data: null,
          user_id: userId,
          task_id: c.task_id,
          note_count: 0,
          project_id: c.project_id,
          section_id: null,
          completed_at: c.completed_at,
          id: c.id,
        }));
      return json({ items, projects: {}, sections: {} });
    }
    return text('Not Found', 404);
  };

  return {
    fetch: async (input, init) => handle(new Request(input, init)),
    requests,
    tasks,
    complete(taskId, at = new Date()) {
      const task = tasks.find((t) => t.id === taskId);
      if (!task) throw new Error(`fakeTodoist: no task ${taskId}`);
      completed.push({
        id: String(nextId++),
        task_id: task.id,
        content: task.content,
        project_id: task.project_id,
        // Whole seconds, like the piece's `since`/`until`.
        completed_at: stamp(new Date(Math.floor(at.getTime() / 1000) * 1000)),
      });
    },
    oauth: {
      client,
      token,
      approve(authorizationUrl) {
        const params = new URL(authorizationUrl).searchParams;
        if (params.get('client_id') !== client.id) throw new Error('fakeTodoist: wrong client_id');
        const code = `todoist-code-${codes.size + requests.length}`;
        codes.add(code);
        return code;
      },
    },
  };
}
