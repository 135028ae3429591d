import type { HealthReport } from '@pmos/sdk/server';
import { AiProviderError } from './errors.js';

/** What one listing request found: how many chat models, and a few worth naming. */
export interface ListingSummary {
  count: number;
  /** Up to three model ids to name, the provider's newest first where it says. */
  featured: string[];
}

export function modelsSentence({ count, featured }: ListingSummary): string {
  const names = featured.slice(0, 3).join(', ');
  if (count === 1) return `1 model available: ${names}`;
  if (count <= featured.length) return `${count} models available: ${names}`;
  return `${count} models available, including ${names}`;
}

/**
 * The health check of every provider: one listing request. It proves the key and the
 * address, and the answer names what the connection can use; a failure is a report with
 * the explained message, never a thrown error.
 */
export async function reportListing(
  list: () => Promise<ListingSummary>,
  say: { connected: string; empty: string },
): Promise<HealthReport> {
  try {
    const summary = await list();
    if (summary.count === 0) return { ok: false, message: say.empty };
    return { ok: true, message: `${say.connected}: ${modelsSentence(summary)}.` };
  } catch (error) {
    if (error instanceof AiProviderError) return { ok: false, message: error.message };
    throw error;
  }
}
