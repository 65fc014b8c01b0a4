/**
 * How maps draw reports and boundaries: one colour per tier (the legend shows the same), overdue
 * reports ringed in red, boundaries tinted by what lies inside them. Colours keep 3:1 against the
 * plain background (WCAG's contrast for graphics).
 */
export const TIERS = ['grid', 'village', 'township', 'department', 'supervision'] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_COLOURS: Record<Tier, string> = {
  grid: '#1d5fb8',
  village: '#1e7a36',
  township: '#a35200',
  department: '#7a3fbf',
  supervision: '#b0186e',
};

export const OVERDUE_COLOUR = '#c62828';
/** The map's background when no tiles are configured: boundaries and markers on a plain ground. */
export const PLAIN_BACKGROUND = '#eef1f5';

export function tierColour(tier: string): string {
  return TIER_COLOURS[tier as Tier] ?? '#5c6370';
}

/** A boundary's fill: red if something in it is overdue, amber if it holds open reports, a light blue otherwise. */
export function boundaryFill(counts: { openReports: number; overdueReports: number }): { color: string; opacity: number } {
  if (counts.overdueReports > 0) return { color: OVERDUE_COLOUR, opacity: 0.16 };
  if (counts.openReports > 0) return { color: '#a35200', opacity: 0.12 };
  return { color: '#1d5fb8', opacity: 0.06 };
}
