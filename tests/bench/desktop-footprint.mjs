// How light Hearth's window is on an old operatory PC, against a blank Tauri window
// built from the same versions, in the same run, under Xvfb (a benchmark, not a test):
//
//   (cd ui && npm run build) && cargo build --release -p hearth-desktop --features tauri/custom-protocol \
//     && cargo build --release -p blank-window --features tauri/custom-protocol \
//     && dbus-run-session -- xvfb-run -a -s "-screen 0 1366x800x24" node tests/bench/desktop-footprint.mjs [runs]
//
// For each run and each app: launch through tauri-driver, time to the first screen and (Hearth,
// on the demo practice, after the front desk's one-click sign-in) to the first calendar drawn
// with its bookings; then, settled, the proportional set size (PSS) of the app and its
// WebKit processes (web, network), summed from /proc/PID/smaps_rollup. Medians are printed,
// and the same times by the page's own clock (the blank page's first paint; Hearth's steps
// marked by ui/src/lib/marks.ts), which WebDriver's polling does not blur.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { deskMorning } from '../browser/clock.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'tests/desktop/package.json'));
const { remote } = require('webdriverio');
const runs = Number(process.argv[2] ?? 3);
const hearthApp = join(root, 'target/release/hearth-desktop');
const blankApp = join(root, 'target/release/blank-window');
const hearthCli = join(root, 'target/release/hearth');
for (const bin of [hearthApp, blankApp]) if (!existsSync(bin)) throw new Error(`build ${bin} first (see the command above)`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every process whose ancestry leads to `pid`, with `pid`. */
function tree(pid) {
  const parent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(d), ppid);
    } catch {
      /* gone */
    }
  }
  const out = [pid];
  for (const [p] of parent) {
    let q = p;
    for (let i = 0; i < 20 && q > 1; i++) {
      q = parent.get(q);
      if (q === pid) {
        out.push(p);
        break;
      }
    }
  }
  return out;
}

