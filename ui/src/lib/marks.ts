// Named moments of the window's start-up (the script, the session read, the sign-in, the
// desk's reads, the first bookings drawn), as User Timing marks: free when nobody reads
// them, and what the start-up benchmark (tests/bench/desktop-footprint.mjs) breaks its
// figures down by. Each name is marked once, the first time.
const seen = new Set<string>();

export function mark(name: string): void {
  if (seen.has(name) || typeof performance === 'undefined' || !performance.mark) return;
  seen.add(name);
  performance.mark(`hearth:${name}`);
}
