/**
 * A new node's code checked as it is typed, by the API's rules (core/tree.ts nodeCodeProblem): a
 * township extends its county's 6 digits by 3, a village its township's, a grid its village's. The
 * API checks again; this only says sooner, with the same error codes (messages: grid.code.*).
 */
import type { TreeLevel } from '../../api/tree';

export const CODE_LENGTHS: Record<TreeLevel, number> = { county: 6, township: 9, village: 12, grid: 15 };

export const CHILD_LEVEL: Record<TreeLevel, TreeLevel | null> = { county: 'township', township: 'village', village: 'grid', grid: null };
export const PARENT_LEVEL: Record<TreeLevel, TreeLevel | null> = { county: null, township: 'county', village: 'township', grid: 'village' };

export type CodeProblem = { code: 'NODE.CODE_SHAPE'; digits: number } | { code: 'NODE.CODE_PARENT'; parent: string };

export function codeProblem(code: string, level: TreeLevel, parentCode: string): CodeProblem | null {
  const digits = CODE_LENGTHS[level];
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return { code: 'NODE.CODE_SHAPE', digits };
  if (!code.startsWith(parentCode)) return { code: 'NODE.CODE_PARENT', parent: parentCode };
  return null;
}

/**
 * A boundary pasted as GeoJSON: a Polygon, or a Feature (or a collection of one) holding one, as
 * GIS tools export them. Only the shape is taken here; the API says what is wrong with the ring.
 */
export function polygonFromText(
  text: string,
): { polygon: { type: 'Polygon'; coordinates: number[][][] } } | { problem: 'json' | 'polygon' } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'json' };
  }
  const unwrap = (v: unknown): unknown => {
    const o = v as { type?: string; geometry?: unknown; features?: unknown[] } | null;
    if (o?.type === 'Feature') return unwrap(o.geometry);
    if (o?.type === 'FeatureCollection' && Array.isArray(o.features) && o.features.length === 1) return unwrap(o.features[0]);
    return v;
  };
  const polygon = unwrap(value) as { type?: string; coordinates?: unknown } | null;
  if (polygon?.type !== 'Polygon' || !Array.isArray(polygon.coordinates)) return { problem: 'polygon' };
  return { polygon: { type: 'Polygon', coordinates: polygon.coordinates as number[][][] } };
}
