import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../seed/index.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';
import { classifyAttachment } from './tickets.attachments.ts';

let t: TestContext;
let ticketId: string;
beforeAll(async () => {
  t = await createTestApp();
  const cookie = await t.login('agent');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: { cookie },
    payload: { customerId: getDemoCustomerFixture('portal').id, categoryCode: 'inquiry.billing', description: '账单疑问' },
  });
  ticketId = res.json().id;
});
afterAll(() => t.close());

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4d10000000049454e44ae426082', 'hex');

function upload(fileName: string, content: Buffer, cookie: string) {
  const boundary = '----kefuattach';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/html\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/attachments`, payload, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

describe('ticket attachments', () => {
  it('stores an image under a random key and serves it with its own type, never HTML', async () => {
    const cookie = await t.login('agent');
    const res = await upload('电表照片.png', PNG, cookie);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ fileName: '电表照片.png', contentType: 'image/png', sizeBytes: PNG.length });
    const file = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments/${res.json().id}`, headers: { cookie } });
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-security-policy']).toContain('sandbox');
    expect(file.rawPayload.equals(PNG)).toBe(true);
    const events = (await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/events`, headers: { cookie } })).json().items;
    expect(events.map((e: { type: string }) => e.type)).toContain('attachment_added');
  });

  it('refuses HTML, unknown types and content that lies about its type', async () => {
    const cookie = await t.login('agent');
    expect((await upload('page.html', Buffer.from('<html></html>'), cookie)).statusCode).toBe(415);
    expect((await upload('notes.txt', Buffer.from('<!DOCTYPE html><script>alert(1)</script>'), cookie)).statusCode).toBe(415);
    expect((await upload('fake.png', Buffer.from('GIF89a....'), cookie)).statusCode).toBe(415);
    expect((await upload('tool.exe', Buffer.from('MZ'), cookie)).json().error.code).toBe('attachment.type_not_allowed');
  });

  it('refuses files above 10 MiB with 413', async () => {
    const res = await upload('big.txt', Buffer.alloc(10 * 1024 * 1024 + 10, 0x61), await t.login('agent'));
    expect(res.statusCode).toBe(413);
  });

  it('is invisible to a customer who does not own the order', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments`, headers: { cookie: await t.login('customer2') } });
    expect(res.statusCode).toBe(403);
  });

  it('classifies by extension and content', () => {
    expect(classifyAttachment('a.JPG', Buffer.from([0xff, 0xd8, 0xff]))).toBe('image/jpeg');
    expect(() => classifyAttachment('a.svg', Buffer.from('<svg/>'))).toThrow();
  });
});
