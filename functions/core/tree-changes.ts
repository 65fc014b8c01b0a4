/**
 * The rules of changing the tree, pure: who answers for a node, whether a node may move under a
 * parent, merge into a sibling (撤并) or retire, where a moved node's subtree and its open reports
 * land, and what a published contact may be. The use cases (use-cases/tree.ts) read and write;
 * these decide.
 *
 * Codes identify, paths place: a moved node keeps its code, and only the paths of its subtree and
 * the jurisdiction codes of its open reports change.
 */
import { isActivePerson, normalizePhone, type Person, type Role } from './people.ts';
import type { Tier } from './policy.ts';
import type { Report } from './report.ts';
import {
  type Contact,
  childLevel,
  isActiveNode,
  type Jurisdiction,
  jurisdictionCodes,
  levelIndex,
  type NodeLevel,
  type TreeNode,
} from './tree.ts';

/** The role of a node's responsible officers: a grid's worker, a village's secretary, a township's centre, the county's admin. */
export const OFFICER_ROLE: Record<NodeLevel, Role> = {
  county: 'county_admin',
  township: 'township_admin',
  village: 'village_admin',
  grid: 'grid_worker',
};

/** The node's responsible officers among the people scoped to it: active, answering, of its level's role. */
export function officersOf<P extends Person>(level: NodeLevel, people: readonly P[]): P[] {
  return people.filter((p) => p.role === OFFICER_ROLE[level] && isActivePerson(p) && p.responsible !== false);
}

/** Why a tree change is refused: a stable code and what to tell the admin (Chinese first). */
export interface TreeProblem {
  code: string;
  message: string;
}

/**
 * Why `node` cannot move under `parent` (null: it can): a county has no parent to change, the
 * parent must be active and one level above, and nothing moves while retired.
 */
export function moveProblem(node: Pick<TreeNode, 'code' | 'level' | 'status'>, parent: TreeNode): TreeProblem | null {
  if (node.level === 'county') return { code: 'NODE.ROOT_MOVE', message: `县（区）${node.code}没有上级，不能移动 (a county cannot move)` };
  if (!isActiveNode(node)) return { code: 'NODE.RETIRED', message: `${node.code}已撤销，不能移动 (node ${node.code} is retired)` };
  if (childLevel(parent.level) !== node.level) {
    return {
      code: 'NODE.LEVEL_PARENT',
      message: `${node.code}（${node.level}）不能移到${parent.code}（${parent.level}）之下 (a ${node.level} moves only under a ${levelAbove(node.level)})`,
    };
  }
  if (!isActiveNode(parent)) {
    return { code: 'NODE.PARENT_RETIRED', message: `上级${parent.code}已撤销，不能移入 (the parent ${parent.code} is retired)` };
  }
  return null;
}

function levelAbove(level: NodeLevel): string {
  return (['county', 'township', 'village', 'grid'] as const)[levelIndex(level) - 1] ?? 'nothing';
}

/** Why `node` cannot merge into `target` (撤并): only into an active sibling of the same level, never a county. */
export function mergeProblem(node: TreeNode, target: TreeNode): TreeProblem | null {
  if (node.level === 'county') return { code: 'NODE.ROOT_MERGE', message: `县（区）不能合并 (a county cannot be merged)` };
  if (target.code === node.code) return { code: 'NODE.MERGE_INTO_ITSELF', message: `不能合并到自身 (a node cannot merge into itself)` };
  if (target.level !== node.level || target.parentCode !== node.parentCode) {
    return {
      code: 'NODE.MERGE_NOT_SIBLING',
      message: `只能合并到同一上级下的同级单位，${target.code}不是${node.code}的同级 (a node merges only into a sibling: same parent, same level)`,
    };
  }
  if (!isActiveNode(target)) {
    return { code: 'NODE.MERGE_TARGET_RETIRED', message: `${target.code}已撤销，不能并入 (the merge target ${target.code} is retired)` };
  }
  return null;
}

