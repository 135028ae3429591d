import { useCallback, useState } from 'react';
import type { StepTestResult } from '../api-types.js';

/** What a step's last test (alone, or in a test run of the flow) gave. */
export interface StepTestRecord {
  status: StepTestResult['status'] | 'SKIPPED';
  output?: unknown;
  input?: unknown;
  error?: { code: string; message: string } | undefined;
  logs?: string[] | undefined;
  durationMs?: number | undefined;
  at: string;
  /** From a test of the step alone, or from a test run of the whole flow. */
  origin: 'test' | 'run';
}

export type TestRecords = Readonly<Record<string, StepTestRecord>>;

const storageKey = (flowId: string) => `pmos.studio.tests.${flowId}`;
/** Outputs larger than this are kept for the session only, not in the browser's storage. */
const maxStoredChars = 500_000;

function read(flowId: string): TestRecords {
  try {
    const text = localStorage.getItem(storageKey(flowId));
    return text ? (JSON.parse(text) as TestRecords) : {};
  } catch {
    return {};
  }
}

/**
 * The last test of each step of a flow, kept in the browser (the data picker offers their
 * outputs; a reload keeps them). Steps renamed or deleted simply stop being asked for.
 */
export function useTestRecords(flowId: string) {
  const [records, setRecords] = useState<TestRecords>(() => read(flowId));
  const record = useCallback(
    (updates: Record<string, StepTestRecord>) => {
      setRecords((current) => {
        const next = { ...current, ...updates };
        try {
          const text = JSON.stringify(next);
          if (text.length <= maxStoredChars) localStorage.setItem(storageKey(flowId), text);
        } catch {
          // Storage full or disabled: the records still live for this visit.
        }
        return next;
      });
    },
    [flowId],
  );
  return { records, record };
}
