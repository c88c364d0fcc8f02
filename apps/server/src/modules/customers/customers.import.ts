import { CUSTOMER_FLAGS, LANGUAGES, type TCreateCustomerRequest, type TImportReport, ZCreateCustomerRequest } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import { maskIdentity, maskIdNumber } from '@kefu/domain';
import ExcelJS from 'exceljs';
import { type Kysely, sql } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { parseCsv, toCsv } from '../../platform/csv.ts';
import { AppError } from '../../platform/errors.ts';
import { toPrefixQuery } from '../../platform/text-search.ts';
import { customerVisibility } from './customers.scope.ts';
import { type CustomersService, collectIdentities } from './customers.service.ts';

export const MAX_IMPORT_ROWS = 50_000;

// Header names accepted in either language; exports use the English keys.
const HEADER_ALIASES: Record<string, string> = {
  name: 'name', 姓名: 'name', 客户名称: 'name',
  phones: 'phones', phone: 'phones', 手机号: 'phones', 电话: 'phones',
  email: 'email', emails: 'email', 邮箱: 'email',
  idnumber: 'idNumber', 身份证号: 'idNumber', 证件号码: 'idNumber',
  areacode: 'areaCode', 区域编码: 'areaCode', 供电区域: 'areaCode',
  address: 'address', 地址: 'address', 用电地址: 'address',
  meter: 'meter', 户号: 'meter', 电表号: 'meter',
  preferredlanguage: 'preferredLanguage', language: 'preferredLanguage', 语言: 'preferredLanguage',
  flags: 'flags', 标识: 'flags',
  tags: 'tags', 标签: 'tags',
  notes: 'notes', 备注: 'notes',
};

type ImportError = TImportReport['errors'][number];
const split = (v: string | undefined) => (v ?? '').split(/[;；|]/).map((s) => s.trim()).filter(Boolean);

/** Reads the first sheet of an XLSX or a CSV file into rows of strings. */
export async function readSpreadsheet(fileName: string, data: Buffer): Promise<string[][]> {
  if (/\.xlsx$/i.test(fileName)) {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(data as unknown as ArrayBuffer);
    } catch {
      throw new AppError('import.unreadable_file', 'The file is not a readable XLSX workbook');
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) return [];
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values: string[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) {
        const v = row.getCell(c).value;
        values.push(v === null || v === undefined ? '' : typeof v === 'object' && 'text' in v ? String(v.text) : String(v));
      }
      rows.push(values);
    });
    return rows;
  }
  if (/\.(csv|txt)$/i.test(fileName)) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(data);
    return parseCsv(text);
  }
  throw new AppError('import.unreadable_file', 'Upload a .csv or .xlsx file');
}

