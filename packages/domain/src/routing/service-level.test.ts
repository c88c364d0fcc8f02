import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanceContact, type ContactAction, type ContactState, createContact } from '../contacts/contact.ts';
import { computeFiguresByQueue, computeQueueFigures, computeServiceFigures } from './service-level.ts';

const T0 = new Date('2026-03-02T02:00:00Z'); // Monday 10:00 in Shanghai
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const ZONE = { timeZone: 'Asia/Shanghai' };

// A contact queued in `queueId` at second `start`, then the given [action, seconds after start] steps.
function contactIn(queueId: string, start: number, steps: [ContactAction, number][] = []): ContactState {
  let c = createContact({ channel: 'call', createdAt: at(start) });
  for (const [action, s] of [[{ type: 'queue', queueId }, 0] as [ContactAction, number], ...steps]) {
    const r = advanceContact(c, action, at(start + s));
    if (!r.ok) throw new Error(`${action.type} refused: ${r.reason}`);
    c = r.contact;
  }
  return c;
}
const answeredAfter = (wait: number, queueId = 'q1', start = -3600) =>
  contactIn(queueId, start, [
    [{ type: 'offer', agentId: 'a1' }, wait],
    [{ type: 'answer' }, wait],
    [{ type: 'end' }, wait + 120],
    [{ type: 'wrap_up', reasonCode: 'r' }, wait + 150],
  ]);
const abandonedAfter = (wait: number, start = -3600) => contactIn('q1', start, [[{ type: 'abandon' }, wait]]);
const overflowedAfter = (wait: number, start = -3600) => contactIn('q1', start, [[{ type: 'overflow', action: 'callback' }, wait]]);

// Today's queue: 2 answered (10 s, 30 s), 1 short and 1 long abandon, 1 overflow after 300 s,
// 1 overflow at once (closed), 2 waiting now.
const TODAY = [
  answeredAfter(10),
  answeredAfter(30),
  abandonedAfter(3),
  abandonedAfter(40),
  overflowedAfter(300),
  overflowedAfter(0),
  contactIn('q1', -50),
  contactIn('q1', -20, [[{ type: 'offer', agentId: 'a2' }, 15]]),
];

describe('computeServiceFigures', () => {
  it('counts service level as answered within T over answered + abandoned, short abandons left out', () => {
    expect(computeServiceFigures(TODAY)).toEqual({
      offered: 4,
      answered: 2,
      answeredWithinThreshold: 1,
      abandoned: 1,
      shortAbandoned: 1,
      overflowed: 1,
      overflowedAtOnce: 1,
      serviceLevel: 1 / 3,
      answerRate: 2 / 4,
      abandonRate: 1 / 4,
      averageSpeedOfAnswerSeconds: 20,
    });
  });

  it('offers the other service-level variants and thresholds', () => {
    expect(computeServiceFigures(TODAY, { serviceLevelFormula: 'answered_only' }).serviceLevel).toBe(1 / 2);
    expect(computeServiceFigures(TODAY, { serviceLevelFormula: 'offered' }).serviceLevel).toBe(1 / 5);
    expect(computeServiceFigures(TODAY, { serviceLevelSeconds: 30 }).serviceLevel).toBe(2 / 3);
    expect(computeServiceFigures(TODAY, { shortAbandonSeconds: 0 })).toMatchObject({ abandoned: 2, shortAbandoned: 0, serviceLevel: 1 / 4 });
  });

  it('reports no rates when nothing was answered or abandoned', () => {
    expect(computeServiceFigures([])).toMatchObject({ offered: 0, serviceLevel: null, answerRate: null, abandonRate: null, averageSpeedOfAnswerSeconds: null });
  });

  it('leaves out contacts that never queued', () => {
    const direct = advanceContact(createContact({ channel: 'outbound', createdAt: T0 }), { type: 'answer', agentId: 'a1' }, at(1));
    expect(direct.ok && computeServiceFigures([direct.contact]).answered).toBe(0);
  });
});

