import type { AiModelInfo } from '@pmos/sdk/server';
import { isRecord } from '../explain/failure.js';

/** One entry of `GET /models` in the OpenAI shape, as OpenAI and compatible servers send it. */
export interface OpenAiModelEntry {
  id: string;
  /** Seconds since the epoch (OpenAI); compatible servers may leave it out. */
  created?: number;
  /** The context window, where a compatible server says (vLLM `max_model_len`, OpenRouter `context_length`). */
  contextWindow?: number;
}

/** `{ object: "list", data: [{ id, created, … }] }`, or undefined when it is not that shape. */
export function readOpenAiModelList(body: unknown): OpenAiModelEntry[] | undefined {
  if (!isRecord(body) || !Array.isArray(body.data)) return undefined;
  return body.data.flatMap((entry) => {
    if (!isRecord(entry) || typeof entry.id !== 'string' || entry.id === '') return [];
    const window = [entry.context_length, entry.max_model_len, entry.context_window].find(
      (v): v is number => typeof v === 'number' && v > 0,
    );
    return [
      {
        id: entry.id,
        ...(typeof entry.created === 'number' ? { created: entry.created } : {}),
        ...(window ? { contextWindow: window } : {}),
      },
    ];
  });
}

export function toModelInfo(entry: OpenAiModelEntry): AiModelInfo {
  return entry.contextWindow
    ? { id: entry.id, displayName: entry.id, contextWindow: entry.contextWindow }
    : { id: entry.id, displayName: entry.id };
}

export const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

/** The newest few by `created` (when the server says), else the first few by id. */
export function featuredOf(entries: OpenAiModelEntry[]): string[] {
  return [...entries]
    .sort((a, b) => (b.created ?? 0) - (a.created ?? 0) || byId(a, b))
    .slice(0, 3)
    .map((e) => e.id);
}
