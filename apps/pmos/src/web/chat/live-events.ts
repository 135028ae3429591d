import type { ChatEvent, ConversationDetail } from '../api-types.js';

/** A conversation as read, plus the streamed events the read did not have yet, in order. */
export function withLiveEvents(
  detail: ConversationDetail,
  live: ReadonlyMap<number, ChatEvent>,
): ConversationDetail {
  const known = new Set(detail.events.map((e) => e.seq));
  const missing = [...live.values()].filter((e) => !known.has(e.seq));
  if (missing.length === 0) return detail;
  return { ...detail, events: [...detail.events, ...missing].sort((a, b) => a.seq - b.seq) };
}
