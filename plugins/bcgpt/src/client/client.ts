import { followChunks } from './chunks.js';
import { type BcgptWireError, httpError, toBcgptError } from './error-mapping.js';
import { BcgptTransportError, redactKey } from './errors.js';
import { normalizeToolResult, readRpcReply, type ToolResult } from './normalize.js';
import { type RetryPolicy, type Sleep, withRetries } from './retry.js';

/** BCGPT reads the key from this header first (reference §1.2). */
export const API_KEY_HEADER = 'x-bcgpt-api-key';

export interface BcgptClientOptions {
  http: typeof fetch;
  /** Normalized, without a trailing slash. */
  baseUrl: string;
  apiKey: string;
  signal: AbortSignal;
  sleep?: Sleep;
  retry?: RetryPolicy;
}

export interface BcgptToolInfo {
  name: string;
  description?: string;
  inputSchema?: unknown;
}

export interface BcgptClient {
  readonly baseUrl: string;
  /** `tools/call`, retried as BCGPT allows, chunked lists followed; returns the payload. */
  callTool(tool: string, args?: Record<string, unknown>): Promise<ToolResult>;
  /** `tools/list` (needs no valid key on BCGPT, so it proves nothing about the key). */
  listTools(): Promise<BcgptToolInfo[]>;
  /** `POST /action/startbcgpt`: the key's status (see status.ts). */
  startBcgpt(): Promise<Record<string, unknown>>;
}

/**
 * A tolerant client of BCGPT's JSON-RPC `/mcp`: one JSON object in, one out (no SSE, no
 * session), raw or `content[]` results, string error codes (see error-mapping.ts).
 */
export function createBcgptClient(options: BcgptClientOptions): BcgptClient {
  const { http, baseUrl, apiKey, signal } = options;
  const redact = (text: string) => redactKey(text, apiKey);
  let nextId = 1;

  async function post(path: string, body: unknown, tool: string | undefined): Promise<unknown> {
    let response: Response;
    try {
      response = await http(`${baseUrl}${path}`, {
        method: 'POST',
        headers: {
          [API_KEY_HEADER]: apiKey,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      // fetch rejects with a TypeError when no answer came; a refused host or an abort is
      // the host's own error and goes up as it is.
      if (error instanceof TypeError) {
        const cause = error.cause instanceof Error ? error.cause.message : error.message;
        throw new BcgptTransportError(
          'unreachable',
          redact(`BCGPT could not be reached at ${baseUrl} (${cause}).`),
          { tool },
        );
      }
      throw error;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw httpError(response.status, tool);
    }
    try {
      return await response.json();
    } catch {
      throw new BcgptTransportError(
        'invalid_response',
        'BCGPT answered with something that is not JSON: check the BCGPT address.',
        { tool, status: response.status },
      );
    }
  }

  async function rpc(method: string, params: unknown, tool?: string): Promise<unknown> {
    const reply = readRpcReply(
      await post('/mcp', { jsonrpc: '2.0', id: nextId++, method, params }, tool),
      tool,
    );
    if ('error' in reply) {
      // The connect page, never BCGPT's own link: that one may carry the key.
      throw toBcgptError(reply.error as BcgptWireError, tool, redact, `${baseUrl}/connect`);
    }
    return reply.result;
  }

  async function callOnce(tool: string, args: Record<string, unknown>): Promise<ToolResult> {
    const result = await withRetries(
      () => rpc('tools/call', { name: tool, arguments: args }, tool),
      { signal, sleep: options.sleep, policy: options.retry },
    );
    return normalizeToolResult(result, tool);
  }

  return {
    baseUrl,
    async callTool(tool, args = {}) {
      return followChunks(await callOnce(tool, args), callOnce);
    },
    async listTools() {
      const result = (await rpc('tools/list', {})) as { tools?: unknown };
      return Array.isArray(result?.tools) ? (result.tools as BcgptToolInfo[]) : [];
    },
    async startBcgpt() {
      const body = await post('/action/startbcgpt', {}, 'startbcgpt');
      return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    },
  };
}
