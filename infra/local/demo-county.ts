/**
 * The demo county seeded on first start: 象州县 as in our first source report (百丈乡那沙村, where a
 * grid worker's report got a collapsed village bridge rebuilt in a day), with two townships, two
 * villages each and three grids per village; a grid worker per grid, a secretary per village, a
 * comprehensive-governance centre (综治中心) officer per township, five county departments and a
 * county supervisor. Names and numbers are invented; the phone numbers are not real.
 */
import type { Category, Department } from '#core/catalog.ts';
import type { Person } from '#core/people.ts';
import { makeNode, type TreeNode } from '#core/tree.ts';

export interface DemoAccount {
  username: string;
  person: Person;
}

const COUNTY = makeNode({ code: '451322', name: '象州县', level: 'county', parent: null });

/**
 * Townships with their real names and division codes (象州县 has 象州镇 100, 石龙镇 101, 运江镇
 * 102 … 百丈乡 201); the villages below them are invented, as are all the people.
 */
const TOWNSHIPS = [
  { code: '451322201', name: '百丈乡', villages: ['那沙村', '百丈村'] },
  { code: '451322101', name: '石龙镇', villages: ['石龙社区', '新团村'] },
  { code: '451322100', name: '象州镇', villages: ['西街社区'] },
  { code: '451322102', name: '运江镇', villages: ['运江社区'] },
];

const GRID_WORKERS = [
  '覃宏',
  '韦丽萍',
  '蓝建华',
  '黄秀英',
  '莫志强',
  '梁春燕',
  '陆海军',
  '覃美玲',
  '廖文斌',
  '韦小红',
  '蒙德才',
  '潘玉兰',
  '黄志明',
  '覃秋莲',
  '韦国强',
  '蓝凤英',
  '莫永红',
  '梁德华',
];
const VILLAGE_SECRETARIES = ['覃国庆', '韦桂芳', '黄建平', '蓝秋菊', '韦健康', '覃桂兰'];
const TOWNSHIP_OFFICERS = ['廖振华', '莫春梅', '黄卫国', '蒙丽华'];

export const DEPARTMENTS: Department[] = [
  { code: 'public_security', name: '象州县公安局' },
  { code: 'justice', name: '象州县司法局' },
  { code: 'civil_affairs', name: '象州县民政局' },
  { code: 'housing', name: '象州县住房和城乡建设局' },
  { code: 'environment', name: '来宾市象州生态环境局' },
];

const DEPARTMENT_OFFICERS = ['韦志刚', '黄丽娟', '覃海燕', '蓝永福', '莫晓东'];

/**
 * Public (shown in the Open311 feed, masked): what concerns shared things, roads, water and
 * rubbish. Disputes, police matters, livelihood requests (the elderly, the sick, the poor) and
 * safety hazards (often someone's own house) are about people and stay internal.
 */
export const CATEGORIES: Category[] = [
  { code: 'dispute', name: '矛盾纠纷', description: '土地、邻里、婚姻家庭、征地补偿等纠纷', departmentCode: 'justice', public: false },
  { code: 'safety_hazard', name: '安全隐患', description: '危房、桥梁塌陷、电线隐患、消防隐患', departmentCode: 'housing', public: false },
  {
    code: 'public_security',
    name: '治安问题',
    description: '治安案件线索、可疑人员、重点人员动态',
    departmentCode: 'public_security',
    public: false,
  },
  {
    code: 'livelihood',
    name: '民生服务',
    description: '孤寡老人、困难群众、养老院等民生诉求',
    departmentCode: 'civil_affairs',
    public: false,
  },
  { code: 'environment', name: '环境卫生', description: '污水、垃圾、下水道堵塞、河道污染', departmentCode: 'environment', public: true },
  {
    code: 'infrastructure',
    name: '基础设施',
    description: '村道、桥梁、供水、路灯等公共设施损坏',
    departmentCode: 'housing',
    public: true,
  },
];