export function createCustomerImport({ db, customers }: { db: Kysely<DB>; customers: CustomersService }) {
  return {
    /**
     * Validates every row and reports each bad one with the reason; without dryRun the valid rows
     * are created in one transaction. Duplicates (in the file or the database) are refused, never merged.
     */
    async importCustomers(ctx: RequestContext, rows: string[][], dryRun: boolean): Promise<TImportReport> {
      const [header, ...body] = rows;
      if (!header) throw new AppError('import.unreadable_file', 'The file is empty');
      if (body.length > MAX_IMPORT_ROWS) throw new AppError('import.too_many_rows', `At most ${MAX_IMPORT_ROWS} rows per import`, { max: MAX_IMPORT_ROWS });
      const columns = header.map((h) => HEADER_ALIASES[h.trim().toLowerCase().replace(/[\s_]/g, '')] ?? HEADER_ALIASES[h.trim()] ?? null);
      if (!columns.includes('name')) throw new AppError('import.unreadable_file', 'The header row needs a name (姓名) column');
      const brandId = ctx.auth.brandIds[0];
      if (!brandId) throw new AppError('auth.forbidden', 'You do not serve any brand');
      const areas = new Map((await db.selectFrom('areas').select(['id', 'code']).execute()).map((a) => [a.code.toUpperCase(), a.id]));

      const errors: ImportError[] = [];
      const valid: { row: number; input: TCreateCustomerRequest; identities: ReturnType<typeof collectIdentities> }[] = [];
      const seenInFile = new Map<string, number>();
      const validateRow = (cells: string[], index: number) => {
        const rowNumber = index + 2; // 1-based, after the header
        const rec: Record<string, string> = {};
        columns.forEach((col, i) => {
          if (col) rec[col] = (cells[i] ?? '').trim();
        });
        const fail = (field: string | null, code: string, message: string) => errors.push({ row: rowNumber, field, code, message });
        const areaId = rec.areaCode ? areas.get(rec.areaCode.toUpperCase()) : undefined;
        if (rec.areaCode && !areaId) return fail('areaCode', 'customer.unknown_area', `Unknown area code ${rec.areaCode}`);
        const flags = split(rec.flags);
        const badFlag = flags.find((f) => !(CUSTOMER_FLAGS as readonly string[]).includes(f));
        if (badFlag) return fail('flags', 'validation.failed', `Unknown flag ${badFlag}`);
        if (rec.preferredLanguage && !(LANGUAGES as readonly string[]).includes(rec.preferredLanguage)) {
          return fail('preferredLanguage', 'validation.failed', `Unknown language ${rec.preferredLanguage}`);
        }
        const candidate = {
          name: rec.name ?? '',
          phones: split(rec.phones),
          ...(rec.email ? { emails: split(rec.email) } : {}),
          ...(rec.meter ? { identities: split(rec.meter).map((value) => ({ kind: 'meter' as const, value })) } : {}),
          ...(rec.idNumber ? { idNumber: rec.idNumber } : {}),
          ...(areaId ? { areaId } : {}),
          ...(rec.address ? { addresses: [{ label: '地址', text: rec.address, primary: true }] } : {}),
          ...(rec.preferredLanguage ? { preferredLanguage: rec.preferredLanguage } : {}),
          ...(flags.length ? { flags } : {}),
          ...(rec.tags ? { tags: split(rec.tags) } : {}),
          ...(rec.notes ? { notes: rec.notes } : {}),
        };
        const parsed = ZCreateCustomerRequest.safeParse(candidate);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return fail(String(issue?.path[0] ?? ''), 'validation.failed', issue?.message ?? 'invalid');
        }
        let identities: ReturnType<typeof collectIdentities>;
        try {
          identities = collectIdentities(parsed.data);
        } catch (e) {
          return fail(String((e as AppError).details?.field ?? 'phones'), 'validation.failed', (e as Error).message);
        }
        if (identities.length === 0) return fail('phones', 'validation.failed', 'A customer needs a phone or an account number');
        for (const i of identities) {
          const key = `${i.kind}:${i.value}`;
          const firstRow = seenInFile.get(key);
          if (firstRow) return fail(i.kind, 'customer.duplicate_identity', `${i.kind} ${i.value} also appears in row ${firstRow}`);
        }
        for (const i of identities) seenInFile.set(`${i.kind}:${i.value}`, rowNumber);
        valid.push({ row: rowNumber, input: parsed.data, identities });
      };
      for (const [index, cells] of body.entries()) validateRow(cells, index);

      // Identities that already belong to customers in the database.
      const taken = new Map<string, string>();
      const all = valid.flatMap((v) => v.identities);
      for (let i = 0; i < all.length; i += 1000) {
        const chunk = all.slice(i, i + 1000);
        const found = await db
          .selectFrom('customer_identities')
          .select(['kind', 'value', 'customer_id'])
          .where('brand_id', '=', brandId)
          .where((eb) => eb.or(chunk.map((x) => eb.and([eb('kind', '=', x.kind), eb('value', '=', x.value)]))))
          .execute();
        for (const f of found) taken.set(`${f.kind}:${f.value}`, f.customer_id);
      }
      const importable = valid.filter((v) => {
        const clash = v.identities.find((i) => taken.has(`${i.kind}:${i.value}`));
        if (!clash) return true;
        errors.push({ row: v.row, field: clash.kind, code: 'customer.duplicate_identity', message: `${clash.kind} ${clash.value} already belongs to another customer` });
        return false;
      });
      errors.sort((a, b) => a.row - b.row);

      let created = 0;
      if (!dryRun && importable.length > 0) {
        await db.transaction().execute(async (trx) => {
          for (const v of importable) {
            await customers.insertCustomer(trx, ctx, brandId, v.input, v.identities);
            created++;
          }
          await recordAudit(trx, ctx, { action: 'customer.import', entityType: 'customer', entityId: null, brandId, after: { created, rejected: errors.length } });
        });
      }
      return { dryRun, total: body.length, valid: importable.length, created, errors };
    },

    /** Exports the caller's visible customers, masked unless they hold customer:unmask; audited. */
    async exportCustomers(ctx: RequestContext, format: 'csv' | 'xlsx', filter: { q?: string | undefined; areaId?: string | undefined; flag?: string | undefined; tag?: string | undefined }): Promise<Buffer> {
      const auth: AuthContext = ctx.auth;
      const reveal = auth.permissions.has('customer:unmask');
      let query = db
        .selectFrom('customers')
        .leftJoin('areas', 'areas.id', 'customers.area_id')
        .select([
          'customers.id',
          'customers.name',
          'customers.id_number',
          'areas.code as area_code',
          'customers.addresses',
          'customers.preferred_language',
          'customers.flags',
          'customers.tags',
          'customers.notes',
          sql<{ kind: string; value: string }[]>`coalesce((select json_agg(json_build_object('kind', ci.kind, 'value', ci.value)) from customer_identities ci where ci.customer_id = customers.id), '[]')`.as('identities'),
        ])
        .where(customerVisibility(auth));
      // The same filters as the list, so the file holds what the user was looking at.
      const tsQuery = filter.q ? toPrefixQuery(filter.q) : null;
      if (tsQuery) query = query.where(sql<boolean>`customers.search_text @@ to_tsquery('simple', ${tsQuery})`);
      if (filter.areaId) query = query.where('customers.area_id', '=', filter.areaId);
      if (filter.flag) query = query.where(sql<boolean>`customers.flags @> array[${filter.flag}]::text[]`);
      if (filter.tag) query = query.where(sql<boolean>`customers.tags @> array[${filter.tag}]::text[]`);
      const rows = await query.orderBy('customers.created_at').limit(200_000).execute();
      const header = ['name', 'phones', 'email', 'meter', 'idNumber', 'areaCode', 'address', 'preferredLanguage', 'flags', 'tags', 'notes'];
      const mask = (kind: 'phone' | 'email', v: string) => (reveal ? v : maskIdentity(kind, v));
      const table = rows.map((r) => {
        const ids = r.identities;
        const address = (r.addresses as { text: string; primary?: boolean }[]).find((a) => a.primary) ?? (r.addresses as { text: string }[])[0];
        return [
          r.name,
          ids.filter((i) => i.kind === 'phone').map((i) => mask('phone', i.value)).join(';'),
          ids.filter((i) => i.kind === 'email').map((i) => mask('email', i.value)).join(';'),
          ids.filter((i) => i.kind === 'meter').map((i) => i.value).join(';'),
          r.id_number ? (reveal ? r.id_number : maskIdNumber(r.id_number)) : '',
          r.area_code ?? '',
          address?.text ?? '',
          r.preferred_language,
          r.flags.join(';'),
          r.tags.join(';'),
          r.notes ?? '',
        ];
      });
      await recordAudit(db, ctx, { action: 'customer.export', entityType: 'customer', entityId: null, after: { rows: rows.length, format, unmasked: reveal } });
      if (format === 'csv') return Buffer.from(toCsv([header, ...table]), 'utf8');
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('customers');
      sheet.addRow(header);
      for (const r of table) sheet.addRow(r);
      return Buffer.from(await workbook.xlsx.writeBuffer());
    },
  };
}
