import { describe, expect, it } from 'vitest';
import { createRedisBus, type RealtimeMessage } from './realtime.ts';

const url = process.env.TEST_REDIS_URL;

// Two buses stand for two server processes behind a load balancer.
describe.skipIf(!url)('Redis realtime bus', () => {
  it('delivers a message published by one process to subscribers in another', async () => {
    const a = createRedisBus(url as string);
    const b = createRedisBus(url as string);
    const got: RealtimeMessage[] = [];
    b.subscribe((m) => got.push(m));
    await new Promise((r) => setTimeout(r, 200)); // subscription handshake
    await a.publish({ topic: 'customer.updated', payload: { customerId: 'x' }, brandId: 'brand-1' });
    const until = Date.now() + 3000;
    while (got.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([{ topic: 'customer.updated', payload: { customerId: 'x' }, brandId: 'brand-1' }]);
    await a.close();
    await b.close();
  });
});
