/**
 * The jurisdiction tree: county (县/区) → township/street (乡镇/街道) → village/community (村/社区)
 * → grid (网格). Every node knows its parent and its full ancestor path, so "is X inside Y's
 * subtree" is a pure check with no lookups.
 */
export const NODE_LEVELS = ['county', 'township', 'village', 'grid'] as const;
export type NodeLevel = (typeof NODE_LEVELS)[number];

export interface TreeNode {
  code: string;
  name: string;
  level: NodeLevel;
  /** null only for the county, the root of a deployment's tree. */
  parentCode: string | null;
  /** Ancestor codes from the county down to and including this node. */
  path: string[];
  /** Optional boundary polygon [lng, lat][] for later geographic checks. */
  boundary?: [number, number][];
}

/** The codes of a grid's ancestors by level, as stored on every report for subtree queries. */
export interface Jurisdiction {
  countyCode: string;
  townshipCode: string;
  villageCode: string;
  gridCode: string;
}

export function levelIndex(level: NodeLevel): number {
  return NODE_LEVELS.indexOf(level);
}

export function childLevel(level: NodeLevel): NodeLevel | null {
  return NODE_LEVELS[levelIndex(level) + 1] ?? null;
}

export function makeNode(input: { code: string; name: string; level: NodeLevel; parent: TreeNode | null }): TreeNode {
  const { code, name, level, parent } = input;
  if (parent === null) {
    if (level !== 'county') throw new Error(`node ${code}: only a county may have no parent`);
    return { code, name, level, parentCode: null, path: [code] };
  }
  if (childLevel(parent.level) !== level) {
    throw new Error(`node ${code}: a ${level} cannot sit under the ${parent.level} ${parent.code}`);
  }
  return { code, name, level, parentCode: parent.code, path: [...parent.path, code] };
}

export function jurisdictionOf(grid: TreeNode): Jurisdiction {
  const [countyCode, townshipCode, villageCode, gridCode] = grid.path;
  if (grid.level !== 'grid' || !countyCode || !townshipCode || !villageCode || !gridCode) {
    throw new Error(`node ${grid.code} is not a grid with a full path`);
  }
  return { countyCode, townshipCode, villageCode, gridCode };
}

export function jurisdictionCodes(j: Jurisdiction): string[] {
  return [j.countyCode, j.townshipCode, j.villageCode, j.gridCode];
}

/** True when `nodeCode` is the jurisdiction's grid or one of its ancestors. */
export function isWithin(j: Jurisdiction, nodeCode: string): boolean {
  return jurisdictionCodes(j).includes(nodeCode);
}

/** The node of the given level on a jurisdiction's path. */
export function codeAtLevel(j: Jurisdiction, level: NodeLevel): string {
  switch (level) {
    case 'county':
      return j.countyCode;
    case 'township':
      return j.townshipCode;
    case 'village':
      return j.villageCode;
    case 'grid':
      return j.gridCode;
  }
}
