import { BcgptServiceError, BcgptTransportError } from './errors.js';

export type ToolResult = Record<string, unknown>;

interface ContentItem {
  type?: unknown;
  text?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A `tools/call` result as BCGPT sends it — the raw payload (`{projects, count}`) — or as
 * a spec-compliant server (or a proxy with BCGPT's fetch shim) sends it — `{content:[…]}`
 * with the payload as JSON text or in `structuredContent` — turned into the payload.
 */
export function normalizeToolResult(result: unknown, tool: string): ToolResult {
  if (!isObject(result)) {
    // A bare array or value is still a payload; give it a stable key.
    if (result === undefined || result === null) return {};
    return { result };
  }
  const content = result.content;
  if (!Array.isArray(content)) return result;
  if (result.isError === true) {
    throw new BcgptServiceError(
      'tool_failed',
      `BCGPT could not run "${tool}": ${textOf(content as ContentItem[]).slice(0, 300) || 'no reason given'}.`,
      { tool },
    );
  }
  if (isObject(result.structuredContent)) return result.structuredContent;
  // BCGPT itself passes raw fields next to an empty `content` (seen through the MCP SDK).
  const { content: _content, ...rest } = result;
  const text = textOf(content as ContentItem[]);
  if (text === '') return rest;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : { result: parsed };
  } catch {
    return { text };
  }
}

function textOf(content: ContentItem[]): string {
  return content
    .filter((item) => item?.type === 'text' && typeof item.text === 'string')
    .map((item) => item.text as string)
    .join('\n')
    .trim();
}

/** The JSON-RPC reply: exactly one of `result` or `error`, under the request's id. */
export function readRpcReply(
  reply: unknown,
  tool: string | undefined,
): { result: unknown } | { error: Record<string, unknown> } {
  if (isObject(reply) && isObject(reply.error)) return { error: reply.error };
  if (isObject(reply) && 'result' in reply) return { result: reply.result };
  throw new BcgptTransportError(
    'invalid_response',
    'BCGPT answered with JSON that is not a JSON-RPC reply: check the BCGPT address.',
    { tool },
  );
}
