import { residentIdNumber } from './identity-values.ts';

/** A customer every demo center has, with fixed data tests and walkthroughs can rely on. */
export type DemoCustomerFixture = {
  key: 'portal' | 'keyAccount' | 'elderlyAlone' | 'lowIncome' | 'amdo' | 'kham' | 'repeatComplainer' | 'english';
  id: string;
  name: string;
  areaCode: string;
  idNumber: string | null;
  address: string;
  phones: string[];
  meter: string;
  email?: string;
  wechatOpenid?: string;
  contract?: string;
  preferredLanguage: 'zh-CN' | 'bo-amdo' | 'bo-kham' | 'en-US';
  flags: string[];
  tags: string[];
  attributes: Record<string, unknown>;
  notes: string | null;
  /** The customer-role login linked to this customer, if any. */
  login?: { username: string };
};

const RESIDENTIAL = { meter_type: '单相', contract_capacity_kva: 8, supply_voltage: '220V', tariff_category: '居民生活' };
const birth = (iso: string) => new Date(`${iso}T00:00:00Z`);

// Fixed ids (prefix de = demo) so tests can refer to a fixture without a lookup.

/** The demo brand's website chat channel (官网在线客服): the widget demo page embeds this id. */
export const DEMO_WEBCHAT_CHANNEL_ID = 'de000000-0000-4000-8000-0000000000c1';

