import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../platform/csv.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function multipart(fileName: string, content: Buffer, type: string) {
  const boundary = '----kefutest';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const CSV = [
  '姓名,手机号,户号,区域编码,地址,标识,标签',
  '韩雪梅,13711110001,6301110001,chengzhong,西宁市城中区北大街1号,,新装用户',
  ',13711110002,,,,,', // no name
  '李建国,12345,,,,,', // bad phone
  '周丽,13900000001,,,,,', // phone belongs to a seeded customer
  '孙强,13711110003;13711110004,,nowhere,,,', // unknown area
  '陈静,13711110005,,,,vip,', // unknown flag
  '吴磊,13711110001,,,,,', // duplicate of row 2 in the same file
  '郑芳,13711110006,,chengdong,西宁市城东区八一路9号,vulnerable,低保户',
].join('\n');

describe('customer import', () => {
  it('dry-runs a CSV reporting each bad row and why, writing nothing', async () => {
    const cookie = await t.login('admin');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/customers/import?dryRun=true', ...multipart('c.csv', Buffer.from(CSV), 'text/csv'), headers: { ...multipart('c.csv', Buffer.from(CSV), 'text/csv').headers, cookie } });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ dryRun: true, total: 8, valid: 2, created: 0 });
    expect(report.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [3, 'validation.failed'],
      [4, 'validation.failed'],
      [5, 'customer.duplicate_identity'],
      [6, 'customer.unknown_area'],
      [7, 'validation.failed'],
      [8, 'customer.duplicate_identity'],
    ]);
    const found = await t.app.inject({ method: 'GET', url: '/api/v1/customers/lookup?phone=13711110001', headers: { cookie } });
    expect(found.json().items).toEqual([]);
  });

  it('imports the valid rows of an XLSX for real', async () => {
    const cookie = await t.login('admin');
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('客户');
    for (const line of parseCsv(CSV)) sheet.addRow(line);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const body = multipart('c.xlsx', file, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/customers/import?dryRun=false', payload: body.payload, headers: { ...body.headers, cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: false, valid: 2, created: 2 });
    const found = (await t.app.inject({ method: 'GET', url: '/api/v1/customers/lookup?phone=13711110006', headers: { cookie } })).json();
    expect(found.items[0]).toMatchObject({ name: '郑芳', flags: ['vulnerable'], tags: ['低保户'] });
  });

  it('refuses a file that is neither CSV nor XLSX', async () => {
    const cookie = await t.login('admin');
    const body = multipart('c.pdf', Buffer.from('%PDF-1.4'), 'application/pdf');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/customers/import', payload: body.payload, headers: { ...body.headers, cookie } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('import.unreadable_file');
  });

  it('is refused to agents', async () => {
    const body = multipart('c.csv', Buffer.from(CSV), 'text/csv');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/customers/import', payload: body.payload, headers: { ...body.headers, cookie: await t.login('agent') } });
    expect(res.statusCode).toBe(403);
  });
});

describe('customer export', () => {
  it('exports masked CSV for a supervisor without unmask… and unmasked for admin, audited', async () => {
    const admin = await t.login('admin');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/customers/export?format=csv', headers: { cookie: admin } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const rows = parseCsv(res.body);
    expect(rows[0]?.[0]).toBe('name');
    expect(rows.length).toBeGreaterThan(5000);
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'customer.export').execute();
    expect(audit.length).toBe(1);
  });

  it('exports XLSX that opens as a workbook, masked for a role without unmask', async () => {
    const admin = await t.login('admin');
    await t.app.inject({ method: 'PATCH', url: '/api/v1/roles/qa', headers: { cookie: admin }, payload: { permissions: ['customer:read', 'customer:export'] } });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/customers/export?format=xlsx', headers: { cookie: await t.login('qa') } });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const phone = String(wb.worksheets[0]?.getRow(2).getCell(2).value ?? '');
    expect(phone).toMatch(/^\d{3}\*{4}\d{4}/);
  });
});
