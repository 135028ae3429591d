import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, isTruncated } from './run-format.js';

describe('run formatting', () => {
  it('formats durations for people', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(4_250)).toBe('4.3 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(3_720_000)).toBe('1 h 2 min');
  });

  it('recognises truncated values and sizes', () => {
    expect(isTruncated({ $truncated: true, bytes: 3, preview: '' })).toBe(true);
    expect(isTruncated({ value: 1 })).toBe(false);
    expect(formatBytes(300_000)).toBe('293 KB');
    expect(formatBytes(3_000_000)).toBe('2.9 MB');
  });
});
