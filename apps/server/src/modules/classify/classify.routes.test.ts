import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function call(user: string, method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { cookie: await t.login(user) }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json() };
}

type Suggestion = { code: string; name: string; nameEn: string; probability: number };

describe('classifier', () => {
  it('trains a model lazily on the first suggestion when none exists', async () => {
    const before = await t.database.db.selectFrom('classifier_models').select('id').execute();
    expect(before).toHaveLength(0);
    const res = await call('agent', 'POST', '/api/v1/classify/suggest', { text: '家里突然停电了，邻居家也没电', target: 'ticket_category' });
    expect(res.status).toBe(200);
    expect(res.body.reasonCodes).toEqual([]);
    expect(res.body.categories.length).toBeGreaterThan(0);
    const stored = await t.database.db.selectFrom('classifier_models').select(['target', 'trained_by', 'active']).execute();
    expect(stored).toEqual([{ target: 'ticket_category', trained_by: null, active: true }]);
  });

  it('trains a reason model from the wrap-up history, stores it active and audits it', async () => {
    const res = await call('admin', 'POST', '/api/v1/classify/models/train', { target: 'reason_code' });
    expect(res.status).toBe(201);
    const m = res.body;
    expect(m).toMatchObject({ target: 'reason_code', algorithm: 'naive_bayes', active: true, trainedByName: expect.any(String) });
    expect(m.sampleCount).toBeGreaterThanOrEqual(30);
    expect(m.holdoutCount).toBeGreaterThan(0);
    expect(m.holdoutCount).toBeLessThan(m.sampleCount);
    expect(m.accuracy).toBeGreaterThan(0);
    expect(m.accuracy).toBeLessThanOrEqual(1);
    // The confusion matrix is square over the labels and counts every held-back text once.
    expect(m.confusion).toHaveLength(m.labels.length);
    expect(m.confusion.flat().reduce((s: number, x: number) => s + x, 0)).toBe(m.holdoutCount);
    expect(m.labels.find((l: { code: string }) => l.code === 'repair.no-power')).toMatchObject({ name: '无电报修', nameEn: 'No power at the premises' });
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'classifier.train').execute();
    expect(audit.map((a) => a.entity_id)).toContain(m.id);

    // A second training replaces it as the active one; the history keeps both.
    const again = await call('admin', 'POST', '/api/v1/classify/models/train', { target: 'reason_code' });
    expect(again.status).toBe(201);
    const list = await call('admin', 'GET', '/api/v1/classify/models?target=reason_code');
    expect(list.body.items.map((x: { id: string; active: boolean }) => [x.id, x.active])).toEqual([
      [again.body.id, true],
      [m.id, false],
    ]);
    const detail = await call('admin', 'GET', `/api/v1/classify/models/${m.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.confusion).toEqual(m.confusion);
    expect(detail.body.perClass.length).toBe(m.labels.length);
  });

  it('suggests the right reason and category for obvious Chinese texts, best first', async () => {
    const res = await call('agent', 'POST', '/api/v1/classify/suggest', { text: '电表箱冒烟了，家里一下子全没电了，快派人来修', limit: 3 });
    expect(res.status).toBe(200);
    const reasons = res.body.reasonCodes as Suggestion[];
    const categories = res.body.categories as Suggestion[];
    expect(reasons).toHaveLength(3);
    expect(reasons[0]?.code.startsWith('repair.')).toBe(true);
    expect(categories[0]?.code.startsWith('fault-repair.')).toBe(true);
    for (const list of [reasons, categories]) {
      for (let i = 1; i < list.length; i++) expect(list[i - 1]?.probability).toBeGreaterThanOrEqual(list[i]?.probability ?? 0);
      expect(list.reduce((s, x) => s + x.probability, 0)).toBeLessThanOrEqual(1.0001);
    }
    const bill = await call('agent', 'POST', '/api/v1/classify/suggest', { text: '这个月电费怎么这么高，比上个月多了一倍，想查一下用电量' });
    expect((bill.body.reasonCodes as Suggestion[])[0]?.code.startsWith('billing.')).toBe(true);
    expect((bill.body.categories as Suggestion[]).slice(0, 3).map((c) => c.code)).toContain('inquiry.billing');
  });

  it('answers an English text with well-formed suggestions (the demo history is almost all Chinese)', async () => {
    const res = await call('agent', 'POST', '/api/v1/classify/suggest', { text: 'My power has been off since this morning, is there an outage?', target: 'reason_code', limit: 2 });
    expect(res.status).toBe(200);
    expect(res.body.categories).toEqual([]);
    expect(res.body.reasonCodes).toHaveLength(2);
    expect(res.body.reasonCodes[0]).toMatchObject({ code: expect.stringMatching(/^[a-z-]+\.[a-z-]+$/), nameEn: expect.any(String) });
  });

  it('refuses to train with too little labelled history (422) and writes nothing', async () => {
    const before = await t.database.db.selectFrom('classifier_models').select('id').execute();
    const res = await call('admin', 'POST', '/api/v1/classify/models/train', { target: 'ticket_category', since: '2099-01-01T00:00:00Z' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('classify.insufficient_data');
    expect(res.body.error.details).toMatchObject({ samples: 0, minSamples: 30 });
    const after = await t.database.db.selectFrom('classifier_models').select('id').execute();
    expect(after).toHaveLength(before.length);
  });

  it('lets only bot:manage train or read models, and desk or intake users suggest', async () => {
    expect((await call('agent', 'POST', '/api/v1/classify/models/train', { target: 'reason_code' })).status).toBe(403);
    expect((await call('agent', 'GET', '/api/v1/classify/models')).status).toBe(403);
    const planner = await call('planner', 'POST', '/api/v1/classify/suggest', { text: '停电了' });
    expect(planner.status).toBe(403);
    expect(planner.body.error.code).toBe('auth.forbidden');
  });

  it('validates the input: empty or blank text, too long text, unknown target or property → 400', async () => {
    for (const payload of [{ text: '' }, { text: '   ' }, { text: 'x'.repeat(5001) }, { text: '停电', target: 'queue' }, { text: '停电', extra: 1 }, { text: '停电', limit: 0 }]) {
      const res = await call('agent', 'POST', '/api/v1/classify/suggest', payload);
      expect(res.status, JSON.stringify(payload).slice(0, 40)).toBe(400);
      expect(res.body.error.code).toBe('validation.failed');
    }
    expect((await call('admin', 'POST', '/api/v1/classify/models/train', { target: 'everything' })).status).toBe(400);
    expect((await call('admin', 'GET', '/api/v1/classify/models/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
