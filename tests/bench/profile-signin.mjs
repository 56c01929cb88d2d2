// Where the time goes from the front desk's sign-in click to the calendar drawn, in
// Chromium (a diagnosis, not a test): a CPU profile of N sign-ins, self time by function.
//   node tests/bench/profile-signin.mjs [runs]   (HEARTH_BENCH_DB, HEARTH_BENCH_CLOCK as calendar-speed.mjs)
import { join } from 'node:path';
import { REPO, launchBrowser, startHearth } from '../browser/harness.js';

const runs = Number(process.argv[2] ?? 10);
const bin = join(REPO, 'target', 'release', 'hearth');
const at = Number(process.env.HEARTH_BENCH_CLOCK);
const hearth = await startHearth({ file: process.env.HEARTH_BENCH_DB, bin, at });
const browser = await launchBrowser();
const page = await browser.newPage();
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
const self = new Map();
const spans = [];
for (let i = 0; i < runs; i++) {
  await page.goto(hearth.url);
  const tile = page.getByTestId('demo-login-maria');
  await tile.waitFor();
  await page.waitForTimeout(1500);
  await cdp.send('Profiler.start');
  await tile.click();
  await page.locator('[data-testid="calendar"][data-loaded]:not([data-loaded=""])').waitFor();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const { profile } = await cdp.send('Profiler.stop');
  spans.push(await page.evaluate(() => {
    const m = Object.fromEntries(performance.getEntriesByType('mark').map((e) => [e.name.replace('hearth:', ''), e.startTime]));
    const from = m['sign-in'];
    return Object.fromEntries(Object.entries(m).filter(([, t]) => t >= from).map(([k, t]) => [k, Math.round(t - from)]));
  }));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, k) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[k] ?? 0) / 1000);
  });
  await page.evaluate(() => fetch('/api/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
}
console.log('marks after the click (ms):', spans);
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [k, ms] of top) console.log(`${(ms / runs).toFixed(1).padStart(7)} ms  ${k}`);
await browser.close();
await hearth.stop();
