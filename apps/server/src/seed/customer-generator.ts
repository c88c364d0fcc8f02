import type { CustomerAddress } from '@kefu/db';
import { AREA_SEEDS, type AreaSeed } from './areas.seed.ts';
import { PAYMENT_METHODS } from './attributes.seed.ts';
import { DEMO_CUSTOMER_FIXTURES } from './demo-fixtures.ts';
import {
  contractNumber,
  emailAddress,
  meterNumber,
  mobilePhone,
  residentIdNumber,
  uniqueValue,
  wechatOpenid,
} from './identity-values.ts';
import { enterpriseName, type Gender, type NameStyle, personName, shopName } from './names.ts';
import type { Rng } from './rng.ts';

export type IdentityDraft = { id: string; kind: string; value: string; verified: boolean };

/** One customer before it meets the database: pure data, area by code. */
export type CustomerDraft = {
  id: string;
  name: string;
  idNumber: string | null;
  areaCode: string;
  addresses: CustomerAddress[];
  preferredLanguage: string;
  flags: string[];
  tags: string[];
  attributes: Record<string, unknown>;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
  identities: IdentityDraft[];
};

/** Values already used, per identity kind, so generated customers never collide with fixtures or each other. */
export type TakenValues = Record<'phone' | 'email' | 'wechat_openid' | 'meter' | 'contract' | 'idNumber', Set<string>>;

export function createTakenValues(): TakenValues {
  return { phone: new Set(), email: new Set(), wechat_openid: new Set(), meter: new Set(), contract: new Set(), idNumber: new Set() };
}

const DAY_MS = 86_400_000;
type Segment = 'resident' | 'shop' | 'enterprise';

/** The fixed demo customers as drafts; their values are recorded in `taken`. */
export function draftFixtureCustomers(rng: Rng, now: Date, taken: TakenValues): CustomerDraft[] {
  return DEMO_CUSTOMER_FIXTURES.map((f, i) => {
    const values: [keyof TakenValues, string | undefined][] = [
      ...f.phones.map((p): [keyof TakenValues, string] => ['phone', p]),
      ['email', f.email],
      ['wechat_openid', f.wechatOpenid],
      ['meter', f.meter],
      ['contract', f.contract],
    ];
    const identities: IdentityDraft[] = [];
    for (const [kind, value] of values) {
      if (!value) continue;
      taken[kind].add(value);
      identities.push({ id: rng.uuid(), kind, value, verified: true });
    }
    if (f.idNumber) taken.idNumber.add(f.idNumber);
    const createdAt = new Date(now.getTime() - (700 - i * 30) * DAY_MS);
    return {
      id: f.id,
      name: f.name,
      idNumber: f.idNumber,
      areaCode: f.areaCode,
      addresses: [{ label: '用电地址', text: f.address, primary: true }],
      preferredLanguage: f.preferredLanguage,
      flags: [...f.flags],
      tags: [...f.tags],
      attributes: { ...f.attributes },
      notes: f.notes,
      createdAt,
      updatedAt: createdAt,
      identities,
    };
  });
}

/** `count` believable customers of the demo province, pure over the rng. */
export function generateCustomers(rng: Rng, options: { count: number; now: Date; taken: TakenValues }): CustomerDraft[] {
  const drafts: CustomerDraft[] = [];
  for (let i = 0; i < options.count; i++) drafts.push(generateCustomer(rng, options.now, options.taken));
  return drafts;
}

const AREA_WEIGHTS = AREA_SEEDS.map((a) => [a, a.weight] as const);
const PARK_WEIGHTS = AREA_SEEDS.filter((a) => a.park).map((a) => [a, a.weight] as const);

