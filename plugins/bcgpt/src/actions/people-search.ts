import { defineAction, prop } from '@pmos/sdk/server';
import { idOf, listIn, type Row } from '../payload.js';
import { optionalProject, project } from '../props.js';
import { bcgptAuth, callTool, invalidInput } from './common.js';

const text = (value: unknown) => (typeof value === 'string' ? value : null);

export const listPeople = defineAction({
  id: 'list_people',
  displayName: 'List people',
  description: 'Lists the people on a project.',
  risk: 'read',
  auth: bcgptAuth,
  props: { project },
  sampleOutput: {
    people: [{ id: 501, name: 'Ada Lovelace', email_address: 'ada@example.com', title: null }],
    count: 1,
  },
  async run(ctx) {
    const payload = await callTool(ctx, 'list_project_people', { project: ctx.props.project });
    const people = listIn(payload, ['people']).map((row: Row) => ({
      id: idOf(row),
      name: text(row.name) ?? '',
      email_address: text(row.email_address) ?? text(row.email),
      title: text(row.title),
    }));
    return { people, count: people.length };
  },
});

export const search = defineAction({
  id: 'search',
  displayName: 'Search Basecamp',
  description: 'Searches to-dos, messages, documents and more by text.',
  risk: 'read',
  auth: bcgptAuth,
  props: {
    query: prop.shortText({ displayName: 'Search for', required: true }),
    project: optionalProject,
  },
  sampleOutput: {
    results: [
      {
        id: 3101,
        type: 'Todo',
        title: 'Write the landing page',
        app_url: 'https://3.basecamp.com/99/buckets/1001/todos/3101',
      },
    ],
    count: 1,
  },
  async run(ctx) {
    const query = ctx.props.query.trim();
    if (!query) throw invalidInput('Type something to search for.');
    const payload = await callTool(ctx, 'search_basecamp', { query, project: ctx.props.project });
    const results = listIn(payload, ['results', 'items']).map((row: Row) => ({
      id: idOf(row),
      type: text(row.type),
      title: text(row.title) ?? text(row.name) ?? text(row.subject) ?? '',
      app_url: text(row.app_url) ?? text(row.url),
    }));
    return { results, count: results.length };
  },
});
