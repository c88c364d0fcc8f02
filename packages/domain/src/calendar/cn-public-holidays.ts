// Official Chinese public holidays (法定节假日) and swapped working days (调休上班) for
// BusinessCalendar.holidays / .workdays.
//
// 2026: 国务院办公厅关于2026年部分节假日安排的通知, dated 2025-11-04, published by Xinhua the same day
// (e.g. https://politics.gmw.cn/2025-11/04/content_38391083.htm). Every day of each break is
// listed, weekend days included, so the list reads like the notice.
// 2027: the notice is normally published in November of the previous year and was not available
// when this was written, so there is no 2027 list; add it from the notice, never by guessing.

function listDays(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

/** Days off in 2026 (33 days in seven breaks). */
export const CN_2026_HOLIDAYS: readonly string[] = [
  ...listDays('2026-01-01', 3), // 元旦 1月1日(周四)至3日(周六)
  ...listDays('2026-02-15', 9), // 春节 2月15日(周日)至23日(周一)
  ...listDays('2026-04-04', 3), // 清明节 4月4日(周六)至6日(周一)
  ...listDays('2026-05-01', 5), // 劳动节 5月1日(周五)至5日(周二)
  ...listDays('2026-06-19', 3), // 端午节 6月19日(周五)至21日(周日)
  ...listDays('2026-09-25', 3), // 中秋节 9月25日(周五)至27日(周日)
  ...listDays('2026-10-01', 7), // 国庆节 10月1日(周四)至7日(周三)
];

/** Weekend days worked in 2026 (调休上班). */
export const CN_2026_WORKDAYS: readonly string[] = [
  '2026-01-04', // 周日, 元旦
  '2026-02-14', // 周六, 春节
  '2026-02-28', // 周六, 春节
  '2026-05-09', // 周六, 劳动节
  '2026-09-20', // 周日, 国庆节
  '2026-10-10', // 周六, 国庆节
];
