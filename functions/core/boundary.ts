/**
 * A node's boundary: clients send and read a GeoJSON Polygon, the node keeps its outer ring
 * (`[lng, lat][]`, closed), which is what `geo.ts` tests points against. The checks are pure so the
 * API, the CSV importer and scripts refuse the same boundaries with the same reasons (Chinese
 * first, as admins read them).
 *
 * Containment is checked vertex by vertex (every vertex of the ring inside the parent's ring, the
 * edge counting as inside): exact for the convex shapes counties draw, and an edge that cuts a
 * concave parent's notch is let through rather than refused on a guess.
 */
import { isUsableBoundary, type LngLat, pointInPolygon } from './geo.ts';

export interface GeoJsonPolygon {
  type: 'Polygon';
  coordinates: number[][][];
}

/** The ring lives on the node item (and before/after in its audit entry): bounded so the item stays far below DynamoDB's 400 KB. */
export const MAX_BOUNDARY_POSITIONS = 5000;

export interface BoundaryProblem {
  code:
    | 'NODE.BOUNDARY_NOT_POLYGON'
    | 'NODE.BOUNDARY_HOLES'
    | 'NODE.BOUNDARY_TOO_FEW'
    | 'NODE.BOUNDARY_TOO_LARGE'
    | 'NODE.BOUNDARY_POSITION'
    | 'NODE.BOUNDARY_NOT_CLOSED'
    | 'NODE.BOUNDARY_NO_AREA'
    | 'NODE.BOUNDARY_OUTSIDE_PARENT'
    | 'NODE.BOUNDARY_EXCLUDES_CHILD';
  message: string;
}

const problem = (code: BoundaryProblem['code'], message: string): { problem: BoundaryProblem } => ({ problem: { code, message } });

function positionProblem(position: unknown, index: number): BoundaryProblem | null {
  const ok =
    Array.isArray(position) &&
    position.length === 2 &&
    position.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    Math.abs(position[0] as number) <= 180 &&
    Math.abs(position[1] as number) <= 90;
  if (ok) return null;
  return {
    code: 'NODE.BOUNDARY_POSITION',
    message: `第${index + 1}个坐标点应为[经度, 纬度]，经度在-180到180之间，纬度在-90到90之间 (position ${index} must be [lng, lat] with lng in −180…180 and lat in −90…90)`,
  };
}

/** Twice the signed area of a ring (shoelace); zero when its points enclose nothing. */
function doubledArea(ring: readonly LngLat[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as LngLat;
    const [x2, y2] = ring[i + 1] as LngLat;
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

/**
 * The outer ring of a GeoJSON Polygon, or why it cannot be a node's boundary: not a Polygon, a
 * hole (one ring only), fewer than 4 positions, more than MAX_BOUNDARY_POSITIONS, a position that
 * is not a finite [lng, lat] in range, a ring that is not closed (last = first), or one that
 * encloses no area.
 */
export function boundaryFromGeoJson(value: unknown): { ring: [number, number][] } | { problem: BoundaryProblem } {
  const polygon = value as { type?: unknown; coordinates?: unknown } | null;
  if (polygon === null || typeof polygon !== 'object' || polygon.type !== 'Polygon' || !Array.isArray(polygon.coordinates)) {
    return problem(
      'NODE.BOUNDARY_NOT_POLYGON',
      '边界应为 GeoJSON Polygon：{"type":"Polygon","coordinates":[[[经度,纬度],…]]} (a GeoJSON Polygon)',
    );
  }
  const rings = polygon.coordinates as unknown[];
  if (rings.length > 1) {
    return problem(
      'NODE.BOUNDARY_HOLES',
      `边界只能有一个外环，不支持内环（洞），收到${rings.length}个环 (one ring only: holes are not supported, got ${rings.length} rings)`,
    );
  }
  const ring = rings[0];
  if (!Array.isArray(ring) || ring.length < 4) {
    return problem(
      'NODE.BOUNDARY_TOO_FEW',
      '边界至少需要4个坐标点，且最后一个与第一个相同 (a ring has at least 4 positions, the last repeating the first)',
    );
  }
  if (ring.length > MAX_BOUNDARY_POSITIONS) {
    return problem(
      'NODE.BOUNDARY_TOO_LARGE',
      `边界最多${MAX_BOUNDARY_POSITIONS}个坐标点，收到${ring.length}个，请先简化 (at most ${MAX_BOUNDARY_POSITIONS} positions, got ${ring.length}: simplify it)`,
    );
  }
  for (const [index, position] of ring.entries()) {
    const bad = positionProblem(position, index);
    if (bad) return { problem: bad };
  }
  const positions = ring as [number, number][];
  const [first, last] = [positions[0] as LngLat, positions.at(-1) as LngLat];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return problem(
      'NODE.BOUNDARY_NOT_CLOSED',
      `边界未闭合：最后一个坐标点应与第一个相同[${first.join(', ')}] (the ring is not closed: its last position must equal its first)`,
    );
  }
  if (Math.abs(doubledArea(positions)) < 1e-12) {
    return problem('NODE.BOUNDARY_NO_AREA', '边界的坐标点围不成面积 (the ring encloses no area)');
  }
  return { ring: positions.map(([lng, lat]) => [lng, lat]) };
}

export function polygonOf(ring: readonly (readonly [number, number])[]): GeoJsonPolygon {
  return { type: 'Polygon', coordinates: [ring.map(([lng, lat]) => [lng, lat])] };
}

/** The first vertex of `ring` outside `outer`, or -1 when every one lies inside or on its edge. */
function firstVertexOutside(ring: readonly LngLat[], outer: readonly LngLat[]): number {
  return ring.findIndex((vertex) => !pointInPolygon(vertex, outer));
}

/**
 * Why a node's ring cannot sit in its parent: a vertex outside the parent's boundary. A parent
 * without a boundary (or with one that encloses nothing) constrains nothing.
 */
export function boundaryOutsideParent(
  ring: readonly LngLat[],
  parent: { code: string; name: string; boundary?: readonly LngLat[] },
): BoundaryProblem | null {
  if (!isUsableBoundary(parent.boundary)) return null;
  const index = firstVertexOutside(ring, parent.boundary);
  if (index < 0) return null;
  const [lng, lat] = ring[index] as LngLat;
  return {
    code: 'NODE.BOUNDARY_OUTSIDE_PARENT',
    message: `第${index + 1}个坐标点[${lng}, ${lat}]在上级${parent.name}（${parent.code}）的边界之外 (position ${index} lies outside the boundary of the parent ${parent.code})`,
  };
}

/**
 * Why a node's new ring would leave one of its children outside it (a boundary drawn smaller than
 * what it holds); children without boundaries constrain nothing.
 */
export function boundaryExcludesChild(
  ring: readonly LngLat[],
  children: readonly { code: string; name: string; boundary?: readonly LngLat[] }[],
): BoundaryProblem | null {
  for (const child of children) {
    if (!isUsableBoundary(child.boundary)) continue;
    const index = firstVertexOutside(child.boundary, ring);
    if (index < 0) continue;
    return {
      code: 'NODE.BOUNDARY_EXCLUDES_CHILD',
      message: `下级${child.name}（${child.code}）的边界有坐标点在新边界之外 (the boundary of the child ${child.code} would lie partly outside it)`,
    };
  }
  return null;
}
