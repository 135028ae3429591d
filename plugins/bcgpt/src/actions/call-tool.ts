import { defineAction, prop } from '@pmos/sdk/server';
import { BcgptError } from '../client/errors.js';
import { bcgptClientFor } from '../client/for-connection.js';
import type { BcgptConnection } from '../connection.js';
import { riskOfBcgptCall } from '../tool-risk.js';
import { bcgptAuth, invalidInput } from './common.js';

const tool = prop.dropdown<string>({
  displayName: 'Tool',
  description: 'A tool of your BCGPT server (or type its name).',
  required: true,
  refreshers: [],
  async options(ctx) {
    const connection = ctx.auth as BcgptConnection | undefined;
    if (!connection?.apiKey) {
      return { disabled: true, placeholder: 'Choose a BCGPT connection first', options: [] };
    }
    try {
      const tools = await bcgptClientFor({
        auth: connection,
        http: ctx.http,
        signal: ctx.signal,
      }).listTools();
      return {
        options: tools
          .map((t) => ({ label: `${t.name} (${riskOfBcgptCall(t.name)})`, value: t.name }))
          .sort((a, b) => a.value.localeCompare(b.value)),
      };
    } catch (error) {
      if (error instanceof BcgptError)
        return { disabled: true, placeholder: error.message, options: [] };
      throw error;
    }
  },
});

/**
 * Any BCGPT tool by name. Declared `destructive`, so flows and chat stop for an approval;
 * the chat layer may skip the approval for tools in `BCGPT_READ_ONLY_TOOLS`
 * (`isReadOnlyBcgptCall`), e.g. `list_projects` or `basecamp_raw` with method GET.
 */
export const callAnyTool = defineAction({
  id: 'call_tool',
  displayName: 'Call any BCGPT tool',
  description:
    'Runs any BCGPT tool with JSON arguments, for what the other actions do not cover. Treated as destructive: PMOS asks for approval unless the tool is known to only read (e.g. list_projects, get_todo, or basecamp_raw with method GET).',
  risk: 'destructive',
  // Known read-only tools (and raw GETs) need no approval; everything else stays destructive.
  riskOf: (props) =>
    riskOfBcgptCall(
      String(props.tool ?? '').trim(),
      typeof props.arguments === 'object' && props.arguments !== null
        ? (props.arguments as Record<string, unknown>)
        : undefined,
    ),
  auth: bcgptAuth,
  props: {
    tool,
    arguments: prop.json({
      displayName: 'Arguments',
      description: 'The tool\'s arguments as a JSON object, e.g. {"project": "Launch"}.',
      required: false,
      defaultValue: {},
    }),
  },
  sampleOutput: { tool: 'list_projects', risk: 'read', result: { projects: [], count: 0 } },
  async run(ctx) {
    const name = ctx.props.tool.trim();
    if (!/^[a-z][a-z0-9_]{0,99}$/.test(name)) {
      throw invalidInput(
        `A BCGPT tool name is lower case with underscores, like list_projects (got "${name}").`,
      );
    }
    const args = ctx.props.arguments ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw invalidInput('The arguments must be a JSON object, like {"project": "Launch"}.');
    }
    const record = args as Record<string, unknown>;
    const result = await bcgptClientFor(ctx).callTool(name, record);
    return { tool: name, risk: riskOfBcgptCall(name, record), result };
  },
});
