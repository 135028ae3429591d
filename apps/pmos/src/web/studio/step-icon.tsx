import type { FlowStep } from '@pmos/flow';

const palette = ['#5e6ad2', '#0f8a6d', '#c2410c', '#7c3aed', '#0369a1', '#b45309', '#be185d'];

/** A stable colour per plugin: plugins ship no logo yet, so a monogram tells them apart. */
function colourOf(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length] ?? '#5e6ad2';
}

/** Glyphs of the built-in kinds of step. */
const glyphs: Record<string, string> = {
  LOOP_ON_ITEMS: 'M4 12a8 8 0 0 1 14-5.3M20 12a8 8 0 0 1-14 5.3M18 3v4h-4M6 21v-4h4',
  ROUTER: 'M6 3v6a3 3 0 0 0 3 3h6a3 3 0 0 1 3 3v6M6 21V3M15 18l3 3 3-3',
  CODE: 'm8 8-4 4 4 4M16 8l4 4-4 4M14 4l-4 16',
  EMPTY: 'M12 5v14M5 12h14',
};

/** The icon of a step's plugin (a monogram) or of its kind (loop, router, code). */
export function StepIcon({
  step,
  pluginId,
  label,
  size = 32,
}: {
  step?: Pick<FlowStep, 'type'>;
  pluginId?: string | undefined;
  /** The name the monogram is taken from, e.g. the plugin's display name. */
  label?: string | undefined;
  size?: number;
}) {
  const glyph = step && !pluginId ? glyphs[step.type] : undefined;
  const background = pluginId ? colourOf(pluginId) : 'var(--pmos-gray-600)';
  return (
    <span
      className="studio-icon"
      aria-hidden="true"
      style={{ width: size, height: size, background }}
    >
      {glyph ? (
        <svg
          width={size * 0.55}
          height={size * 0.55}
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
          aria-hidden="true"
          focusable="false"
        >
          <path d={glyph} />
        </svg>
      ) : (
        (label ?? pluginId ?? '?').trim().charAt(0).toUpperCase()
      )}
    </span>
  );
}
