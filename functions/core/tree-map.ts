/**
 * The map of a subtree (地图): the boundaries of a node's grids, or of its nodes at a chosen level,
 * and the open reports under it, as one GeoJSON FeatureCollection (RFC 7946) that a map draws as it
 * comes. Pure: the use case (use-cases/tree-map.ts) reads the nodes and reports and feeds them here.
 *
 * A report on the map shows what any reader of it may see and no more: its id, title, tier,
 * status, urgency, category, grid and whether it is late (超期) — never its reporter, assignees,
 * phone numbers, notes or links. A report without a location stays in the collection with a null
 * geometry (RFC 7946 §3.2), so the node page lists every open report from the same answer.
 *
 * The answer is bounded: a county holds up to about 5,000 grids, whose rings can hold thousands of
 * positions each, and an HTTP answer on Lambda stops at 6 MB. Beyond MAX_MAP_BOUNDARIES boundaries
 * or MAX_MAP_POSITIONS positions the map is refused (MAP.TOO_LARGE, with the limits), so a reader
 * picks a coarser level or a smaller node instead of getting a map with holes in it; reports, most
 * pressing first (the store yields them by deadline), stop at MAX_MAP_REPORTS, and the answer says
 * so (`reportsTruncated`).
 */
import type { GeoJsonPolygon } from './boundary.ts';
import { polygonOf } from './boundary.ts';
import { DomainRefusalError } from './errors.ts';
import type { Tier } from './policy.ts';
import { isLate, type Report, type ReportStatus } from './report.ts';
import { codeAtLevel, isActiveNode, levelIndex, type NodeLevel, type TreeNode } from './tree.ts';

export const MAX_MAP_BOUNDARIES = 5000;
/** About 22 characters each as JSON: some 3.3 MB of rings at most, leaving room for the reports. */
export const MAX_MAP_POSITIONS = 150_000;
export const MAX_MAP_REPORTS = 2000;

/** The levels a map may draw its boundaries at. */
export const MAP_LEVELS = ['township', 'village', 'grid'] as const satisfies readonly NodeLevel[];
export type MapLevel = (typeof MAP_LEVELS)[number];

export interface BoundaryProperties {
  /** `scope`: the node the map is of, drawn as its outline; `boundary`: one of its nodes at the map's level. */
  kind: 'scope' | 'boundary';
  code: string;
  name: string;
  level: NodeLevel;
  /** Open reports inside it (0 for the scope: the collection's report count is its own). */
  openReports: number;
  /** Of which late at some tier. */
  overdueReports: number;
}

export interface BoundaryFeature {
  type: 'Feature';
  id: string;
  geometry: GeoJsonPolygon;
  properties: BoundaryProperties;
}

export interface ReportProperties {
  kind: 'report';
  id: string;
  title: string;
  tier: Tier;
  status: ReportStatus;
  urgency: Report['urgency'];
  category: string;
  gridCode: string;
  /** 超期: late at some tier and still being handled (core/report.ts isLate). */
  overdue: boolean;
}

export interface ReportFeature {
  type: 'Feature';
  id: string;
  /** null: the report has no location (it is listed, not drawn). */
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: ReportProperties;
}

export interface SubtreeMap {
  type: 'FeatureCollection';
  /** The node the map is of. */
  node: { code: string; name: string; level: NodeLevel };
  /** The level its boundaries are drawn at. */
  level: NodeLevel;
  /** [west, south, east, north] of every geometry, absent when there is none. */
  bbox?: [number, number, number, number];
  /** Boundaries first (the scope's outline, then its nodes in path order), then reports, most pressing first. */
  features: (BoundaryFeature | ReportFeature)[];
  /** Active nodes at the map's level that have no boundary to draw. */
  withoutBoundary: number;
  /** Open reports listed without a location. */
  withoutLocation: number;
  /** More open reports exist than the map carries (MAX_MAP_REPORTS). */
  reportsTruncated: boolean;
  limits: { boundaries: number; positions: number; reports: number };
}

/** Why a map cannot be drawn at this level for this node: a level above the node's own. */
export function mapLevelProblem(
  node: Pick<TreeNode, 'code' | 'level'>,
  level: NodeLevel,
): { code: 'MAP.LEVEL_ABOVE_NODE'; message: string } | null {
  if (levelIndex(level) >= levelIndex(node.level)) return null;
  return {
    code: 'MAP.LEVEL_ABOVE_NODE',
    message: `${node.code}是${node.level}级，不能按更上一级（${level}）绘制 (a ${node.level} has no ${level} inside it)`,
  };
}