function generateCustomer(rng: Rng, now: Date, taken: TakenValues): CustomerDraft {
  const segment = rng.weighted<Segment>([['resident', 94], ['shop', 4], ['enterprise', 2]]);
  const area = rng.weighted(segment === 'enterprise' ? PARK_WEIGHTS : AREA_WEIGHTS);
  const createdAt = new Date(now.getTime() - Math.floor(rng.next() * 3 * 365 * DAY_MS / 1000) * 1000);
  const updatedAt = rng.chance(0.3) ? new Date(createdAt.getTime() + Math.floor(rng.next() * (now.getTime() - createdAt.getTime()))) : createdAt;
  const id = rng.uuid();
  const flags = new Set<string>();
  const tags = new Set<string>();
  const notes: string[] = [];

  let name: string;
  let idNumber: string | null = null;
  let preferredLanguage = 'zh-CN';
  let elderlyAlone = false;
  let address: string;
  let attributes: Record<string, unknown>;

  if (segment === 'resident') {
    elderlyAlone = rng.chance(0.03);
    const gender: Gender = rng.chance(0.5) ? 'male' : 'female';
    const age = elderlyAlone ? rng.int(70, 92) : rng.int(20, 86);
    const birth = new Date(Date.UTC(now.getUTCFullYear() - age, rng.int(0, 11), rng.int(1, 28)));
    const style: NameStyle = rng.chance(area.tibetan) ? 'tibetan' : area.kind === 'urban' && rng.chance(0.003) ? 'western' : 'han';
    name = personName(rng, { gender, style, birthYear: birth.getUTCFullYear() });
    if (style === 'tibetan' && rng.chance(0.4)) preferredLanguage = area.dialect;
    if (style === 'western') preferredLanguage = 'en-US';
    else idNumber = uniqueValue(taken.idNumber, () => residentIdNumber(area.regionCode, birth, rng.int(0, 499), gender));
    address = residentAddress(rng, area);
    attributes = residentAttributes(rng, area, createdAt, elderlyAlone);
    if (elderlyAlone) {
      flags.add('vulnerable');
      tags.add('独居老人');
      if (rng.chance(0.6)) notes.push(rng.pick(ELDERLY_NOTES));
    }
    if (rng.chance(0.04)) {
      flags.add('vulnerable');
      tags.add('低保户');
      if (rng.chance(0.4)) notes.push('已享受低保户电费减免政策，欠费停电前须人工电话提醒。');
    }
    if (rng.chance(area.kind === 'urban' ? 0.02 : 0.08)) tags.add('光伏用户');
    if (rng.chance(area.kind === 'urban' ? 0.09 : 0.02)) tags.add('电动汽车');
  } else if (segment === 'shop') {
    name = shopName(rng, { rural: area.kind !== 'urban' });
    address = shopAddress(rng, area);
    attributes = shopAttributes(rng, createdAt);
    tags.add('商业用户');
  } else {
    const enterprise = enterpriseName(rng, { solarPark: area.park?.includes('光伏') });
    name = enterprise.name;
    address = `${area.prefix}${area.park}${rng.pick(PARK_ROADS)}${rng.int(1, 88)}号`;
    attributes = enterpriseAttributes(rng, createdAt);
    flags.add('key_account');
    tags.add('重要客户');
    if (enterprise.trade === '光伏科技') tags.add('光伏用户');
    if (rng.chance(0.5)) notes.push(rng.pick(ENTERPRISE_NOTES));
  }

  if (rng.chance(0.01)) {
    flags.add('high_risk');
    attributes.credit_rating = rng.pick(['C', 'D']);
    if (rng.chance(0.5)) tags.add('多次投诉');
  }
  if (rng.chance(0.02)) tags.add('多次投诉');
  if (notes.length === 0 && rng.chance(0.04)) notes.push(rng.pick(GENERAL_NOTES));

  const addresses: CustomerAddress[] = [{ label: '用电地址', text: address, primary: true }];
  if (segment === 'resident' && rng.chance(0.08)) {
    addresses.push({ label: '通讯地址', text: residentAddress(rng, rng.weighted(AREA_WEIGHTS.filter(([a]) => a.kind === 'urban'))), primary: false });
  }

  const identities = drawIdentities(rng, taken, { segment, elderlyAlone, year: createdAt.getUTCFullYear() });
  return {
    id,
    name,
    idNumber,
    areaCode: area.code,
    addresses,
    preferredLanguage,
    flags: [...flags],
    tags: [...tags],
    attributes,
    notes: notes.length ? notes.join('') : null,
    createdAt,
    updatedAt,
    identities,
  };
}

function drawIdentities(rng: Rng, taken: TakenValues, who: { segment: Segment; elderlyAlone: boolean; year: number }): IdentityDraft[] {
  const out: IdentityDraft[] = [];
  const add = (kind: keyof TakenValues, make: () => string, verified: boolean) =>
    out.push({ id: rng.uuid(), kind, value: uniqueValue(taken[kind], make), verified });
  const phones = rng.chance(0.35) ? 2 : 1;
  for (let p = 0; p < phones; p++) add('phone', () => mobilePhone(rng), rng.chance(0.7));
  const business = who.segment !== 'resident';
  if (rng.chance(who.elderlyAlone ? 0.05 : business ? 0.6 : 0.3)) add('email', () => emailAddress(rng), rng.chance(0.5));
  if (rng.chance(who.elderlyAlone ? 0.05 : 0.21)) add('wechat_openid', () => wechatOpenid(rng), true);
  const meters = who.segment === 'enterprise' && rng.chance(0.5) ? 2 : 1;
  for (let m = 0; m < meters; m++) add('meter', () => meterNumber(rng), true);
  if (business) add('contract', () => contractNumber(rng, who.year), true);
  return out;
}

const COMMUNITIES = ['阳光花园', '锦绣苑', '和平小区', '青湖佳苑', '康乐家园', '新华苑', '金桥小区', '丽景花园', '滨河雅居', '电力家属院', '杨柳苑', '夏都花园'];
const VILLAGES = ['东街', '西街', '红崖', '下庄', '上庄', '河滩', '沙塘', '新庄', '杨家', '李家', '王家', '马家', '韩家', '大寨', '柳湾', '阳坡', '尕庄', '中庄'];
const PASTURES = ['扎西科', '德吉', '格日', '当代', '多拉', '赛康', '然果', '拉则'];
const PARK_ROADS = ['纬一路', '纬二路', '经三路', '园区大道', '创业路', '工业路'];

