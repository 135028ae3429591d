import { describe, expect, it } from 'vitest';
import type { ChatEvent, ConversationDetail } from '../api-types.js';
import { withLiveEvents } from './live-events.js';

const event = (seq: number, type = 'status'): ChatEvent => ({
  seq,
  turnId: 't1',
  type,
  data: {},
  at: '2026-11-26T00:00:00.000Z',
});
const detail = (events: ChatEvent[]): ConversationDetail => ({
  id: 'c1',
  title: 'x',
  flowId: null,
  createdAt: '2026-11-26T00:00:00.000Z',
  updatedAt: '2026-11-26T00:00:00.000Z',
  turns: [],
  events,
  approvals: [],
});

describe('withLiveEvents', () => {
  it('keeps a streamed event that a read begun before it did not have', () => {
    const read = detail([event(1), event(2)]);
    const merged = withLiveEvents(
      read,
      new Map([
        [3, event(3, 'plan')],
        [2, event(2)],
      ]),
    );
    expect(merged.events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('puts late events in order and leaves a complete read as it is', () => {
    const read = detail([event(1), event(3)]);
    expect(withLiveEvents(read, new Map([[2, event(2)]])).events.map((e) => e.seq)).toEqual([
      1, 2, 3,
    ]);
    expect(withLiveEvents(read, new Map([[3, event(3)]]))).toBe(read);
  });
});