export function reportFeature(report: Report, now: Date): ReportFeature {
  return {
    type: 'Feature',
    id: `report:${report.id}`,
    geometry: report.location ? { type: 'Point', coordinates: [report.location.lng, report.location.lat] } : null,
    properties: {
      kind: 'report',
      id: report.id,
      title: report.title,
      tier: report.tier,
      status: report.status,
      urgency: report.urgency,
      category: report.category,
      gridCode: report.gridCode,
      overdue: isLate(report, now),
    },
  };
}

const tooLarge = (node: Pick<TreeNode, 'code'>, level: NodeLevel, what: string) =>
  new DomainRefusalError(
    'MAP.TOO_LARGE',
    `${node.code}按${level}级绘制的${what}超过上限，请选择更粗的层级或更小的范围 (too many ${what} for one map of ${node.code} at ${level} level: pick a coarser level or a smaller node)`,
    { level, limits: { boundaries: MAX_MAP_BOUNDARIES, positions: MAX_MAP_POSITIONS } },
  );

/**
 * Builds a map as the nodes and reports come, in either order or interleaved (the use case reads
 * both at once); each boundary gets its report counts when the map is built. It refuses as soon as
 * a limit is passed, so a map too large to send is not read to its end.
 */
export class SubtreeMapBuilder {
  private readonly reports: ReportFeature[] = [];
  private readonly counts = new Map<string, { open: number; overdue: number }>();
  private readonly boundaries: BoundaryFeature[] = [];
  private boundaryCount = 0;
  private positions = 0;
  private withoutBoundary = 0;
  private withoutLocation = 0;
  private truncated = false;
  private readonly box = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };

  constructor(
    readonly node: Pick<TreeNode, 'code' | 'name' | 'level'>,
    readonly level: NodeLevel,
    private readonly now: Date,
  ) {}

  /** One open report under the node. */
  addReport(report: Report): void {
    const feature = reportFeature(report, this.now);
    const key = codeAtLevel(report, this.level);
    const count = this.counts.get(key) ?? { open: 0, overdue: 0 };
    count.open++;
    if (feature.properties.overdue) count.overdue++;
    this.counts.set(key, count);
    if (this.reports.length >= MAX_MAP_REPORTS) {
      this.truncated = true;
      return;
    }
    if (feature.geometry) this.extend(feature.geometry.coordinates);
    else this.withoutLocation++;
    this.reports.push(feature);
  }

  /** One node of the subtree (the node itself, then everything below it); only what the map draws is kept. */
  addNode(node: TreeNode): void {
    if (!isActiveNode(node)) return;
    const isScope = node.code === this.node.code;
    if (node.level !== this.level && !isScope) return;
    if (!node.boundary) {
      if (node.level === this.level) this.withoutBoundary++;
      return;
    }
    const kind = isScope && node.level !== this.level ? 'scope' : 'boundary';
    if (kind === 'boundary' && ++this.boundaryCount > MAX_MAP_BOUNDARIES) throw tooLarge(this.node, this.level, 'boundaries');
    this.positions += node.boundary.length;
    if (this.positions > MAX_MAP_POSITIONS) throw tooLarge(this.node, this.level, 'boundary positions');
    for (const position of node.boundary) this.extend(position);
    this.boundaries.push({
      type: 'Feature',
      id: `node:${node.code}`,
      geometry: polygonOf(node.boundary),
      properties: {
        kind,
        code: node.code,
        name: node.name,
        level: node.level,
        openReports: 0,
        overdueReports: 0,
      },
    });
  }

  private extend([lng, lat]: readonly [number, number]): void {
    this.box.west = Math.min(this.box.west, lng);
    this.box.east = Math.max(this.box.east, lng);
    this.box.south = Math.min(this.box.south, lat);
    this.box.north = Math.max(this.box.north, lat);
  }

  build(): SubtreeMap {
    const { west, south, east, north } = this.box;
    const boundaries = this.boundaries.map((feature) => {
      const count = feature.properties.kind === 'boundary' ? this.counts.get(feature.properties.code) : undefined;
      return count
        ? { ...feature, properties: { ...feature.properties, openReports: count.open, overdueReports: count.overdue } }
        : feature;
    });
    return {
      type: 'FeatureCollection',
      node: { code: this.node.code, name: this.node.name, level: this.node.level },
      level: this.level,
      ...(Number.isFinite(west) ? { bbox: [west, south, east, north] as [number, number, number, number] } : {}),
      features: [...boundaries, ...this.reports],
      withoutBoundary: this.withoutBoundary,
      withoutLocation: this.withoutLocation,
      reportsTruncated: this.truncated,
      limits: { boundaries: MAX_MAP_BOUNDARIES, positions: MAX_MAP_POSITIONS, reports: MAX_MAP_REPORTS },
    };
  }
}
