/**
 * A prefecture's CSV in the import format, the same every time (a seeded generator): 10 counties,
 * 110 townships, 1,100 villages, 21,544 grids (DESIGN.md's seed figures) and 21,844 people with
 * Chinese names and valid mobiles. The import bench runs it; the console's prefecture e2e test
 * imports it to open a tree of that size.
 */
export const COUNTIES = 10;
export const TOWNSHIPS_PER_COUNTY = 11;
export const VILLAGES_PER_TOWNSHIP = 10;
export const GRIDS = 21_544;
export const PEOPLE = 21_844;

/** A small deterministic generator (mulberry32), so every run imports the same prefecture. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SURNAMES = [...'韦覃黄蓝莫梁陆廖蒙潘李张王刘陈杨赵周吴徐孙马朱胡郭何罗高林郑谢唐冯宋邓许韩曾彭萧田董袁潘蔡蒋余杜叶程魏苏吕丁任沈姚卢钟谭陆汪范金石']; // biome-ignore format: a list of characters
const GIVEN = [...'国华建平秀英志强春燕海军美玲文斌小红德才玉兰丽萍宏明芳桂芝振东卫红桃丹凤永福晓梅金花家兴德明春花金福志勇小兰美'];
const PLACE = [...'石龙百丈寺村白石马坪大乐中平妙皇罗秀运江水晶古德桥头新村龙塘那沙板塘盘古思练福禄象山'];

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;

function personName(next: () => number): string {
  const given = next() < 0.3 ? pick(next, GIVEN) : `${pick(next, GIVEN)}${pick(next, GIVEN)}`;
  return `${pick(next, SURNAMES)}${given}`;
}

export interface Prefecture {
  csv: string;
  rows: number;
  counties: { code: string; adminPhone: string }[];
  aTownship: string;
}

export function prefecture(): Prefecture {
  const next = random(20_261_102);
  const lines = ['code,name,level,parent_code,officer_name,officer_phone,officer_title'];
  let people = 0;
  const phone = () => `139${String(++people).padStart(8, '0')}`;
  const villages = COUNTIES * TOWNSHIPS_PER_COUNTY * VILLAGES_PER_TOWNSHIP;
  // Every grid has its worker, every county and township its officer; the rest of the people are village secretaries.
  const villageOfficers = PEOPLE - GRIDS - COUNTIES - COUNTIES * TOWNSHIPS_PER_COUNTY;
  const counties: Prefecture['counties'] = [];
  let villageIndex = 0;
  for (let c = 1; c <= COUNTIES; c++) {
    const county = `4599${String(c).padStart(2, '0')}`;
    const adminPhone = phone();
    counties.push({ code: county, adminPhone });
    lines.push(`${county},${pick(next, PLACE)}${pick(next, PLACE)}县,县,,${personName(next)},${adminPhone},县综治中心主任`);
    for (let t = 1; t <= TOWNSHIPS_PER_COUNTY; t++) {
      const township = `${county}${String(100 + t).padStart(3, '0')}`;
      const townshipName = `${pick(next, PLACE)}${pick(next, PLACE)}${t % 3 === 0 ? '街道' : '镇'}`;
      lines.push(
        `${township},${townshipName},${t % 3 === 0 ? '街道' : '乡镇'},${county},${personName(next)},${phone()},${townshipName}综治中心主任`,
      );
      for (let v = 1; v <= VILLAGES_PER_TOWNSHIP; v++) {
        const village = `${township}${String(v).padStart(3, '0')}`;
        const villageName = `${pick(next, PLACE)}${pick(next, PLACE)}${v % 4 === 0 ? '社区' : '村'}`;
        const officer = villageIndex < villageOfficers ? `${personName(next)},${phone()},${villageName}党支部书记` : ',,';
        lines.push(`${village},${villageName},${v % 4 === 0 ? '社区' : '村'},${township},${officer}`);
        // 21,544 grids over 1,100 villages: 19 each, and one more for the first 644.
        const grids = Math.floor(GRIDS / villages) + (villageIndex < GRIDS % villages ? 1 : 0);
        for (let g = 1; g <= grids; g++) {
          const grid = `${village}${String(g).padStart(3, '0')}`;
          lines.push(`${grid},${villageName}第${g}网格,网格,${village},${personName(next)},${phone()},专职网格员`);
        }
        villageIndex++;
      }
    }
  }
  if (people !== PEOPLE) throw new Error(`generated ${people} people, not ${PEOPLE}`);
  return { csv: `${lines.join('\r\n')}\r\n`, rows: lines.length - 1, counties, aTownship: `${counties[0]?.code}101` };
}