export const DEMO_CUSTOMER_FIXTURES: readonly DemoCustomerFixture[] = [
  {
    key: 'portal',
    id: 'de000000-0000-4000-8000-000000000001',
    name: '张明远',
    areaCode: 'chengzhong',
    idNumber: residentIdNumber('630103', birth('1978-05-12'), 17, 'male'),
    address: '西宁市城中区南大街18号3号楼2单元301室',
    phones: ['13900000001'],
    meter: '6300000001',
    email: 'zhangmingyuan@example.com',
    wechatOpenid: 'oKf95demoPortalCustomer00001',
    preferredLanguage: 'zh-CN',
    flags: [],
    tags: ['电动汽车'],
    attributes: { ...RESIDENTIAL, account_opened: '2009-08-20', payment_method: '微信', credit_rating: 'A', smart_prepay: true },
    notes: null,
    login: { username: 'customer' },
  },
  {
    key: 'keyAccount',
    id: 'de000000-0000-4000-8000-000000000002',
    name: '青海高原硅材料有限公司',
    areaCode: 'golmud',
    idNumber: null,
    address: '格尔木市昆仑经济技术开发区纬二路6号',
    phones: ['13900000002'],
    meter: '6300000002',
    contract: 'QH-GD-2019-000128',
    preferredLanguage: 'zh-CN',
    flags: ['key_account'],
    tags: ['重要客户'],
    attributes: { meter_type: '三相', contract_capacity_kva: 6300, supply_voltage: '35kV', tariff_category: '大工业', account_opened: '2019-04-02', payment_method: '银行代扣', credit_rating: 'A', smart_prepay: false },
    notes: '双回路供电，计划停电须提前7天书面通知企业能源部。',
  },
  {
    key: 'elderlyAlone',
    id: 'de000000-0000-4000-8000-000000000003',
    name: '马桂英',
    areaCode: 'chengdong',
    idNumber: residentIdNumber('630102', birth('1941-03-08'), 42, 'female'),
    address: '西宁市城东区东关大街66号电力家属院2号楼1单元101室',
    phones: ['13900000003'],
    meter: '6300000003',
    preferredLanguage: 'zh-CN',
    flags: ['vulnerable'],
    tags: ['独居老人'],
    attributes: { ...RESIDENTIAL, contract_capacity_kva: 4, account_opened: '1996-11-15', payment_method: '营业厅', credit_rating: 'A', smart_prepay: false },
    notes: '独居，听力较弱，请放慢语速；停电超过2小时请优先安排上门查看。',
  },
  {
    key: 'lowIncome',
    id: 'de000000-0000-4000-8000-000000000004',
    name: '韩玉梅',
    areaCode: 'huzhu',
    idNumber: residentIdNumber('630223', birth('1969-10-01'), 88, 'female'),
    address: '海东市互助县威远镇西街村4社21号',
    phones: ['13900000004'],
    meter: '6300000004',
    preferredLanguage: 'zh-CN',
    flags: ['vulnerable'],
    tags: ['低保户'],
    attributes: { ...RESIDENTIAL, contract_capacity_kva: 4, account_opened: '2004-03-18', payment_method: '营业厅', credit_rating: 'B', smart_prepay: true },
    notes: null,
  },
  {
    key: 'amdo',
    id: 'de000000-0000-4000-8000-000000000005',
    name: '才让卓玛',
    areaCode: 'gonghe',
    idNumber: residentIdNumber('632521', birth('1985-07-23'), 5, 'female'),
    address: '海南州共和县恰卜恰镇东巴村2社9号',
    phones: ['13900000005'],
    meter: '6300000005',
    preferredLanguage: 'bo-amdo',
    flags: [],
    tags: ['光伏用户'],
    attributes: { ...RESIDENTIAL, account_opened: '2012-06-30', payment_method: '微信', credit_rating: 'A', smart_prepay: true },
    notes: '习惯用安多藏语沟通，请优先转民族语言组。',
    login: { username: 'customer2' },
  },
  {
    key: 'kham',
    id: 'de000000-0000-4000-8000-000000000006',
    name: '扎西多杰',
    areaCode: 'yushu',
    idNumber: residentIdNumber('632701', birth('1972-01-16'), 31, 'male'),
    address: '玉树州玉树市结古街道扎西科村牧民定居点15号',
    phones: ['13900000006'],
    meter: '6300000006',
    preferredLanguage: 'bo-kham',
    flags: [],
    tags: [],
    attributes: { ...RESIDENTIAL, account_opened: '2011-09-09', payment_method: '营业厅', credit_rating: 'A', smart_prepay: false },
    notes: null,
  },
  {
    key: 'repeatComplainer',
    id: 'de000000-0000-4000-8000-000000000007',
    name: '刘志强',
    areaCode: 'chengxi',
    idNumber: residentIdNumber('630104', birth('1980-12-04'), 64, 'male'),
    address: '西宁市城西区五四大街27号锦绣苑5号楼3单元602室',
    phones: ['13900000007', '18900000007'],
    meter: '6300000007',
    preferredLanguage: 'zh-CN',
    flags: ['high_risk'],
    tags: ['多次投诉'],
    attributes: { ...RESIDENTIAL, account_opened: '2015-02-11', payment_method: '支付宝', credit_rating: 'C', smart_prepay: true },
    notes: '近三个月多次投诉电压偏低，沟通前请先查看历史工单。',
    login: { username: 'customer3' },
  },
  {
    key: 'english',
    id: 'de000000-0000-4000-8000-000000000008',
    name: 'Emma Clarke',
    areaCode: 'chengbei',
    idNumber: null,
    address: '西宁市城北区朝阳东路9号丽景花园1号楼2单元402室',
    phones: ['13900000008'],
    meter: '6300000008',
    email: 'emma.clarke@example.com',
    preferredLanguage: 'en-US',
    flags: [],
    tags: [],
    attributes: { ...RESIDENTIAL, account_opened: '2023-09-01', payment_method: '银行代扣', credit_rating: 'A', smart_prepay: true },
    notes: 'Prefers English; a colleague can interpret when needed.',
  },
];

export function getDemoCustomerFixture(key: DemoCustomerFixture['key']): DemoCustomerFixture {
  const fixture = DEMO_CUSTOMER_FIXTURES.find((f) => f.key === key);
  if (!fixture) throw new Error(`no demo customer fixture "${key}"`);
  return fixture;
}
