import { BcgptTransportError } from './errors.js';
import type { ToolResult } from './normalize.js';

/** The tool BCGPT offers to fetch the rest of a chunked list. */
export const chunkTool = 'get_cached_payload_chunk';

/** Stops a chunk loop that BCGPT never ends. */
const maxChunks = 200;

/** One answer of `get_cached_payload_chunk` (mcp.js `getLargePayloadChunk`). */
interface ChunkReply {
  chunk?: unknown;
  next_index?: unknown;
  done?: unknown;
}

/**
 * BCGPT cuts lists over 200 items into chunks: `{<key>: firstChunk, <key>_count,
 * <key>_cached: true, <key>_payload_key, <key>_chunk_count}`. This fetches the other chunks
 * with `get_cached_payload_chunk {payload_key, index}` and returns the payload with the
 * whole list under `<key>` and `<key>_cached: false`.
 */
export async function followChunks(
  payload: ToolResult,
  call: (tool: string, args: Record<string, unknown>) => Promise<ToolResult>,
): Promise<ToolResult> {
  let out = payload;
  for (const key of Object.keys(payload)) {
    const payloadKey = payload[`${key}_payload_key`];
    if (payload[`${key}_cached`] !== true || typeof payloadKey !== 'string') continue;
    const items = await fetchRest(
      key,
      payload[key],
      payloadKey,
      payload[`${key}_chunk_count`],
      call,
    );
    if (items) out = { ...out, [key]: items, [`${key}_cached`]: false };
  }
  // BCGPT's list tools (mcp.js `buildListPayload`) put the envelope at the top level:
  // `{<key>: firstChunk, count, cached: true, chunk_required: true, payload_key, chunk_count}`.
  if (payload.chunk_required === true && typeof payload.payload_key === 'string') {
    const lists = Object.keys(payload).filter(
      (key) => Array.isArray(payload[key]) && !key.endsWith('_preview'),
    );
    const key = lists.length === 1 ? lists[0] : undefined;
    const items =
      key && (await fetchRest(key, payload[key], payload.payload_key, payload.chunk_count, call));
    if (key && items) out = { ...out, [key]: items, cached: false, chunk_required: false };
  }
  return out;
}

/** The first chunk plus every other one, fetched in order; null when `first` is no list. */
async function fetchRest(
  key: string,
  first: unknown,
  payloadKey: string,
  chunkCount: unknown,
  call: (tool: string, args: Record<string, unknown>) => Promise<ToolResult>,
): Promise<unknown[] | null> {
  if (!Array.isArray(first)) return null;
  const count = Number(chunkCount);
  const items: unknown[] = [...first];
  let index: number | null = 1;
  let fetched = 1;
  while (index !== null && (!Number.isFinite(count) || index < count)) {
    if (fetched >= maxChunks) {
      throw new BcgptTransportError(
        'invalid_response',
        `BCGPT kept sending chunks of "${key}" (more than ${maxChunks}); the list is incomplete.`,
      );
    }
    const reply = (await call(chunkTool, { payload_key: payloadKey, index })) as ChunkReply;
    if (Array.isArray(reply.chunk)) items.push(...reply.chunk);
    fetched += 1;
    const next = reply.next_index;
    index = reply.done === true || typeof next !== 'number' ? null : next;
  }
  return items;
}
