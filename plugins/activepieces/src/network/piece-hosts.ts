/**
 * The hosts each shipped piece's code reaches, read from its source. A piece call may reach
 * these and nothing else (on top of the manifest's `permissions.hosts`, which must list them
 * all). Pieces without an outside service reach none. The OAuth2 token endpoint is absent on
 * purpose: PMOS, not the piece, exchanges and renews tokens.
 */
export const pieceHosts: Record<string, readonly string[]> = {
  '@activepieces/piece-todoist': ['api.todoist.com'],
  '@activepieces/piece-data-mapper': [],
  '@activepieces/piece-delay': [],
  '@activepieces/piece-store': [],
};

/** Where the adapter decides by hand what the name heuristic would misjudge. */
export const riskOverrides: Record<string, Record<string, 'read' | 'write' | 'destructive'>> = {
  // A pure transform of its input: nothing outside changes.
  '@activepieces/piece-data-mapper': { advanced_mapping: 'read' },
  // Waits, then lets the flow go on: nothing outside changes.
  '@activepieces/piece-delay': { delayFor: 'read', delay_until: 'read' },
};
