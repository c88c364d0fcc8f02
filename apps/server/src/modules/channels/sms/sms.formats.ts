// The callback formats an SMS channel accepts, mapped to one shape. Provider formats are read
// loosely (they add fields over time); our own generic format strictly.
//   Alibaba Cloud 短信服务, HTTP 批量推送: SmsUp (上行) and SmsReport (状态报告), each a JSON array.
//   Tencent Cloud 短信: 回复短信 callback (one JSON object) and 短信下发状态通知 (a JSON array).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SmsProviderName } from './sms.config.ts';

export type SmsInboundEvent = { type: 'message'; externalId: string; phone: string; nationCode: string | null; text: string; at: Date };
export type SmsReceiptEvent = { type: 'receipt'; providerMessageId: string; phone: string | null; nationCode: string | null; status: 'delivered' | 'failed'; error: string | null; at: Date };
export type SmsEvent = SmsInboundEvent | SmsReceiptEvent;
export type ParsedCallback = { ok: true; events: SmsEvent[]; skipped: number } | { ok: false; issues: string[] };

const text = z.string().max(4000);
const id = z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()]).transform(String);

/** Our signed JSON: an inbound message, or a delivery receipt for a message we sent. */
export const ZGenericSmsMessage = z.strictObject({
  messageId: z.string().trim().min(1).max(200),
  from: z.string().trim().min(3).max(32),
  to: z.string().trim().max(32).optional(),
  text,
  receivedAt: z.iso.datetime({ offset: true }).optional(),
});
export const ZGenericSmsReceipt = z.strictObject({
  messageId: z.string().trim().min(1).max(200),
  status: z.enum(['delivered', 'failed']),
  error: z.string().max(500).nullish(),
  at: z.iso.datetime({ offset: true }).optional(),
});

const ZAliyunUp = z.looseObject({ phone_number: z.string().min(1), content: z.string(), send_time: z.string().optional(), sign_name: z.string().optional(), dest_code: z.string().optional(), sequence_id: id });
const ZAliyunReport = z.looseObject({
  phone_number: z.string().optional(),
  success: z.boolean(),
  biz_id: id,
  out_id: z.string().nullish(),
  err_code: z.string().nullish(),
  err_msg: z.string().nullish(),
  report_time: z.string().optional(),
  send_time: z.string().optional(),
});
const ZTencentReply = z.looseObject({ mobile: z.string().min(1), nationcode: id.optional(), text: z.string(), sign: z.string().optional(), time: z.number().int().nonnegative(), extend: z.string().nullish() });
const ZTencentReport = z.looseObject({
  mobile: z.string().min(1),
  nationcode: id.optional(),
  report_status: z.string(),
  errmsg: z.string().nullish(),
  description: z.string().nullish(),
  sid: id,
  user_receive_time: z.string().optional(),
});

/** `2017-09-01 00:00:00` or `20170901000000`, Beijing time (both providers' consoles are UTC+8). */
export function parseChinaTime(value: string | undefined, fallback: Date): Date {
  const m = value?.trim().match(/^(\d{4})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})$/);
  if (!m) return fallback;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
  return Number.isNaN(d.getTime()) ? fallback : d;
}

const issuesOf = (error: z.ZodError) => error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);

export function parseSmsCallback(provider: SmsProviderName, body: unknown, now: Date): ParsedCallback {
  switch (provider) {
    case 'generic':
      return parseGeneric(body, now);
    case 'aliyun':
      return parseBatch(Array.isArray(body) ? body : null, (item) => {
        const report = ZAliyunReport.safeParse(item);
        if (report.success) {
          const r = report.data;
          const error = r.success ? null : [r.err_code, r.err_msg].filter(Boolean).join(' ') || 'failed';
          return { type: 'receipt', providerMessageId: r.biz_id, phone: r.phone_number ?? null, nationCode: null, status: r.success ? 'delivered' : 'failed', error, at: parseChinaTime(r.report_time, now) };
        }
        const up = ZAliyunUp.safeParse(item);
        if (!up.success) return null;
        return { type: 'message', externalId: up.data.sequence_id, phone: up.data.phone_number, nationCode: null, text: up.data.content, at: parseChinaTime(up.data.send_time, now) };
      });
    case 'tencent':
      // The reply callback is one object; status reports come as an array.
      return parseBatch(Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : null, (item) => {
        const report = ZTencentReport.safeParse(item);
        if (report.success) {
          const r = report.data;
          const delivered = r.report_status.toUpperCase() === 'SUCCESS';
          const error = delivered ? null : [r.errmsg, r.description].filter(Boolean).join(' ') || 'failed';
          return { type: 'receipt', providerMessageId: r.sid, phone: r.mobile, nationCode: r.nationcode ?? null, status: delivered ? 'delivered' : 'failed', error, at: parseChinaTime(r.user_receive_time, now) };
        }
        const reply = ZTencentReply.safeParse(item);
        if (!reply.success) return null;
        const r = reply.data;
        // Tencent gives a reply no id: number + time + text identify it, so its retries are no-ops.
        const digest = createHash('sha256').update(r.text).digest('hex').slice(0, 16);
        const externalId = `${r.nationcode ?? ''}${r.mobile}:${r.time}:${digest}`;
        return { type: 'message', externalId, phone: r.mobile, nationCode: r.nationcode ?? null, text: r.text, at: new Date(r.time * 1000) };
      });
  }
}

function parseGeneric(body: unknown, now: Date): ParsedCallback {
  const isReceipt = !!body && typeof body === 'object' && 'status' in body;
  if (isReceipt) {
    const r = ZGenericSmsReceipt.safeParse(body);
    if (!r.success) return { ok: false, issues: issuesOf(r.error) };
    const at = r.data.at ? new Date(r.data.at) : now;
    return { ok: true, skipped: 0, events: [{ type: 'receipt', providerMessageId: r.data.messageId, phone: null, nationCode: null, status: r.data.status, error: r.data.error ?? null, at }] };
  }
  const m = ZGenericSmsMessage.safeParse(body);
  if (!m.success) return { ok: false, issues: issuesOf(m.error) };
  const at = m.data.receivedAt ? new Date(m.data.receivedAt) : now;
  return { ok: true, skipped: 0, events: [{ type: 'message', externalId: m.data.messageId, phone: m.data.from, nationCode: null, text: m.data.text, at }] };
}

function parseBatch(items: unknown[] | null, map: (item: unknown) => SmsEvent | null): ParsedCallback {
  if (!items) return { ok: false, issues: ['(root): expected the provider\'s JSON format'] };
  if (items.length > 1000) return { ok: false, issues: ['(root): more than 1000 items'] };
  const events: SmsEvent[] = [];
  let skipped = 0;
  for (const item of items) {
    const event = map(item);
    if (event) events.push(event);
    else skipped += 1;
  }
  // A batch where nothing is recognisable is a wrong format, not a batch to acknowledge.
  if (events.length === 0 && items.length > 0) return { ok: false, issues: ['(root): no item is in the provider\'s format'] };
  return { ok: true, events, skipped };
}
