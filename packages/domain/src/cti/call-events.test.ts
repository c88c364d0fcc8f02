import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getHandleTime, getWaitSeconds, isAbandoned } from '../contacts/contact.ts';
import { applyCallEvent, type CallEvent, type CallState, createCallState, reduceCallEvents } from './call-events.ts';

const T0 = new Date('2026-11-27T01:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const CALL = 'call-1';

type Spec = CallEvent extends infer E ? (E extends CallEvent ? Omit<E, 'id' | 'callId' | 'at'> : never) : never;
let n = 0;
const ev = (s: number, spec: Spec, id = `e${++n}`): CallEvent => ({ id, callId: CALL, at: at(s), ...spec }) as CallEvent;

function feed(events: readonly CallEvent[]): CallState {
  let state = createCallState(CALL);
  for (const e of events) state = applyCallEvent(state, e).state;
  return state;
}

const offered = (s = 0) => ev(s, { type: 'offered', caller: '13900000001', called: '95598', ivrPath: '1>3' });

// A normal call: IVR, queue, answer, hold, resume, transfer to another agent, end, recording.
const normalCall = (): CallEvent[] => [
  offered(0),
  ev(4, { type: 'ivr_input', digits: '1', nodeId: 'main' }),
  ev(8, { type: 'ivr_input', digits: '3', nodeId: 'billing' }),
  ev(10, { type: 'queued', queueId: 'q-billing' }),
  ev(40, { type: 'answered', agentId: 'agent-a' }),
  ev(100, { type: 'held' }),
  ev(130, { type: 'resumed' }),
  ev(200, { type: 'transferred', to: { kind: 'agent', agentId: 'agent-b' } }),
  ev(205, { type: 'answered', agentId: 'agent-b' }),
  ev(305, { type: 'ended', reason: 'customer_hangup' }),
  ev(320, { type: 'recording_ready', url: 'https://pbx.example/rec/call-1.wav' }),
];

describe('CTI call events → contact', () => {
  it('builds the contact timestamps and talk/hold totals of a normal call with a hold and a transfer', () => {
    const s = feed(normalCall());
    const c = s.contact!;
    expect(c.channel).toBe('call');
    expect(c.createdAt).toEqual(at(0));
    expect(c.queuedAt).toEqual(at(10));
    expect(c.offeredAt).toEqual(at(40));
    expect(c.answeredAt).toEqual(at(40));
    expect(c.endedAt).toEqual(at(305));
    expect(c.status).toBe('wrap_up');
    expect(c.endReason).toBe('completed');
    expect(c.agentId).toBe('agent-b');
    expect(c.transferCount).toBe(1);
    // talk: 40→100 (60) + 130→200 (70) + 205→305 (100); hold 100→130; the transfer ring 200→205 is neither
    expect(c.talkMs).toBe(230_000);
    expect(c.holdMs).toBe(30_000);
    expect(getWaitSeconds(c)).toBe(30);
    expect(getHandleTime(c, at(305)).handleSeconds).toBe(260);
    expect(s.endReason).toBe('customer_hangup');
    expect(s.caller).toBe('13900000001');
    expect(s.ivrPath).toBe('1>3');
    expect(s.ivrInputs.map((i) => i.digits)).toEqual(['1', '3']);
    expect(s.recordingUrls).toEqual(['https://pbx.example/rec/call-1.wav']);
    expect(s.ignored).toEqual([]);
    expect(s.timeline.map((e) => e.type)).toEqual(['queued', 'offered', 'answered', 'held', 'resumed', 'transferred', 'answered', 'ended']);
  });

  it('records a caller who hangs up in the queue as abandoned, with the wait', () => {
    const s = feed([offered(0), ev(5, { type: 'queued', queueId: 'q' }), ev(65, { type: 'ended', reason: 'customer_hangup' })]);
    expect(s.contact!.status).toBe('closed');
    expect(s.contact!.endReason).toBe('abandoned');
    expect(s.contact!.answeredAt).toBeNull();
    expect(isAbandoned(s.contact!)).toBe(true);
    expect(getWaitSeconds(s.contact!)).toBe(60);
  });

  it('treats a queue timeout as an overflow to leave-a-message or callback, not an abandon', () => {
    const s = feed([offered(0), ev(5, { type: 'queued', queueId: 'q' }), ev(305, { type: 'ended', reason: 'timeout', overflowAction: 'callback' })]);
    expect(s.contact!.endReason).toBe('overflowed');
    expect(s.contact!.overflowAction).toBe('callback');
    expect(isAbandoned(s.contact!)).toBe(false);
  });

  it('closes a call that ended in the IVR (self-service) as not routed', () => {
    const s = feed([offered(0), ev(3, { type: 'ivr_input', digits: '2', nodeId: 'main' }), ev(30, { type: 'ended', reason: 'customer_hangup' })]);
    expect(s.contact!.status).toBe('closed');
    expect(s.contact!.endReason).toBe('not_routed');
  });

  it('transfers to a queue and counts the second answer as the same contact', () => {
    const s = feed([
      offered(0),
      ev(1, { type: 'queued', queueId: 'q1' }),
      ev(11, { type: 'answered', agentId: 'a' }),
      ev(71, { type: 'transferred', to: { kind: 'queue', queueId: 'q2' } }),
      ev(91, { type: 'answered', agentId: 'b' }),
      ev(151, { type: 'ended', reason: 'agent_hangup' }),
    ]);
    const c = s.contact!;
    expect(c.queueId).toBe('q2');
    expect(c.transferCount).toBe(1);
    expect(c.answeredAt).toEqual(at(11));
    expect(c.talkMs).toBe(120_000);
    expect(c.agentId).toBe('b');
  });

  it('lets another agent pick up a call transferred to a colleague (the first offer rang out)', () => {
    const s = feed([
      offered(0),
      ev(1, { type: 'queued', queueId: 'q1' }),
      ev(2, { type: 'answered', agentId: 'a' }),
      ev(10, { type: 'transferred', to: { kind: 'agent', agentId: 'b' } }),
      ev(15, { type: 'answered', agentId: 'c' }),
    ]);
    expect(s.contact!.agentId).toBe('c');
    expect(s.contact!.declinedAgentIds).toContain('b');
    expect(s.ignored).toEqual([]);
  });

  it('treats a retried event (same id) as a no-op', () => {
    const events = normalCall();
    let state = createCallState(CALL);
    for (const e of events) state = applyCallEvent(state, e).state;
    const again = applyCallEvent(state, { ...events[5]! });
    expect(again.outcome).toBe('duplicate');
    expect(again.state).toBe(state);
  });

  it('applies a late event in its place by replaying the log', () => {
    const [o, i1, i2, q, a, h, r, t, a2, e, rec] = normalCall();
    let state = feed([o!, i1!, i2!, q!, a!, r!]); // resumed before held: refused for now
    expect(state.ignored.map((x) => x.type)).toEqual(['resumed']);
    const late = applyCallEvent(state, h!);
    expect(late.outcome).toBe('replayed');
    state = late.state;
    expect(state.ignored).toEqual([]);
    expect(state.contact!.status).toBe('active');
    state = feed([...state.events, t!, a2!, e!, rec!]);
    expect(state.contact).toEqual(feed(normalCall()).contact);
  });

  it('keeps events that arrive before offered until offered comes, then applies them', () => {
    const [o, ...rest] = normalCall();
    const before = feed(rest);
    expect(before.contact).toBeNull();
    expect(before.ignored.every((x) => x.reason === 'no_offer')).toBe(true);
    const after = applyCallEvent(before, o!).state;
    expect(after.contact).toEqual(feed(normalCall()).contact);
  });

  it('ignores events the lifecycle refuses, with a reason (hold after the end, a second offered)', () => {
    const s = feed([...normalCall(), ev(400, { type: 'held' }), ev(401, { type: 'offered', caller: 'x', called: 'y' })]);
    expect(s.ignored).toEqual([
      { eventId: expect.any(String), type: 'held', reason: 'not_allowed_in_status' },
      { eventId: expect.any(String), type: 'offered', reason: 'already_offered' },
    ]);
    expect(s.contact!.status).toBe('wrap_up');
  });

  it('orders events of the same second by seq, then by the natural call order', () => {
    const same = [offered(0), ev(1, { type: 'ended', reason: 'customer_hangup' }), ev(1, { type: 'answered', agentId: 'a' }), ev(1, { type: 'queued', queueId: 'q' })];
    const s = reduceCallEvents(CALL, same);
    expect(s.events.map((e) => e.type)).toEqual(['offered', 'queued', 'answered', 'ended']);
    expect(s.contact!.endReason).toBe('completed');
    const seqd = [offered(0), ev(1, { type: 'held', seq: 2 }), ev(1, { type: 'resumed', seq: 1 })];
    expect(reduceCallEvents(CALL, seqd).events.map((e) => e.type)).toEqual(['offered', 'resumed', 'held']);
  });

  it('counts a transfer and the new agent\'s answer stamped in the same second, in either arrival order', () => {
    const base = [offered(0), ev(1, { type: 'queued', queueId: 'q' }), ev(2, { type: 'answered', agentId: 'a' })];
    const t = ev(50, { type: 'transferred', to: { kind: 'agent', agentId: 'b' } });
    const a2 = ev(50, { type: 'answered', agentId: 'b' });
    for (const order of [[t, a2], [a2, t]]) {
      const s = feed([...base, ...order]);
      expect(s.ignored).toEqual([]);
      expect(s.contact!.agentId).toBe('b');
      expect(s.contact!.transferCount).toBe(1);
    }
  });

  it('refuses an event of another call', () => {
    expect(() => applyCallEvent(createCallState('other'), offered())).toThrow(RangeError);
  });

  it('builds an outbound (click-to-call) contact from a direct answer', () => {
    const s = feed([
      ev(0, { type: 'offered', caller: '8001', called: '13900000002', direction: 'outbound' }),
      ev(9, { type: 'answered', agentId: 'a' }),
      ev(69, { type: 'ended', reason: 'agent_hangup' }),
    ]);
    expect(s.contact!.channel).toBe('outbound');
    expect(s.contact!.talkMs).toBe(60_000);
  });
});

describe('CTI call events: order and duplicates do not matter', () => {
  // Valid calls of varying shape, with timestamps strictly increasing.
  const arbCall = fc
    .record({
      ivr: fc.array(fc.constantFrom('1', '2', '9', '#'), { maxLength: 3 }),
      queue: fc.boolean(),
      answered: fc.boolean(),
      holds: fc.nat({ max: 3 }),
      transfer: fc.constantFrom('none', 'agent', 'queue'),
      end: fc.constantFrom('customer_hangup', 'agent_hangup', 'abandoned', 'timeout', 'failed'),
      recording: fc.boolean(),
      gaps: fc.array(fc.integer({ min: 0, max: 90 }), { minLength: 30, maxLength: 30 }),
    })
    .map((p) => {
      let t = 0;
      let i = 0;
      const next = () => (t += p.gaps[i++ % p.gaps.length]!);
      const out: CallEvent[] = [ev(0, { type: 'offered', caller: '13900000001', called: '95598' }, 'o')];
      for (const [k, d] of p.ivr.entries()) out.push(ev(next(), { type: 'ivr_input', digits: d, nodeId: `n${k}` }, `i${k}`));
      if (p.queue) out.push(ev(next(), { type: 'queued', queueId: 'q' }, 'q'));
      if (p.queue && p.answered) {
        out.push(ev(next(), { type: 'answered', agentId: 'a' }, 'a'));
        for (let k = 0; k < p.holds; k++) {
          out.push(ev(next(), { type: 'held' }, `h${k}`));
          out.push(ev(next(), { type: 'resumed' }, `r${k}`));
        }
        if (p.transfer === 'agent') {
          out.push(ev(next(), { type: 'transferred', to: { kind: 'agent', agentId: 'b' } }, 't'));
          out.push(ev(next(), { type: 'answered', agentId: 'b' }, 'a2'));
        }
        if (p.transfer === 'queue') {
          out.push(ev(next(), { type: 'transferred', to: { kind: 'queue', queueId: 'q2' } }, 't'));
          out.push(ev(next(), { type: 'answered', agentId: 'c' }, 'a2'));
        }
      }
      out.push(ev(next(), { type: 'ended', reason: p.end }, 'end'));
      if (p.recording) out.push(ev(next(), { type: 'recording_ready', url: 'https://pbx.example/r.wav' }, 'rec'));
      return out;
    });

  // The arrival order: a permutation with some events repeated (as a retrying PBX would).
  const arbArrival = (events: CallEvent[]) =>
    fc.tuple(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 6 })).chain(([perm, dups]) => {
      const withDups = [...perm, ...dups.map((k) => ({ ...events[k]! }))];
      return fc.shuffledSubarray(withDups, { minLength: withDups.length, maxLength: withDups.length });
    });

  it('yields the same contact and call state for any permutation and duplication of a valid call', () => {
    fc.assert(
      fc.property(
        arbCall.chain((events) => fc.tuple(fc.constant(events), arbArrival(events))),
        ([events, arrival]) => {
          const expected = feed(events);
          expect(expected.ignored).toEqual([]);
          const got = feed(arrival);
          expect(got.contact).toEqual(expected.contact);
          expect(got.timeline).toEqual(expected.timeline);
          expect(got.recordingUrls).toEqual(expected.recordingUrls);
          expect(got.ivrInputs).toEqual(expected.ivrInputs);
          expect(got.endReason).toEqual(expected.endReason);
          expect(got.ignored).toEqual([]);
          expect(reduceCallEvents(CALL, arrival)).toEqual(got);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never lets talk + hold exceed the time from first answer to end', () => {
    fc.assert(
      fc.property(arbCall, (events) => {
        const c = feed(events).contact!;
        if (c.answeredAt === null || c.endedAt === null) return;
        expect(c.talkMs + c.holdMs).toBeLessThanOrEqual(c.endedAt.getTime() - c.answeredAt.getTime());
      }),
    );
  });
});
