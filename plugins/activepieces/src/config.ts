import { z } from 'zod';

/**
 * The instance setting (PMOS_PLUGIN_CONFIG → "activepieces"): which installed pieces this
 * instance offers, each by npm name and exact version. Left out, every installed piece is
 * offered. A piece that is not installed at that version refuses the setting, so the admin
 * sees the mistake on the plugins page instead of a piece silently missing.
 */
export function pieceSettingsSchema(installed: Record<string, string>) {
  const names = Object.keys(installed);
  return z
    .object({
      pieces: z
        .array(
          z.object({
            name: z.string().regex(/^@activepieces\/piece-[a-z0-9-]+$/, {
              error: 'must be an npm name like @activepieces/piece-todoist',
            }),
            version: z
              .string()
              .regex(/^\d+\.\d+\.\d+$/, { error: 'must be an exact version like 0.3.1' }),
          }),
        )
        .optional()
        .describe(
          'The Activepieces pieces this instance offers (npm name and exact version); default: all installed.',
        ),
      syncRetryDelaysMs: z
        .array(z.number().int().min(0).max(60_000))
        .max(10)
        .optional()
        .describe(
          'Flow sync: waits (ms) before each retry of an edit Activepieces refuses while someone else edits the flow; default 1000, 3000, 8000.',
        ),
    })
    .superRefine((config, ctx) => {
      for (const [index, wanted] of (config.pieces ?? []).entries()) {
        const version = installed[wanted.name];
        if (version === wanted.version) continue;
        ctx.addIssue({
          code: 'custom',
          path: ['pieces', index],
          message:
            version === undefined
              ? `${wanted.name} is not installed (installed: ${names.join(', ') || 'none'})`
              : `${wanted.name} is installed at ${version}, not ${wanted.version}`,
        });
      }
    });
}

export type PieceSettings = z.infer<ReturnType<typeof pieceSettingsSchema>>;

/** The pieces a setting selects, in its order; all installed ones without it. */
export function selectedPieces(
  settings: PieceSettings,
  installed: Record<string, string>,
): { packageName: string; version: string }[] {
  const chosen =
    settings.pieces ?? Object.entries(installed).map(([name, version]) => ({ name, version }));
  return chosen.map((p) => ({ packageName: p.name, version: p.version }));
}
