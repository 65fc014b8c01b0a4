/**
 * The jurisdiction tree: county (县/区) → township/street (乡镇/街道) → village/community (村/社区)
 * → grid (网格). Every node knows its parent and its full ancestor path, so "is X inside Y's
 * subtree" is a pure check with no lookups.
 */
export const NODE_LEVELS = ['county', 'township', 'village', 'grid'] as const;
export type NodeLevel = (typeof NODE_LEVELS)[number];

/** A published way to reach a node (the 网格长's phone, the 综治中心 duty line). */
export interface Contact {
  label: string;
  name?: string;
  /** E.164, or a landline with its area code. */
  phone: string;
}

export const NODE_STATUSES = ['active', 'retired'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export interface TreeNode {
  code: string;
  name: string;
  level: NodeLevel;
  /** null only for the county, the root of a deployment's tree. */
  parentCode: string | null;
  /** Ancestor codes from the county down to and including this node. */
  path: string[];
  /** Optional boundary: the outer ring [lng, lat][] of a polygon (GeoJSON order), closed. */
  boundary?: [number, number][];
  /** Published contacts, shown to residents and officers; absent: none published. */
  contacts?: Contact[];
  /** Retired nodes (撤并) keep their code and history; nothing new is filed under them. */
  status?: NodeStatus;
  /** Where a retired node's children, people and open reports went (撤并: merged into a sibling). */
  mergedInto?: string;
  /** Increments on every change; 0 before the node exists. Writes are conditional on it. */
  version?: number;
  createdAt?: string;
  updatedAt?: string;
}

/** Digits per code at each level: the national division codes (6, +3, +3) and +3 for a grid. */
export const CODE_LENGTHS: Record<NodeLevel, number> = { county: 6, township: 9, village: 12, grid: 15 };

export function isActiveNode(node: Pick<TreeNode, 'status'>): boolean {
  return (node.status ?? 'active') === 'active';
}

/** The key that orders a subtree together: ancestor codes joined, so a subtree is one key prefix. */
export function pathKey(path: readonly string[]): string {
  return `${path.join('/')}/`;
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

/**
 * The codes of the nodes above `code` as its shape says (a code extends its parent's: 6, 9, 12
 * digits). A guess to read ahead, not a fact: a node moved since keeps its code, so its stored path
 * is what places it.
 */
export function codesAboveByShape(code: string): string[] {
  if (!/^\d+$/.test(code)) return [];
  return [CODE_LENGTHS.county, CODE_LENGTHS.township, CODE_LENGTHS.village].filter((n) => n < code.length).map((n) => code.slice(0, n));
}

/** Why a code cannot be a node's: a stable code and what to tell an admin (Chinese first, as they read it). */
export interface CodeProblem {
  code: 'NODE.CODE_SHAPE' | 'NODE.CODE_PARENT' | 'NODE.LEVEL_PARENT' | 'NODE.ROOT_LEVEL';
  message: string;
}

const LEVEL_NAMES: Record<NodeLevel, string> = { county: '县（区）', township: '乡镇（街道）', village: '村（社区）', grid: '网格' };

/**
 * The national division codes: a county has 6 digits, a township its county's code + 3, a village
 * its township's + 3, a grid its village's + 3. A code that does not have its level's shape, or
 * does not extend its parent's, is refused with the reason. (A node that is later moved keeps its
 * code: codes identify, paths place.)
 */
export function nodeCodeProblem(code: string, level: NodeLevel, parent: Pick<TreeNode, 'code' | 'level'> | null): CodeProblem | null {
  const digits = CODE_LENGTHS[level];
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) {
    return {
      code: 'NODE.CODE_SHAPE',
      message: `${LEVEL_NAMES[level]}代码应为${digits}位数字，“${code}”不符合 (a ${level} code has ${digits} digits)`,
    };
  }
  if (parent === null) {
    if (level !== 'county') return { code: 'NODE.ROOT_LEVEL', message: `只有县（区）可以没有上级 (only a county has no parent)` };
    return null;
  }
  if (childLevel(parent.level) !== level) {
    return {
      code: 'NODE.LEVEL_PARENT',
      message: `${LEVEL_NAMES[level]}不能隶属于${LEVEL_NAMES[parent.level]}${parent.code} (a ${level} cannot sit under the ${parent.level} ${parent.code})`,
    };
  }
  if (!code.startsWith(parent.code)) {
    return {
      code: 'NODE.CODE_PARENT',
      message: `代码${code}应以上级代码${parent.code}开头 (a code extends its parent's: ${code} does not start with ${parent.code})`,
    };
  }
  return null;
}
