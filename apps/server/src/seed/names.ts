import type { Rng } from './rng.ts';

// Demo name material, written for Kefu. Weights roughly follow how common a surname is in
// Qinghai, where 马 and 韩 (many Hui families) rank higher than in the national lists.
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 70], ['李', 66], ['张', 62], ['马', 58], ['刘', 50], ['陈', 38], ['杨', 36], ['赵', 30],
  ['韩', 26], ['周', 18], ['吴', 16], ['徐', 15], ['孙', 14], ['朱', 13], ['胡', 13], ['郭', 13],
  ['何', 12], ['高', 12], ['林', 8], ['罗', 10], ['郑', 9], ['梁', 9], ['谢', 8], ['宋', 8],
  ['唐', 8], ['许', 7], ['冯', 7], ['邓', 7], ['曹', 7], ['彭', 6], ['曾', 5], ['肖', 6],
  ['田', 7], ['董', 7], ['袁', 6], ['潘', 5], ['蒋', 5], ['蔡', 5], ['余', 5], ['杜', 6],
  ['叶', 4], ['程', 5], ['苏', 6], ['魏', 6], ['吕', 5], ['丁', 5], ['任', 5], ['沈', 4],
  ['姚', 5], ['卢', 5], ['祁', 6], ['冶', 5], ['鲁', 5], ['汪', 5], ['范', 5], ['金', 4],
  ['石', 5], ['贾', 5], ['白', 5], ['雷', 4], ['侯', 4], ['史', 4], ['毛', 4], ['郝', 4],
  ['孔', 3], ['严', 3], ['薛', 4], ['段', 4], ['秦', 4], ['尹', 3], ['谈', 2], ['喇', 3],
];

const GIVEN_MALE = [
  '伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '平', '辉', '鹏', '华', '飞',
  '浩', '宇', '晨', '俊', '文', '博', '志强', '建军', '海龙', '晓东', '振华', '子轩', '宇航', '国栋',
  '永红', '学斌', '成林', '海涛', '德胜', '明远', '少华', '家豪', '一鸣', '思远', '瑞', '鑫', '昊',
];
const GIVEN_FEMALE = [
  '芳', '敏', '静', '丽', '娟', '艳', '霞', '燕', '玲', '婷', '雪', '慧', '倩', '颖', '琳', '蕾',
  '丹', '秀英', '红梅', '晓燕', '海燕', '玉兰', '雪梅', '丽娟', '佳怡', '欣怡', '梓涵', '雨桐',
  '思琪', '梦瑶', '小红', '春花', '晓丽', '金花', '文静', '淑贤', '婉婷', '一诺', '诗涵',
];
// Born before the 1960s: the names of that generation.
const GIVEN_OLD_MALE = ['建国', '国庆', '德福', '永福', '长林', '富贵', '振邦', '秉义', '守仁', '树林', '有才', '万年'];
const GIVEN_OLD_FEMALE = ['桂英', '秀兰', '玉珍', '淑芬', '凤英', '桂兰', '玉梅', '秀珍', '兰英', '翠花', '素琴', '月娥'];

// Tibetan names are usually two elements and carry no surname.
const TIBETAN_FIRST = ['才让', '扎西', '索南', '尼玛', '桑杰', '更登', '多杰', '华旦', '久美', '昂旺', '贡保', '旦增', '达娃', '完玛', '仁青', '格桑'];
const TIBETAN_MALE_END = ['多杰', '加措', '东主', '太', '才让', '扎西', '当周', '闹日', '本', '南杰', '旦巴', '嘉措'];
const TIBETAN_FEMALE_END = ['卓玛', '拉毛', '措', '央金', '德吉', '吉', '卓嘎', '拉姆', '措毛', '永措', '草', '曲珍'];

const WESTERN_FIRST = ['David', 'Sarah', 'Michael', 'Emma', 'Lukas', 'Anna', 'James', 'Olivia', 'Tom', 'Sophie', 'Arjun', 'Yuki'];
const WESTERN_LAST = ['Miller', 'Johnson', 'Becker', 'Martin', 'Wilson', 'Novak', 'Andersen', 'Clarke', 'Sato', 'Sharma', 'Rossi'];

export type Gender = 'male' | 'female';
export type NameStyle = 'han' | 'tibetan' | 'western';

export function personName(rng: Rng, options: { gender: Gender; style?: NameStyle; birthYear?: number }): string {
  const style = options.style ?? 'han';
  if (style === 'western') return `${rng.pick(WESTERN_FIRST)} ${rng.pick(WESTERN_LAST)}`;
  if (style === 'tibetan') {
    const end = rng.pick(options.gender === 'male' ? TIBETAN_MALE_END : TIBETAN_FEMALE_END);
    let first = rng.pick(TIBETAN_FIRST);
    if (first === end) first = TIBETAN_FIRST[(TIBETAN_FIRST.indexOf(first) + 1) % TIBETAN_FIRST.length];
    return first + end;
  }
  const old = options.birthYear !== undefined && options.birthYear < 1960 && rng.chance(0.7);
  const given =
    options.gender === 'male'
      ? rng.pick(old ? GIVEN_OLD_MALE : GIVEN_MALE)
      : rng.pick(old ? GIVEN_OLD_FEMALE : GIVEN_FEMALE);
  return rng.weighted(SURNAMES) + given;
}

const ENTERPRISE_PLACE = ['昆仑', '柴达木', '三江源', '河湟', '青湖', '雪域', '高原', '西海', '湟水', '祁连', '江河源', '金银滩'];
const ENTERPRISE_TRADE = ['铝业', '硅材料', '盐化', '光伏科技', '锂电新材料', '水泥', '乳业', '牧业', '冷链物流', '数据科技', '铁合金', '中藏药'];
const ENTERPRISE_SUFFIX = ['有限公司', '股份有限公司', '有限责任公司'];

/** A key-account enterprise name such as 青海柴达木锂电新材料有限公司 (invented, no real company intended). */
export function enterpriseName(rng: Rng, options: { solarPark?: boolean } = {}): { name: string; trade: string } {
  const trade = options.solarPark && rng.chance(0.7) ? '光伏科技' : rng.pick(ENTERPRISE_TRADE);
  return { name: `青海${rng.pick(ENTERPRISE_PLACE)}${trade}${rng.pick(ENTERPRISE_SUFFIX)}`, trade };
}

const SHOP_WORD = ['顺达', '福源', '鑫隆', '吉祥', '雪莲', '青湖', '如意', '兴旺', '德盛', '祥和', '金穗', '草原', '聚福', '红柳'];
const SHOP_TRADE = ['超市', '便利店', '牛肉面馆', '藏餐馆', '宾馆', '五金店', '汽修厂', '烧烤店', '药店', '奶茶店', '洗车行'];
const RURAL_TRADE = ['农家乐', '养殖专业合作社', '青稞酒坊', '农机修理部'];

/** A small business such as 吉祥牛肉面馆; farms and country inns only outside the cities. */
export function shopName(rng: Rng, options: { rural: boolean }): string {
  const trade = options.rural && rng.chance(0.4) ? rng.pick(RURAL_TRADE) : rng.pick(SHOP_TRADE);
  return rng.pick(SHOP_WORD) + trade;
}