/**
 * Invented but plausible boundaries around 象州县 (about 23.96 N, 109.69 E), [lng, lat] rings as in
 * GeoJSON: each village a rectangle of 0.045° × 0.025° (about 4.6 × 2.8 km), townships one above
 * the other, villages side by side, and each village cut into three north–south grid strips.
 * The first grid (451322201001001) spans 109.680–109.695 E, 23.950–23.975 N, so the tests'
 * default location (23.96, 109.69) lies well inside it.
 */
const VILLAGE_WIDTH = 0.045;
const VILLAGE_HEIGHT = 0.025;

function rectangle(west: number, south: number, width: number, height: number): [number, number][] {
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  const [w, s, e, n] = [r(west), r(south), r(west + width), r(south + height)];
  return [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ];
}

function villageOrigin(townshipIndex: number, villageIndex: number): [number, number] {
  return [109.68 + villageIndex * 0.05, 23.95 + townshipIndex * 0.06];
}

function villageBoundary(townshipIndex: number, villageIndex: number): [number, number][] {
  const [west, south] = villageOrigin(townshipIndex, villageIndex);
  return rectangle(west, south, VILLAGE_WIDTH, VILLAGE_HEIGHT);
}

/** Grid `gridNumber` (1–3) of a village: its west-to-east strip. */
function gridBoundary(townshipIndex: number, villageIndex: number, gridNumber: number): [number, number][] {
  const [west, south] = villageOrigin(townshipIndex, villageIndex);
  const width = VILLAGE_WIDTH / 3;
  return rectangle(west + (gridNumber - 1) * width, south, width, VILLAGE_HEIGHT);
}

function phone(n: number): string {
  return `+86138772${String(n).padStart(5, '0')}`;
}

export function demoCounty(): { nodes: TreeNode[]; accounts: DemoAccount[] } {
  const nodes: TreeNode[] = [COUNTY];
  const accounts: DemoAccount[] = [
    {
      username: 'admin',
      person: { id: 'p-county-admin', name: '覃卫东', phone: phone(1), role: 'county_admin', scope: COUNTY.code, title: '县综治中心主任' },
    },
  ];
  let grid = 0;
  let village = 0;
  TOWNSHIPS.forEach((t, ti) => {
    const township = makeNode({ code: t.code, name: t.name, level: 'township', parent: COUNTY });
    nodes.push(township);
    accounts.push({
      username: `township${ti + 1}`,
      person: {
        id: `p-township-${ti + 1}`,
        name: TOWNSHIP_OFFICERS[ti] ?? '',
        phone: phone(100 + ti),
        role: 'township_admin',
        scope: township.code,
        title: `${t.name}综治中心主任`,
      },
    });
    t.villages.forEach((villageName, vi) => {
      const v = makeNode({ code: `${t.code}${String(vi + 1).padStart(3, '0')}`, name: villageName, level: 'village', parent: township });
      v.boundary = villageBoundary(ti, vi);
      nodes.push(v);
      village++;
      accounts.push({
        username: `village${village}`,
        person: {
          id: `p-village-${village}`,
          name: VILLAGE_SECRETARIES[village - 1] ?? '',
          phone: phone(200 + village),
          role: 'village_admin',
          scope: v.code,
          title: `${villageName}党支部书记`,
        },
      });
      for (let gi = 1; gi <= 3; gi++) {
        const g = makeNode({
          code: `${v.code}${String(gi).padStart(3, '0')}`,
          name: `${villageName}第${'一二三'[gi - 1]}网格`,
          level: 'grid',
          parent: v,
        });
        g.boundary = gridBoundary(ti, vi, gi);
        nodes.push(g);
        grid++;
        accounts.push({
          username: `worker${grid}`,
          person: {
            id: `p-worker-${grid}`,
            name: GRID_WORKERS[grid - 1] ?? '',
            phone: phone(300 + grid),
            role: 'grid_worker',
            scope: g.code,
            title: `${g.name}网格员`,
          },
        });
      }
    });
  });
  DEPARTMENTS.forEach((d, di) => {
    accounts.push({
      username: `dept${di + 1}`,
      person: {
        id: `p-dept-${d.code}`,
        name: DEPARTMENT_OFFICERS[di] ?? '',
        phone: phone(400 + di),
        role: 'department_officer',
        scope: d.code,
        title: `${d.name}联络员`,
      },
    });
  });
  return { nodes, accounts };
}
