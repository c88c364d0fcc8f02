import type { SeedContext } from './seed-context.ts';

type AttributeSeed = {
  key: string;
  labelZh: string;
  labelEn: string;
  type: 'text' | 'number' | 'date' | 'boolean' | 'enum';
  options?: readonly string[];
};

export const PAYMENT_METHODS = ['银行代扣', '微信', '支付宝', '网上国网', '营业厅'] as const;
export const SUPPLY_VOLTAGES = ['220V', '380V', '10kV', '35kV', '110kV'] as const;
export const TARIFF_CATEGORIES = ['居民生活', '一般工商业', '大工业', '农业生产'] as const;
export const CREDIT_RATINGS = ['A', 'B', 'C', 'D'] as const;

/** The customer attributes of a power utility; customers.attributes uses these keys. */
export const DEMO_ATTRIBUTES: readonly AttributeSeed[] = [
  { key: 'meter_type', labelZh: '电能表类型', labelEn: 'Meter type', type: 'enum', options: ['单相', '三相'] },
  { key: 'contract_capacity_kva', labelZh: '合同容量（kVA）', labelEn: 'Contracted capacity (kVA)', type: 'number' },
  { key: 'supply_voltage', labelZh: '供电电压', labelEn: 'Supply voltage', type: 'enum', options: SUPPLY_VOLTAGES },
  { key: 'tariff_category', labelZh: '用电类别', labelEn: 'Tariff category', type: 'enum', options: TARIFF_CATEGORIES },
  { key: 'account_opened', labelZh: '立户日期', labelEn: 'Account opened', type: 'date' },
  { key: 'payment_method', labelZh: '缴费方式', labelEn: 'Payment method', type: 'enum', options: PAYMENT_METHODS },
  { key: 'credit_rating', labelZh: '信用等级', labelEn: 'Credit rating', type: 'enum', options: CREDIT_RATINGS },
  { key: 'smart_prepay', labelZh: '费控用户', labelEn: 'Smart prepay (auto cut-off)', type: 'boolean' },
];

export async function seedAttributeDefinitions(ctx: SeedContext): Promise<number> {
  const rng = ctx.rng.fork('attributes');
  await ctx.db
    .insertInto('attribute_definitions')
    .values(
      DEMO_ATTRIBUTES.map((a, position) => ({
        id: rng.uuid(),
        brand_id: ctx.brandId,
        key: a.key,
        label_zh: a.labelZh,
        label_en: a.labelEn,
        type: a.type,
        options: JSON.stringify(a.options ?? []),
        position,
      })),
    )
    .execute();
  return DEMO_ATTRIBUTES.length;
}
