import { type AreaKind, requireRef, type SeedContext, type SeededArea } from './seed-context.ts';

/** One service area of the demo province (Qinghai), with the material customer addresses are made of. */
export type AreaSeed = {
  code: string;
  name: string;
  district: string;
  kind: AreaKind;
  regionCode: string;
  /** Relative share of the customers. */
  weight: number;
  /** How addresses in the area start (西宁市城中区, 格尔木市…). */
  prefix: string;
  /** Streets for urban areas, towns (乡镇) for the others. */
  places: readonly string[];
  /** An industrial park that hosts key accounts, when the area has one. */
  park?: string;
  /** Share of residents with Tibetan names, and the dialect they prefer when not Chinese. */
  tibetan: number;
  dialect: 'bo-amdo' | 'bo-kham';
};

const XINING = '西宁市';
const HAIDONG = '海东市';
const HAIXI = '海西蒙古族藏族自治州';

// Ordered so that each block of five has one account manager (see seedAreas).
export const AREA_SEEDS: readonly AreaSeed[] = [
  { code: 'chengzhong', name: '城中区', district: XINING, kind: 'urban', regionCode: '630103', weight: 10, prefix: '西宁市城中区', places: ['南大街', '西大街', '长江路', '南山路', '南川东路', '解放路'], tibetan: 0.05, dialect: 'bo-amdo' },
  { code: 'chengdong', name: '城东区', district: XINING, kind: 'urban', regionCode: '630102', weight: 10, prefix: '西宁市城东区', places: ['东关大街', '八一路', '建国路', '互助路', '昆仑东路', '青藏路'], tibetan: 0.05, dialect: 'bo-amdo' },
  { code: 'chengxi', name: '城西区', district: XINING, kind: 'urban', regionCode: '630104', weight: 10, prefix: '西宁市城西区', places: ['五四大街', '海湖路', '黄河路', '胜利路', '冷湖路', '西关大街'], tibetan: 0.06, dialect: 'bo-amdo' },
  { code: 'chengbei', name: '城北区', district: XINING, kind: 'urban', regionCode: '630105', weight: 9, prefix: '西宁市城北区', places: ['柴达木路', '朝阳东路', '小桥大街', '宁张路', '祁连路'], park: '生物科技产业园', tibetan: 0.05, dialect: 'bo-amdo' },
  { code: 'huangzhong', name: '湟中区', district: XINING, kind: 'rural', regionCode: '630106', weight: 7, prefix: '西宁市湟中区', places: ['鲁沙尔镇', '多巴镇', '上新庄镇', '拦隆口镇'], park: '甘河工业园区', tibetan: 0.08, dialect: 'bo-amdo' },
  { code: 'datong', name: '大通县', district: XINING, kind: 'rural', regionCode: '630121', weight: 6, prefix: '西宁市大通县', places: ['桥头镇', '城关镇', '长宁镇', '景阳镇'], park: '北川工业园区', tibetan: 0.03, dialect: 'bo-amdo' },
  { code: 'huangyuan', name: '湟源县', district: XINING, kind: 'rural', regionCode: '630123', weight: 3, prefix: '西宁市湟源县', places: ['城关镇', '大华镇', '和平乡'], tibetan: 0.06, dialect: 'bo-amdo' },
  { code: 'pingan', name: '平安区', district: HAIDONG, kind: 'rural', regionCode: '630203', weight: 4, prefix: '海东市平安区', places: ['平安镇', '小峡镇', '三合镇'], park: '海东工业园区平安园', tibetan: 0.04, dialect: 'bo-amdo' },
  { code: 'ledu', name: '乐都区', district: HAIDONG, kind: 'rural', regionCode: '630202', weight: 6, prefix: '海东市乐都区', places: ['碾伯镇', '雨润镇', '高庙镇', '洪水镇'], park: '海东工业园区乐都园', tibetan: 0.03, dialect: 'bo-amdo' },
  { code: 'huzhu', name: '互助县', district: HAIDONG, kind: 'rural', regionCode: '630223', weight: 6, prefix: '海东市互助县', places: ['威远镇', '丹麻镇', '高寨镇', '塘川镇'], tibetan: 0.05, dialect: 'bo-amdo' },
  { code: 'minhe', name: '民和县', district: HAIDONG, kind: 'rural', regionCode: '630222', weight: 6, prefix: '海东市民和县', places: ['川口镇', '古鄯镇', '官亭镇', '马营镇'], park: '海东工业园区民和园', tibetan: 0.02, dialect: 'bo-amdo' },
  { code: 'menyuan', name: '门源县', district: '海北藏族自治州', kind: 'rural', regionCode: '632221', weight: 3, prefix: '海北州门源县', places: ['浩门镇', '青石嘴镇', '泉口镇'], tibetan: 0.2, dialect: 'bo-amdo' },
  { code: 'haiyan', name: '海晏县', district: '海北藏族自治州', kind: 'rural', regionCode: '632223', weight: 1.5, prefix: '海北州海晏县', places: ['西海镇', '三角城镇', '金滩乡'], tibetan: 0.3, dialect: 'bo-amdo' },
  { code: 'gonghe', name: '共和县', district: '海南藏族自治州', kind: 'rural', regionCode: '632521', weight: 3.5, prefix: '海南州共和县', places: ['恰卜恰镇', '倒淌河镇', '龙羊峡镇'], park: '塔拉滩光伏产业园', tibetan: 0.4, dialect: 'bo-amdo' },
  { code: 'guide', name: '贵德县', district: '海南藏族自治州', kind: 'rural', regionCode: '632523', weight: 2.5, prefix: '海南州贵德县', places: ['河阴镇', '河西镇', '尕让乡'], tibetan: 0.3, dialect: 'bo-amdo' },
  { code: 'tongren', name: '同仁市', district: '黄南藏族自治州', kind: 'remote', regionCode: '632301', weight: 2.5, prefix: '黄南州同仁市', places: ['隆务镇', '保安镇', '年都乎乡'], tibetan: 0.65, dialect: 'bo-amdo' },
  { code: 'maqin', name: '玛沁县', district: '果洛藏族自治州', kind: 'remote', regionCode: '632621', weight: 1.5, prefix: '果洛州玛沁县', places: ['大武镇', '拉加镇', '东倾沟乡'], tibetan: 0.8, dialect: 'bo-amdo' },
  { code: 'yushu', name: '玉树市', district: '玉树藏族自治州', kind: 'remote', regionCode: '632701', weight: 3, prefix: '玉树州玉树市', places: ['结古街道', '隆宝镇', '下拉秀镇', '仲达乡'], tibetan: 0.85, dialect: 'bo-kham' },
  { code: 'golmud', name: '格尔木市', district: HAIXI, kind: 'urban', regionCode: '632801', weight: 6, prefix: '格尔木市', places: ['昆仑路', '柴达木路', '黄河路', '江源路', '盐桥路'], park: '昆仑经济技术开发区', tibetan: 0.08, dialect: 'bo-amdo' },
  { code: 'delingha', name: '德令哈市', district: HAIXI, kind: 'urban', regionCode: '632802', weight: 2.5, prefix: '德令哈市', places: ['长江路', '柴达木路', '祁连路', '德都路'], park: '柴达木循环经济试验区德令哈工业园', tibetan: 0.12, dialect: 'bo-amdo' },
];

const AREAS_PER_MANAGER = 5;

export function getAreaSeed(code: string): AreaSeed {
  const area = AREA_SEEDS.find((a) => a.code === code);
  if (!area) throw new Error(`no demo area "${code}"`);
  return area;
}

/** 20 areas; each block of five neighbouring areas belongs to one account manager (台区客户经理). */
export async function seedAreas(ctx: SeedContext): Promise<SeededArea[]> {
  const { accountManagerIds } = requireRef(ctx.refs, 'org');
  const rng = ctx.rng.fork('areas');
  const areas: SeededArea[] = AREA_SEEDS.map((seed, i) => ({
    id: rng.uuid(),
    code: seed.code,
    name: seed.name,
    district: seed.district,
    kind: seed.kind,
    regionCode: seed.regionCode,
    accountManagerId: accountManagerIds[Math.floor(i / AREAS_PER_MANAGER) % accountManagerIds.length],
  }));
  await ctx.db
    .insertInto('areas')
    .values(
      areas.map((a) => ({
        id: a.id,
        code: a.code,
        name: a.name,
        kind: a.kind,
        district: a.district,
        account_manager_id: a.accountManagerId,
      })),
    )
    .execute();
  return areas;
}
