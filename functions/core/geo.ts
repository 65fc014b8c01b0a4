/**
 * Where a report was filed compared with its grid's boundary. A location outside the grid is not
 * refused (a worker may stand at the edge of their grid, or GPS drifts on a cheap phone) but the
 * report is flagged so the console can show it and a supervisor can check.
 *
 * Coordinates are treated as a plane ([lng, lat] degrees, as GeoJSON orders them). That is exact
 * enough for grids of a few kilometres, which never cross the antimeridian or a pole.
 */
import type { TreeNode } from './tree.ts';

export type LngLat = readonly [number, number];

/** The report's location lies outside its grid's boundary polygon. */
export const OUTSIDE_GRID = 'outside_grid';

/** Points this close to an edge (in degrees, about 0.1 mm) count as on it, absorbing float rounding. */
const ON_EDGE_TOLERANCE = 1e-9;

function onSegment(p: LngLat, a: LngLat, b: LngLat): boolean {
  const [px, py] = p;
  const [ax, ay] = a;
  const [bx, by] = b;
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  // Projection of p onto the segment, clamped to its ends, then the distance from p to it.
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
  const cx = ax + t * dx;
  const cy = ay + t * dy;
  return Math.hypot(px - cx, py - cy) <= ON_EDGE_TOLERANCE;
}

/**
 * Point in polygon by ray casting: count the edges a ray from the point towards +lng crosses; odd
 * means inside. The ring may be given closed (last point = first) or open. Edge cases:
 * - a point on an edge or a vertex is INSIDE: a boundary line belongs to both neighbouring grids,
 *   and flagging a worker for standing on it would be noise;
 * - an edge is counted only when one end is strictly above the point and the other is not
 *   (half-open), so a ray through a vertex counts it once, and horizontal edges never count;
 * - fewer than three distinct points enclose nothing: false (callers treat that as no boundary);
 * - self-intersecting rings follow the even-odd rule.
 */
export function pointInPolygon(point: LngLat, ring: readonly LngLat[]): boolean {
  const points = ring.length > 1 && sameLngLat(ring[0], ring.at(-1)) ? ring.slice(0, -1) : ring;
  if (points.length < 3) return false;
  const [x, y] = point;
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const a = points[i] as LngLat;
    const b = points[j] as LngLat;
    if (onSegment(point, a, b)) return true;
    const [ax, ay] = a;
    const [bx, by] = b;
    if (ay > y !== by > y) {
      const crossingX = ax + ((y - ay) * (bx - ax)) / (by - ay);
      if (x < crossingX) inside = !inside;
    }
  }
  return inside;
}

function sameLngLat(a: LngLat | undefined, b: LngLat | undefined): boolean {
  return a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1];
}

/** A boundary that can enclose anything: three or more points, all finite. */
export function isUsableBoundary(boundary: readonly LngLat[] | undefined): boundary is readonly LngLat[] {
  return boundary !== undefined && boundary.length >= 3 && boundary.every(([lng, lat]) => Number.isFinite(lng) && Number.isFinite(lat));
}

/**
 * The flags a new report gets from where it was filed: ['outside_grid'] when it has a location,
 * its grid has a boundary and the location is outside it; otherwise none.
 */
export function locationFlags(grid: Pick<TreeNode, 'boundary'>, location: { lat: number; lng: number } | null | undefined): string[] {
  if (!location || !isUsableBoundary(grid.boundary)) return [];
  return pointInPolygon([location.lng, location.lat], grid.boundary) ? [] : [OUTSIDE_GRID];
}
