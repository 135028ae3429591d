import { defineAction, prop } from '@pmos/sdk/server';
import { listIn, objectIn } from '../payload.js';
import { project } from '../props.js';
import { bcgptAuth, callTool, sampleProject, toProject } from './common.js';

export const listProjects = defineAction({
  id: 'list_projects',
  displayName: 'List projects',
  description: 'Lists the projects of the linked Basecamp account.',
  risk: 'read',
  auth: bcgptAuth,
  props: {
    archived: prop.checkbox({
      displayName: 'Archived projects',
      description: 'List archived projects instead of active ones.',
      required: false,
      defaultValue: false,
    }),
  },
  sampleOutput: { projects: [sampleProject], count: 1 },
  async run(ctx) {
    const payload = await callTool(ctx, 'list_projects', { archived: ctx.props.archived === true });
    const projects = listIn(payload, ['projects']).map(toProject);
    return { projects, count: projects.length };
  },
});

export const findProject = defineAction({
  id: 'find_project',
  displayName: 'Find project',
  description: 'Finds a project by its name (BCGPT matches names loosely).',
  risk: 'read',
  auth: bcgptAuth,
  props: {
    name: prop.shortText({
      displayName: 'Project name',
      description: 'All or part of the name, e.g. "launch".',
      required: true,
    }),
  },
  sampleOutput: sampleProject,
  async run(ctx) {
    const payload = await callTool(ctx, 'find_project', { name: ctx.props.name.trim() });
    return toProject(objectIn(payload, 'project'));
  },
});

export const listTodolists = defineAction({
  id: 'list_todolists',
  displayName: 'List to-do lists',
  description: 'Lists the to-do lists of a project.',
  risk: 'read',
  auth: bcgptAuth,
  props: { project },
  sampleOutput: {
    todolists: [{ id: 2001, name: 'Website', completed_ratio: '1/3', app_url: null }],
    count: 1,
  },
  async run(ctx) {
    const payload = await callTool(ctx, 'list_todolists', { project: ctx.props.project });
    const todolists = listIn(payload, ['todolists']).map((row) => ({
      id: row.id ?? null,
      name: String(row.name ?? row.title ?? ''),
      completed_ratio: typeof row.completed_ratio === 'string' ? row.completed_ratio : null,
      app_url: typeof row.app_url === 'string' ? row.app_url : null,
    }));
    return { todolists, count: todolists.length };
  },
});
