// Where a day switch's time goes in Chromium (a diagnosis, not a test): a CPU profile of
// N day switches on the calendar, self time by function, per switch.
//   node tests/bench/profile-switch.mjs [runs]   (HEARTH_BENCH_DB, HEARTH_BENCH_CLOCK as calendar-speed.mjs;
//   HIDE='aside.side' hides what the selector finds, to see its share)
import { join } from 'node:path';
import { REPO, launchBrowser, signIn, startHearth } from '../browser/harness.js';

const runs = Number(process.argv[2] ?? 20);
const bin = join(REPO, 'target', 'release', 'hearth');
const hearth = await startHearth({ file: process.env.HEARTH_BENCH_DB, bin, at: Number(process.env.HEARTH_BENCH_CLOCK) });
const browser = await launchBrowser();
const page = await browser.newPage();
await signIn(page, hearth.url, 'maria');
await page.goto(`${hearth.url}/?view=day`);
await page.locator('[data-testid="calendar"] [data-booking-id]').first().waitFor();
if (process.env.HIDE) await page.addStyleTag({ content: `${process.env.HIDE} { display: none !important; }` });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
for (let i = 0; i < runs; i++) {
  await page.evaluate(async (k) => {
    const loaded = () => document.querySelector('[data-testid="calendar"]')?.getAttribute('data-loaded');
    const before = loaded();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
    await new Promise((done) => {
      const check = () => (loaded() !== before ? done(null) : setTimeout(check, 1));
      check();
    });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  }, i % 10 < 5 ? 'ArrowRight' : 'ArrowLeft');
  await page.waitForTimeout(300);
}
const { profile } = await cdp.send('Profiler.stop');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
profile.samples.forEach((id, k) => {
  const f = byId.get(id).callFrame;
  const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[k] ?? 0) / 1000);
});
for (const [k, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`${(ms / runs).toFixed(1).padStart(7)} ms  ${k}`);
}
const dom = await page.evaluate(() => ({
  all: document.querySelectorAll('*').length,
  grid: document.querySelector('[data-testid="calendar"]')?.querySelectorAll('*').length,
  sidebar: document.querySelectorAll('aside *').length,
}));
console.log('elements:', dom);
await browser.close();
await hearth.stop();
