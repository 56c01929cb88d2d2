// The calendar's speed as a receptionist feels it (a benchmark, not a test): on a decade of
// a dental practice, the time from opening the page to the first booking shown, from a key
// (→) to the next day painted, and from a key to the next week painted — median and p95
// over many runs, in Debian's Chromium against `hearth serve` on loopback.
//
//   cargo build --release -p hearth-server && (cd ui && npm run build)
//   node tests/bench/calendar-speed.mjs [runs] [years]   (HEARTH_BIN, HEARTH_BENCH_DB, HEARTH_BENCH_CLOCK optional)
//
// Figures go in docs/performance.md with the machine they ran on.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deskMorning } from '../browser/clock.js';
import { REPO, launchBrowser, signIn, startHearth } from '../browser/harness.js';

const runs = Number(process.argv[2] ?? 30);
const years = Number(process.argv[3] ?? 10);
const bin = process.env.HEARTH_BIN ? join(REPO, process.env.HEARTH_BIN) : join(REPO, 'target', 'release', 'hearth');
if (!existsSync(bin)) throw new Error(`${bin} is missing: cargo build --release -p hearth-server`);

// The demo and the server on one practice clock (a Tuesday at 10:30, or HEARTH_BENCH_CLOCK in
// UTC epoch ms): the same busy day to draw whatever day the benchmark runs. HEARTH_BENCH_DB
// reuses a demo written before (copied, never changed) with the clock it was written at.
const at = process.env.HEARTH_BENCH_CLOCK ? Number(process.env.HEARTH_BENCH_CLOCK) : deskMorning();
let fixture = process.env.HEARTH_BENCH_DB;
if (!fixture) {
  fixture = join(mkdtempSync(join(tmpdir(), 'hearth-bench-')), `dental-${years}y.db`);
  const t0 = Date.now();
  execFileSync(bin, ['demo', '--db', fixture, '--kind', 'dental', '--years', String(years), '--resources', '6', '--clock-starts-at', String(at)], { stdio: 'pipe' });
  console.log(`demo: ${years} years in ${((Date.now() - t0) / 1000).toFixed(1)} s (${fixture}, HEARTH_BENCH_CLOCK=${at})`);
}

const hearth = await startHearth({ file: fixture, bin, at });
const browser = await launchBrowser();
const page = await browser.newPage();
await signIn(page, hearth.url, 'maria');

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p95: at(0.95), min: s[0], max: s[s.length - 1] };
};
const fmt = (name, xs) => {
  const { median, p95, min, max } = stats(xs);
  return `| ${name} | ${runs} | ${median.toFixed(1)} ms | ${p95.toFixed(1)} ms | ${min.toFixed(1)}–${max.toFixed(1)} ms |`;
};

/**
 * In the page: press `key`, wait until the calendar has loaded the new range (its
 * `data-loaded`), then two frames — the new day or week painted.
 */
async function timedKey(key) {
  return page.evaluate(async (k) => {
    const loaded = () => document.querySelector('[data-testid="calendar"]')?.getAttribute('data-loaded');
    const before = loaded();
    const start = performance.now();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
    // Polled on a microtask-free timer so the wait itself does not hold frames back.
    await new Promise((done) => {
      const check = () => (loaded() !== before ? done(null) : setTimeout(check, 1));
      check();
    });
    const data = performance.now() - start;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { total: performance.now() - start, data };
  }, key);
}

// Page load: navigation start to the first booking on screen.
const load = [];
for (let i = 0; i < runs; i++) {
  await page.goto(`${hearth.url}/?view=day`);
  await page.locator('[data-testid="calendar"] [data-booking-id]').first().waitFor();
  load.push(await page.evaluate(() => performance.now()));
}
// Day switches: a working week forward and back, over and over.
const day = [];
await page.keyboard.press('d');
const dayData = [];
for (let i = 0; i < runs; i++) {
  const t = await timedKey(i % 10 < 5 ? 'ArrowRight' : 'ArrowLeft');
  day.push(t.total);
  dayData.push(t.data);
}
// Week switches.
const week = [];
await page.keyboard.press('w');
await page.locator('[data-view="week"] [data-booking-id]').first().waitFor();
const weekData = [];
for (let i = 0; i < runs; i++) {
  const t = await timedKey(i % 4 < 2 ? 'ArrowRight' : 'ArrowLeft');
  week.push(t.total);
  weekData.push(t.data);
}

console.log('| What | Runs | Median | p95 | Range |\n| --- | --- | --- | --- | --- |');
console.log(fmt('Page load → first booking shown', load));
console.log(fmt('Day switch (→) → data in', dayData));
console.log(fmt('Day switch (→) → painted', day));
console.log(fmt('Week switch (→) → data in', weekData));
console.log(fmt('Week switch (→) → painted', week));
await browser.close();
await hearth.stop();