describe('computeQueueFigures', () => {
  it('shows waiting contacts, the longest current wait and today’s figures', () => {
    expect(computeQueueFigures(TODAY, T0, ZONE)).toMatchObject({ waiting: 2, longestWaitSeconds: 50, answered: 2, serviceLevel: 1 / 3 });
  });

  it('counts today on the local date: a contact queued at 23:59 yesterday in Shanghai is not today’s', () => {
    const lateYesterday = answeredAfter(5, 'q1', -(10 * 3600 + 60)); // Sunday 23:59 local
    expect(computeQueueFigures([lateYesterday], T0, ZONE).answered).toBe(0);
    const earlyToday = answeredAfter(5, 'q1', -9000); // Monday 07:30 local, still Sunday in UTC
    expect(computeQueueFigures([earlyToday], T0, ZONE).answered).toBe(1);
    expect(computeQueueFigures([earlyToday], T0, { timeZone: 'UTC' }).answered).toBe(0);
  });

  it('keeps a contact waiting since yesterday in the waiting figures', () => {
    const c = contactIn('q1', -(10 * 3600 + 60));
    expect(computeQueueFigures([c], T0, ZONE)).toMatchObject({ waiting: 1, longestWaitSeconds: 36_060 });
  });

  it('measures the longest wait from the current queue after a transfer', () => {
    const transferred = contactIn('q2', -600, [
      [{ type: 'offer', agentId: 'a1' }, 5],
      [{ type: 'answer' }, 6],
      [{ type: 'transfer', to: { kind: 'queue', queueId: 'q2' } }, 560],
    ]);
    expect(computeQueueFigures([transferred], T0, ZONE).longestWaitSeconds).toBe(40);
  });

  it('reports zero longest wait when nobody waits', () => {
    expect(computeQueueFigures([answeredAfter(10)], T0, ZONE)).toMatchObject({ waiting: 0, longestWaitSeconds: 0 });
  });
});

describe('computeFiguresByQueue', () => {
  it('splits the figures per queue and leaves out contacts without one', () => {
    const direct = advanceContact(createContact({ channel: 'walk_in', createdAt: T0 }), { type: 'answer', agentId: 'a1' }, at(1));
    const contacts = [...TODAY, answeredAfter(50, 'q2'), ...(direct.ok ? [direct.contact] : [])];
    const figures = computeFiguresByQueue(contacts, T0, ZONE);
    expect(Object.keys(figures).sort()).toEqual(['q1', 'q2']);
    expect(figures.q1).toMatchObject({ answered: 2, waiting: 2 });
    expect(figures.q2).toMatchObject({ answered: 1, serviceLevel: 0, averageSpeedOfAnswerSeconds: 50 });
  });
});

describe('service figures: properties', () => {
  const arbContact = fc.oneof(
    fc.integer({ min: 0, max: 120 }).map((w) => answeredAfter(w)),
    fc.integer({ min: 0, max: 120 }).map((w) => abandonedAfter(w)),
    fc.integer({ min: 0, max: 600 }).map((w) => overflowedAfter(w)),
    fc.integer({ min: 1, max: 600 }).map((w) => contactIn('q1', -w)),
  );

  it('keeps every rate within 0…1 and the counts consistent', () => {
    fc.assert(
      fc.property(
        fc.array(arbContact, { maxLength: 40 }),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom('answered_and_abandoned', 'answered_only', 'offered' as const),
        (contacts, threshold, formula) => {
          const f = computeServiceFigures(contacts, { serviceLevelSeconds: threshold, serviceLevelFormula: formula });
          expect(f.offered).toBe(f.answered + f.abandoned + f.overflowed);
          expect(f.answeredWithinThreshold).toBeLessThanOrEqual(f.answered);
          for (const rate of [f.serviceLevel, f.answerRate, f.abandonRate]) {
            if (rate !== null) expect(rate >= 0 && rate <= 1).toBe(true);
          }
          const waiting = contacts.filter((c) => c.status === 'queued').length;
          expect(f.answered + f.abandoned + f.shortAbandoned + f.overflowed + f.overflowedAtOnce).toBe(contacts.length - waiting);
        },
      ),
    );
  });

  it('never lowers the service level when the threshold grows', () => {
    fc.assert(
      fc.property(fc.array(arbContact, { maxLength: 30 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (contacts, a, b) => {
        const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
        const sl = (t: number) => computeServiceFigures(contacts, { serviceLevelSeconds: t }).serviceLevel ?? 0;
        expect(sl(hi)).toBeGreaterThanOrEqual(sl(lo));
      }),
    );
  });
});