function pssKiB(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function nameOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

function pidOf(bin) {
  const out = execFileSync('pgrep', ['-f', '-n', '--', bin], { encoding: 'utf8' }).trim();
  return Number(out.split('\n')[0]);
}

async function measure(app, first, then) {
  const port = 7444 + Math.floor(Math.random() * 400) * 2;
  const home = mkdtempSync(join(tmpdir(), 'hearth-footprint-'));
  for (const d of ['data', 'config', 'cache']) mkdirSync(join(home, d));
  const db = join(home, 'practice.db');
  // The demo and the window on one practice clock (a Tuesday at 10:30): the same calendar
  // to draw whatever day the benchmark runs.
  const clock = String(deskMorning());
  const demo = ['demo', '--db', db, '--clock-starts-at', clock];
  if (app === hearthApp) execFileSync(existsSync(hearthCli) ? hearthCli : hearthApp, existsSync(hearthCli) ? demo : ['cli', ...demo], { stdio: 'ignore' });
  const tauriDriver = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
  const driver = spawn(existsSync(tauriDriver) ? tauriDriver : 'tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], {
    env: { ...process.env, HEARTH_DB: db, HEARTH_CLOCK_STARTS_AT: clock, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') },
    stdio: 'ignore',
  });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/status`)).ok) break;
    } catch {
      /* not yet */
    }
    await sleep(100);
  }
  const launched = Date.now();
  const browser = await remote({
    hostname: '127.0.0.1', port, logLevel: 'error',
    capabilities: { browserName: 'wry', 'tauri:options': { application: app }, 'wdio:enforceWebDriverClassic': true },
  });
  await browser.$(first).waitForExist({ timeout: 60_000, interval: 20 });
  const firstScreen = Date.now() - launched;
  let shown = firstScreen;
  let firstPssMiB = null;
  let steps = {};
  if (then) {
    await sleep(2000);
    firstPssMiB = tree(pidOf(app)).reduce((a, p) => a + pssKiB(p), 0) / 1024;
    const clicked = Date.now();
    await browser.$(then.click).click();
    await browser.$(then.wait).waitForExist({ timeout: 60_000, interval: 20 });
    shown = firstScreen + (Date.now() - clicked);
    // Where the time went: the page's own marks (ui/src/lib/marks.ts), from the launch.
    const t = await browser.execute(() => ({
      origin: performance.timeOrigin,
      marks: [
        ...performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]),
        ...performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]),
      ],
    }));
    steps = { navigation: Math.round(t.origin - launched) };
    for (const [n, at] of t.marks) {
      const abs = t.origin + at;
      steps[n.replace('hearth:', '')] = Math.round(abs >= clicked ? firstScreen + abs - clicked : abs - launched);
    }
  } else {
    const t = await browser.execute(() => ({
      origin: performance.timeOrigin,
      paint: performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]),
      loaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? null,
    }));
    steps = { navigation: Math.round(t.origin - launched) };
    if (t.loaded !== null) steps['content-loaded'] = Math.round(t.origin + t.loaded - launched);
    for (const [n, at] of t.paint) steps[n] = Math.round(t.origin + at - launched);
  }
  await sleep(3000);
  const pid = pidOf(app);
  const parts = tree(pid).map((p) => [nameOf(p), pssKiB(p)]).filter(([, k]) => k > 0);
  const total = parts.reduce((a, [, k]) => a + k, 0);
  await browser.deleteSession().catch(() => {});
  driver.kill();
  try {
    execFileSync('pkill', ['-f', '--', app], { stdio: 'ignore' });
  } catch {
    /* gone */
  }
  await sleep(500);
  return { firstScreen, shown, firstPssMiB, pssMiB: total / 1024, parts, steps };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { blank: [], hearth: [] };
for (let r = 0; r < runs; r++) {
  results.blank.push(await measure(blankApp, 'h1'));
  results.hearth.push(await measure(hearthApp, '[data-testid="demo-login-maria"]', {
    click: '[data-testid="demo-login-maria"]', wait: '[data-testid="calendar"] .ec-event',
  }));
}
for (const [name, rs] of Object.entries(results)) {
  const parts = new Map();
  for (const r of rs) for (const [n, k] of r.parts) parts.set(n, [...(parts.get(n) ?? []), k / 1024]);
  console.log(
    `${name.padEnd(6)} first screen ${median(rs.map((r) => r.firstScreen))} ms, shown ${median(rs.map((r) => r.shown))} ms, ` +
      (rs[0].firstPssMiB !== null ? `PSS at the first screen ${median(rs.map((r) => r.firstPssMiB)).toFixed(0)} MiB, ` : '') +
      `PSS ${median(rs.map((r) => r.pssMiB)).toFixed(0)} MiB (${[...parts].map(([n, ks]) => `${n} ${median(ks).toFixed(0)}`).join(', ')})`,
  );
}
for (const [name, rs] of Object.entries(results)) {
  const keys = Object.keys(rs[0].steps);
  console.log(`${name.padEnd(6)} steps (ms from launch, the click's time taken out): ${keys.map((k) => `${k} ${median(rs.map((r) => r.steps[k] ?? NaN))}`).join(', ')}`);
}
const ratio = (f) => (median(results.hearth.map(f)) / median(results.blank.map(f))).toFixed(2);
console.log(`hearth / blank: time to shown ${ratio((r) => r.shown)}×, PSS ${ratio((r) => r.pssMiB)}×`);
// The same by the page's own clock, without WebDriver's polling: the blank page's first
// paint against Hearth's sign-in drawn and its calendar drawn (from the click handled).
const pageFirst = (r) => r.steps['sign-in-shown'] ?? r.steps['first-contentful-paint'];
const pageShown = (r) => (r.steps.drawn !== undefined ? pageFirst(r) + r.steps.drawn - r.steps['sign-in'] : pageFirst(r));
console.log(
  `by the page's clock: blank first paint ${median(results.blank.map(pageFirst))} ms; hearth sign-in ${median(results.hearth.map(pageFirst))} ms, ` +
    `calendar drawn ${median(results.hearth.map(pageShown))} ms (sign-in to calendar ${median(results.hearth.map((r) => r.steps.drawn - r.steps['sign-in']))} ms); ` +
    `hearth / blank: first screen ${ratio(pageFirst)}×, calendar ${ratio(pageShown)}×`,
);
