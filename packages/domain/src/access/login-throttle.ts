/** Failed-login state of one key (an account or an IP address). */
export type ThrottleState = { failures: number; firstFailureAt: Date; lockedUntil: Date | null };

export type ThrottlePolicy = { maxFailures: number; windowMs: number; lockMs: number };

export const ACCOUNT_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const IP_THROTTLE: ThrottlePolicy = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** Seconds until the key may try again, or 0 when it may try now. */
export function getRetryAfterSeconds(state: ThrottleState | null, now: Date): number {
  if (!state?.lockedUntil) return 0;
  const ms = state.lockedUntil.getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/**
 * Counts one failure; failures older than the window start a fresh count.
 * Reaching the limit locks the key, and each further failure while counting doubles the lock.
 */
export function recordLoginFailure(state: ThrottleState | null, now: Date, policy: ThrottlePolicy): ThrottleState {
  const fresh = !state || now.getTime() - state.firstFailureAt.getTime() > policy.windowMs;
  const failures = fresh ? 1 : state.failures + 1;
  const firstFailureAt = fresh ? now : state.firstFailureAt;
  if (failures < policy.maxFailures) return { failures, firstFailureAt, lockedUntil: null };
  const doublings = Math.min(failures - policy.maxFailures, 6);
  return { failures, firstFailureAt, lockedUntil: new Date(now.getTime() + policy.lockMs * 2 ** doublings) };
}