/** Why a node cannot simply be retired (without merging it into a sibling): it still holds work. */
export function retireProblem(node: Pick<TreeNode, 'code'>, holds: { activeChildren: number; openReports: number }): TreeProblem | null {
  if (holds.openReports > 0) {
    return {
      code: 'NODE.HAS_OPEN_REPORTS',
      message: `${node.code}下还有${holds.openReports}件未办结事件，请先办结或合并到同级单位 (it has open reports: close them or merge it into a sibling)`,
    };
  }
  if (holds.activeChildren > 0) {
    return {
      code: 'NODE.HAS_ACTIVE_CHILDREN',
      message: `${node.code}下还有${holds.activeChildren}个下级单位，请先撤销或合并到同级单位 (it has active children: retire them or merge it into a sibling)`,
    };
  }
  return null;
}

/**
 * The jurisdiction a report gets when the node of `level` on its path now sits at `nodePath`
 * (county … that node): the codes down to that level are replaced, the ones below are kept. A move
 * gives the moved node's new path; a merge the target's, which stands in for the merged node.
 */
export function refiledJurisdiction(report: Jurisdiction, level: NodeLevel, nodePath: readonly string[]): Jurisdiction {
  const depth = levelIndex(level) + 1;
  if (nodePath.length !== depth) throw new Error(`a ${level} has a path of ${depth} codes, not ${nodePath.length}`);
  const [countyCode, townshipCode, villageCode, gridCode] = [...nodePath, ...jurisdictionCodes(report).slice(depth)] as [
    string,
    string,
    string,
    string,
  ];
  return { countyCode, townshipCode, villageCode, gridCode };
}

export function sameJurisdiction(a: Jurisdiction, b: Jurisdiction): boolean {
  return jurisdictionCodes(a).join('/') === jurisdictionCodes(b).join('/');
}

const TIER_LEVEL: Partial<Record<Tier, NodeLevel>> = { grid: 'grid', village: 'village', township: 'township', supervision: 'county' };

/**
 * Whether a report being handled is owned by a node that is no longer on its path (its village was
 * merged away, or moved to another township while the old township held it): then it goes to the
 * officers of the node that now stands at that tier. A department's report stays with it, and a
 * report not yet routed or already resolved has nobody to hand over.
 */
export function ownerLeftPath(report: Pick<Report, 'status' | 'tier' | 'ownerCode'> & Jurisdiction): boolean {
  if (report.status !== 'assigned' && report.status !== 'accepted') return false;
  const level = TIER_LEVEL[report.tier];
  if (!level) return false;
  return report.ownerCode !== jurisdictionCodes(report)[levelIndex(level)];
}

/** At most this many published contacts per node: a duty line, a secretary, a hotline. */
export const MAX_CONTACTS = 10;

const LANDLINE = /^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/;

/**
 * Published contacts as they are stored: phones in E.164 (a mainland mobile written as 11 digits
 * becomes +86…), or a landline with its area code (0772-4361234, an extension after a hyphen). A
 * number that is neither is refused with which contact it was.
 */
export function normalizeContacts(contacts: readonly Contact[]): { contacts: Contact[] } | { problem: TreeProblem } {
  if (contacts.length > MAX_CONTACTS) {
    return { problem: { code: 'NODE.CONTACTS_TOO_MANY', message: `最多${MAX_CONTACTS}个联系方式 (at most ${MAX_CONTACTS} contacts)` } };
  }
  const out: Contact[] = [];
  for (const [index, contact] of contacts.entries()) {
    const compact = contact.phone.trim().replace(/[\s()]/g, '');
    const phone = normalizePhone(compact) ?? (LANDLINE.test(compact) ? compact : null);
    if (phone === null) {
      return {
        problem: {
          code: 'NODE.CONTACT_PHONE',
          message: `第${index + 1}个联系方式的电话“${contact.phone}”不是手机号或带区号的固定电话 (contact ${index}: not a mobile in E.164 nor a landline with its area code)`,
        },
      };
    }
    out.push({ label: contact.label, ...(contact.name ? { name: contact.name } : {}), phone });
  }
  return { contacts: out };
}
