import { describe, expect, it } from 'vitest';
import { ACCOUNT_THROTTLE, getRetryAfterSeconds, recordLoginFailure, type ThrottleState } from './login-throttle.ts';

const t0 = new Date('2026-11-27T08:00:00Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000);

describe('login throttle', () => {
  it('locks an account on the fifth failure within the window', () => {
    let s: ThrottleState | null = null;
    for (let i = 0; i < 4; i++) s = recordLoginFailure(s, at(i), ACCOUNT_THROTTLE);
    expect(getRetryAfterSeconds(s, at(4))).toBe(0);
    s = recordLoginFailure(s, at(4), ACCOUNT_THROTTLE);
    expect(getRetryAfterSeconds(s, at(4))).toBe(15 * 60);
    expect(getRetryAfterSeconds(s, at(19))).toBe(0);
  });
  it('starts counting again after the window passes', () => {
    let s: ThrottleState | null = null;
    for (let i = 0; i < 4; i++) s = recordLoginFailure(s, at(i), ACCOUNT_THROTTLE);
    s = recordLoginFailure(s, at(30), ACCOUNT_THROTTLE);
    expect(s.failures).toBe(1);
    expect(s.lockedUntil).toBeNull();
  });
  it('doubles the lock for every further failure', () => {
    let s: ThrottleState | null = null;
    for (let i = 0; i < 6; i++) s = recordLoginFailure(s, at(0), ACCOUNT_THROTTLE);
    expect(getRetryAfterSeconds(s, at(0))).toBe(30 * 60);
  });
});