function residentAddress(rng: Rng, area: AreaSeed): string {
  const place = rng.pick(area.places);
  if (area.kind === 'urban') {
    const floor = rng.int(1, 18);
    return `${area.prefix}${place}${rng.int(1, 260)}号${rng.pick(COMMUNITIES)}${rng.int(1, 24)}号楼${rng.int(1, 4)}单元${floor}${String(rng.int(1, 4)).padStart(2, '0')}室`;
  }
  if (area.kind === 'remote' && rng.chance(0.5)) return `${area.prefix}${place}${rng.pick(PASTURES)}村牧民定居点${rng.int(1, 120)}号`;
  return `${area.prefix}${place}${rng.pick(VILLAGES)}村${rng.int(1, 9)}社${rng.int(1, 80)}号`;
}

function shopAddress(rng: Rng, area: AreaSeed): string {
  const place = rng.pick(area.places);
  return area.kind === 'urban'
    ? `${area.prefix}${place}${rng.int(1, 260)}号一楼商铺`
    : `${area.prefix}${place}商业街${rng.int(1, 90)}号`;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Accounts are often older than the archive record (migrated from the old billing system). */
function accountOpened(rng: Rng, createdAt: Date, earliestYear: number): string {
  const earliest = Date.UTC(earliestYear, 0, 1);
  return isoDate(new Date(earliest + Math.floor(rng.next() * Math.max(1, createdAt.getTime() - earliest))));
}

const CREDIT: readonly (readonly [string, number])[] = [['A', 80], ['B', 14], ['C', 5], ['D', 1]];

function residentAttributes(rng: Rng, area: AreaSeed, createdAt: Date, elderly: boolean): Record<string, unknown> {
  const threePhase = rng.chance(0.03);
  const payments: readonly (readonly [string, number])[] = elderly
    ? [['营业厅', 60], ['银行代扣', 30], ['微信', 10]]
    : area.kind === 'urban'
      ? [['微信', 35], ['支付宝', 20], ['银行代扣', 20], ['网上国网', 15], ['营业厅', 10]]
      : [['营业厅', 35], ['微信', 30], ['银行代扣', 20], ['网上国网', 10], ['支付宝', 5]];
  return {
    meter_type: threePhase ? '三相' : '单相',
    contract_capacity_kva: threePhase ? rng.pick([15, 20]) : rng.pick([4, 6, 8, 10]),
    supply_voltage: threePhase ? '380V' : '220V',
    tariff_category: area.kind !== 'urban' && rng.chance(0.1) ? '农业生产' : '居民生活',
    account_opened: accountOpened(rng, createdAt, 1990),
    payment_method: rng.weighted(payments),
    credit_rating: rng.weighted(CREDIT),
    smart_prepay: rng.chance(0.6),
  };
}

function shopAttributes(rng: Rng, createdAt: Date): Record<string, unknown> {
  return {
    meter_type: rng.chance(0.7) ? '三相' : '单相',
    contract_capacity_kva: rng.pick([15, 20, 30, 50, 80, 100]),
    supply_voltage: '380V',
    tariff_category: '一般工商业',
    account_opened: accountOpened(rng, createdAt, 2000),
    payment_method: rng.pick(PAYMENT_METHODS),
    credit_rating: rng.weighted(CREDIT),
    smart_prepay: rng.chance(0.4),
  };
}

function enterpriseAttributes(rng: Rng, createdAt: Date): Record<string, unknown> {
  const capacity = rng.pick([800, 1250, 2000, 3150, 6300, 10000, 20000, 40000]);
  return {
    meter_type: '三相',
    contract_capacity_kva: capacity,
    supply_voltage: capacity < 2000 ? '10kV' : capacity <= 10000 ? '35kV' : '110kV',
    tariff_category: '大工业',
    account_opened: accountOpened(rng, createdAt, 1998),
    payment_method: '银行代扣',
    credit_rating: rng.weighted([['A', 90], ['B', 10]]),
    smart_prepay: false,
  };
}

const ELDERLY_NOTES = [
  '独居，子女在外地工作，停电时请电话确认老人是否安全。',
  '老人听力不佳，沟通时请放慢语速、提高音量。',
  '行动不便，业务尽量安排上门办理。',
  '社区网格员定期探望，紧急情况可联系社区居委会。',
];
const ENTERPRISE_NOTES = [
  '连续生产企业，计划停电须提前7天书面通知。',
  '有自备应急电源，故障时先确认保安负荷情况。',
  '企业电工持证上岗，现场作业须提前预约。',
  '正在申请增容，客户经理跟进中。',
];
const GENERAL_NOTES = [
  '偏好微信联系，工作日白天不便接听电话。',
  '曾反映电费偏高，已现场校验电能表，结果正常。',
  '房屋出租，租户缴费，户主常年在外。',
  '去年冬季线路老化多次报修，已列入改造计划。',
  '客户要求短信通知停电信息。',
];

