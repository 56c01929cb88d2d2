// The practice's clock. "Now" on every screen is the practice computer's time as the core
// answers it (the session's `day.now_ms`, the waiting room's `now_ms`), not this computer's
// own clock: a desk whose clock is a few minutes off still counts waits right, and a
// rehearsal on a moved clock (`hearth serve --clock-starts-at`) shows its own today.
// Elapsed time on this screen alone (idle lock, silence on the live line) keeps Date.now().

/** The practice's clock minus this computer's, in milliseconds. */
let skew = 0;

/** Adopt the practice's `nowMs`, answered just now. */
export function adoptPracticeNow(nowMs: number): void {
  skew = nowMs - Date.now();
}

/** Now by the practice's clock (UTC epoch milliseconds). */
export function practiceNow(): number {
  return Date.now() + skew;
}
