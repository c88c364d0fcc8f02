// IVR self-service through Kefu's own data (GET /channels/cti/:id/ivr/self-service):
// - outage_notice (停电公告): the active mass incidents (停电事件) of the caller's area, found by the
//   caller's number in the archive; for an unknown caller, the brand's active incidents.
// - balance (电费余额) needs the utility's billing system, which Kefu does not hold: it answers
//   ivr.self_service_unavailable (503) so the PBX says its own fallback and routes to a person.
import type { DB } from '@kefu/db';
import type { IvrSelfServiceAction } from '@kefu/domain';
import type { Kysely } from 'kysely';
import { AppError } from '../../../platform/errors.ts';
import type { LoadedChannel } from '../types.ts';
import { findCustomersByPhone } from './cti.calls.ts';

const MAX_NOTICES = 3;

function formatTime(d: Date, english: boolean): string {
  // The service center's clock (China Standard Time, no daylight saving).
  const local = new Date(d.getTime() + 8 * 3600_000);
  const hh = String(local.getUTCHours()).padStart(2, '0');
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  return english ? `${local.getUTCMonth() + 1}/${local.getUTCDate()} ${hh}:${mm}` : `${local.getUTCMonth() + 1}月${local.getUTCDate()}日${hh}时${mm}分`;
}

export function createCtiSelfService(deps: { db: Kysely<DB> }) {
  const { db } = deps;

  async function outageNotice(channel: LoadedChannel, caller: string | null, english: boolean): Promise<string> {
    const customers = await findCustomersByPhone(db, channel.brandId, caller);
    const areas =
      customers.length === 0
        ? []
        : (await db.selectFrom('customers').select('area_id').where('id', 'in', customers).where('area_id', 'is not', null).execute()).map((r) => r.area_id as string);
    let q = db.selectFrom('incidents').select(['title', 'expected_restore_at', 'area_ids']).where('brand_id', '=', channel.brandId).where('status', '=', 'active');
    if (areas.length > 0) q = q.where((eb) => eb.or(areas.map((a) => eb(eb.val(a), '=', eb.fn.any('area_ids')))));
    const incidents = await q.orderBy('started_at', 'desc').limit(MAX_NOTICES).execute();
    if (incidents.length === 0) {
      return english ? 'There is no unplanned outage reported in your area at the moment.' : '您所在区域目前没有停电信息。';
    }
    const lines = incidents.map((i) =>
      english
        ? `${i.title}${i.expected_restore_at ? `, expected to be restored by ${formatTime(i.expected_restore_at, true)}` : ''}.`
        : `${i.title}${i.expected_restore_at ? `，预计${formatTime(i.expected_restore_at, false)}前恢复供电` : ''}。`,
    );
    return english ? `Outage notice: ${lines.join(' ')}` : `停电公告：${lines.join('')}`;
  }

  return async function selfService(channel: LoadedChannel, input: { action: IvrSelfServiceAction; parameter: string | null; caller: string | null; language: string | null }): Promise<string> {
    const english = (input.language ?? '').startsWith('en');
    switch (input.action) {
      case 'outage_notice':
        return outageNotice(channel, input.caller, english);
      case 'balance':
        throw new AppError('ivr.self_service_unavailable', 'No billing integration is configured for balance queries');
    }
  };
}
