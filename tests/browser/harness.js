// Shared test harness: a fresh `hearth serve` on a temporary database and a free
// port, Debian's Chromium driven by playwright-core, and small helpers that speak
// the desk's language (open a day, find a booking, drag it).
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { deskMorning } from './clock.js';

export { addDays, deskMorning, futureWeekday, instant, localDate, localTime, nextWeekdayAt } from './clock.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HEARTH = join(REPO, 'target', 'debug', 'hearth');
export const UI_DIST = join(REPO, 'ui', 'dist');
export const SCREENSHOTS = join(REPO, 'docs', 'screenshots');

export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * `fetch` for the shared practice's own self-signed certificate (the test stands in for
 * a computer that accepted it once). Answers `{ ok, status, headers, json(), text() }`.
 */
export function fetchInsecure(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((ok, fail) => {
    const req = httpsRequest(url, { method, headers, rejectUnauthorized: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (data += d));
      res.on('end', () => {
        const h = new Map(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
        ok({
          ok: res.statusCode >= 200 && res.statusCode < 300,
          status: res.statusCode,
          headers: { get: (k) => h.get(k.toLowerCase()) ?? null },
          json: async () => JSON.parse(data),
          text: async () => data,
        });
      });
    });
    req.on('error', fail);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * Start `hearth serve` on a fresh database. `demo` is 'dental', 'hotel' or null
 * (an empty practice file: first run); `fixture` an older file from the core's
 * fixtures, `file` any practice file (copied); `bin` another hearth binary (a
 * release build, for benchmarks). `at` is where the practice's clock starts (UTC
 * epoch ms; `deskMorning()` unless given); the demo is written around it, and it
 * runs on from there (`hearth.now()`). `at: null` leaves it on the machine's clock.
 */
export async function startHearth({ demo = null, fixture = null, file = null, bin = HEARTH, share = false, at = deskMorning(), keys = null } = {}) {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`cargo build -p hearth-server\` first`);
  if (!existsSync(join(UI_DIST, 'index.html'))) throw new Error(`${UI_DIST} is missing: run \`npm run build\` in ui/`);
  const dir = mkdtempSync(join(tmpdir(), 'hearth-browser-'));
  const db = join(dir, 'practice.db');
  /** The practice's clock minus the machine's; `null`: the machine's clock. */
  let offset = at === null ? null : at - Date.now();
  /** Now by the practice's clock. */
  const now = () => Date.now() + (offset ?? 0);
  /** The clock for a Hearth process started now: the same instant on every one. */
  const clockArgs = () => (offset === null ? [] : ['--clock-starts-at', String(Math.round(now()))]);
  // `keys`: the folder where "this computer" keeps practice keys (a new computer has an empty one).
  const env = keys ? { ...process.env, HEARTH_KEY_DIR: keys } : process.env;
  if (demo) execFileSync(bin, ['demo', '--db', db, '--kind', demo, ...clockArgs()], { stdio: 'pipe', env });
  if (file) {
    copyFileSync(file, db);
    // What the writer had not folded into the file yet.
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${db}-wal`);
  }
  // A practice file written by an older Hearth (crates/hearth-core/tests/fixtures/).
  if (fixture) copyFileSync(join(REPO, 'crates', 'hearth-core', 'tests', 'fixtures', fixture), db);
  let port = await freePort();
  let url = `${share ? 'https' : 'http'}://127.0.0.1:${port}`;
  const get = share ? fetchInsecure : fetch;
  /** Shared: the harness is a paired computer too (its credential cookie). */
  let workstation = '';
  let proc;
  let log = '';
  let exited = false;
  async function serve() {
    exited = false;
    const args = ['serve', '--db', db, '--addr', `127.0.0.1:${port}`, '--ui', UI_DIST, ...clockArgs()];
    if (share) args.push('--share');
    proc = spawn(bin, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    proc.stdout.on('data', (d) => (log += d));
    proc.stderr.on('data', (d) => (log += d));
    proc.on('exit', () => (exited = true));
    for (let i = 0; ; i++) {
      if (exited) throw new Error(`hearth serve exited:\n${log}`);
      try {
        const r = await get(`${url}/api/health`);
        if (r.ok) break;
      } catch {
        /* not up yet */
      }
      if (i > 100) throw new Error(`hearth serve did not come up:\n${log}`);
      await sleep(100);
    }
  }
  async function kill() {
    if (!exited) {
      proc.kill('SIGCONT');
      proc.kill('SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(50);
      if (!exited) proc.kill('SIGKILL');
      for (let i = 0; i < 50 && !exited; i++) await sleep(50);
    }
  }
  await serve();

  /** The six-digit pairing code the practice computer shows now. */
  function shareCode() {
    return execFileSync(bin, ['share-code', '--db', db, ...clockArgs()], { encoding: 'utf8', env }).slice(0, 7).replace(' ', '');
  }
  /** Pairs a computer named `name`; answers its credential cookie ("hearth_workstation=…"). */
  async function pair(name) {
    const r = await get(`${url}/api/pair`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: shareCode(), name }),
    });
    if (!r.ok) throw new Error(`pair ${name}: ${await r.text()}`);
    return (r.headers.get('set-cookie') ?? '').split(';')[0];
  }
  if (share) workstation = await pair('Test harness');
  const withWorkstation = (cookie) => [workstation, cookie].filter(Boolean).join('; ');

  // Each demo member signs in over HTTP with the demo password; their session cookie is
  // kept here, one per login (the way a second desk would hold its own).
  const cookies = new Map();
  async function signInAs(login, password = 'demo') {
    const r = await get(`${url}/api/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: withWorkstation('') },
      body: JSON.stringify({ login, password }),
    });
    const body = await r.json();
    if (!r.ok) throw new Error(`sign in as ${login}: ${body.code}: ${body.message}`);
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
    cookies.set(login, cookie);
    return body;
  }
  /** What the sign-in screen is told (no session needed). */
  async function session() {
    const r = await get(`${url}/api/session`, { headers: { cookie: withWorkstation('') } });
    return r.json();
  }
  const loginOf = new Map();
  /**
   * Call a core command over HTTP as a demo staff member: a login ('maria'), a staff id,
   * or the demo's manager (helen) when not given.
   */
  async function api(name, req = {}, who = null) {
    let login = who ?? 'helen';
    if (typeof who === 'number') {
      if (!loginOf.has(who)) {
        for (const s of await api('list_staff', { include_archived: true })) loginOf.set(s.id, s.login);
      }
      login = loginOf.get(who);
    }
    if (!cookies.has(login)) await signInAs(login);
    const send = () => get(`${url}/api/commands/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: withWorkstation(cookies.get(login)) },
      body: JSON.stringify(req),
    });
    let r = await send();
    if (r.status === 401) {
      // The server was restarted or the session ended: sign in again once.
      await signInAs(login);
      r = await send();
    }
    const body = await r.json();
    if (!r.ok) {
      const e = new Error(`${name}: ${body.code}: ${body.message}`);
      e.code = body.code;
      throw e;
    }
    return body;
  }

  async function stop() {
    await kill();
    rmSync(dir, { recursive: true, force: true });
    // An older file is backed up before Hearth updates it, beside the practice's folder.
    rmSync(`${dir}-backups`, { recursive: true, force: true });
  }

  /** The practice computer goes away (the network drops) … */
  async function goAway() {
    await kill();
  }
  /** The network stops carrying anything, without closing a connection (a pulled cable) … */
  function freeze() {
    proc.kill('SIGSTOP');
  }
  /** … and carries it again. */
  function thaw() {
    proc.kill('SIGCONT');
  }
  /** … and comes back on the same address with the same data. */
  async function comeBack() {
    await serve();
  }
  /** … or comes back with the same data at a new address (the network gave it another port here). */
  async function comeBackElsewhere() {
    port = await freePort();
    url = `${share ? 'https' : 'http'}://127.0.0.1:${port}`;
    await serve();
  }

  /**
   * Time passes: the practice computer restarts with its clock at `atMs` (the core
   * takes "now" from its clock; no rule reads the system clock directly). Sessions
   * from before have idled out, as they would have.
   */
  async function moveClock(atMs) {
    await kill();
    offset = atMs - Date.now();
    cookies.clear();
    await serve();
  }

  return {
    get url() { return url; },
    get port() { return port; },
    db, now, api, session, signInAs, stop, goAway, comeBack, comeBackElsewhere, freeze, thaw, moveClock, shareCode, pair, log: () => log,
  };
}

/** Launch Debian's Chromium with a fresh profile. Returns { context, newPage, close }. */
export async function launchBrowser({ width = 1366, height = 768, acceptPracticeCertificate = false } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'hearth-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    // A shared practice's own certificate, accepted once (as a person does at the warning).
    ignoreHTTPSErrors: acceptPracticeCertificate,
    viewport: { width, height },
    locale: 'en-GB',
    args: [
      '--headless', '--lang=en-GB', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // The fresh profile directory is given as launchPersistentContext's first argument
      // (playwright passes it to Chromium as --user-data-dir).
    ],
  });
  const errors = [];
  context.on('page', (p) => p.on('pageerror', (e) => errors.push(e.message)));
  for (const p of context.pages()) p.on('pageerror', (e) => errors.push(e.message));
  return {
    context,
    errors,
    async newPage() {
      const existing = context.pages().find((p) => p.url() === 'about:blank' && !p.__used);
      const page = existing ?? (await context.newPage());
      page.__used = true;
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * What a test reads from a practice before it starts: its zone, its types and resources,
 * and each by name (`type('Check-up')`, `resource('Dr Lind')`; a missing one throws), the
 * chairs in their order.
 */
export async function practiceSetup(hearth) {
  const { practice } = await hearth.api('get_practice');
  const types = await hearth.api('list_appointment_types', {});
  const resources = await hearth.api('list_resources', {});
  const named = (list, name) => {
    const found = list.find((x) => x.name === name);
    if (!found) throw new Error(`the practice has no ${name}`);
    return found;
  };
  return {
    practice,
    tz: practice.time_zone,
    types,
    resources,
    type: (name) => named(types, name),
    resource: (name) => named(resources, name),
    chairs: resources.filter((r) => r.kind === 'chair').sort((a, b) => a.sort_order - b.sort_order),
  };
}

/**
 * A hotel's rooms with nobody checked in now, in their order. The demo's in-house guests stay
 * checked in until the desk checks them out, however far a test moves the clock, and nobody
 * is checked in to a room before its last guest is out.
 */
export async function roomsWithNobodyIn(hearth) {
  const { rooms } = await hearth.api('list_room_status', {});
  const all = await hearth.api('list_resources', {});
  return all
    .filter((r) => r.kind === 'room' && rooms.some((s) => s.resource_id === r.id && !s.in_house))
    .sort((a, b) => a.sort_order - b.sort_order);
}

/**
 * A demo practice of `kind` and a fresh browser page signed in as `login`; cleaned up after
 * the file. `at`: where the practice's clock starts (`deskMorning()` unless given).
 */
export async function demoPage(cleanup, kind, login = 'maria', { at = deskMorning() } = {}) {
  const hearth = await startHearth({ demo: kind, at });
  cleanup(() => hearth.stop());
  const browser = await launchBrowser();
  cleanup(() => browser.close());
  const page = await browser.newPage();
  await signIn(page, hearth.url, login);
  return { hearth, browser, page };
}

/** The serious and critical accessibility problems axe-core finds on the page, in words. */
export async function seriousA11yProblems(page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** Cleanups run after a test file, last first: `const cleanup = cleanups(after)`. */
export function cleanups(after) {
  const list = [];
  after(async () => {
    for (const c of list.reverse()) await c();
  });
  return (fn) => list.push(fn);
}

/** Save a screenshot under docs/screenshots/. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

// ------------------------------------------------------------------ the calendar, in the desk's words

/**
 * Sign a page's browser into the demo as `login` by clicking their name on the sign-in
 * screen (every demo password is "demo"), and wait for the calendar.
 */
export async function signIn(page, url, login = 'maria') {
  await page.goto(url);
  await page.getByTestId(`demo-login-${login}`).click();
  // Housekeeping opens on its task board, a practitioner on My day; everyone else on the calendar.
  await page.locator('[data-testid="calendar"] .ec-body, [data-testid="tasks"], [data-testid="my-day"]').first().waitFor();
}

/** Open the calendar on a given day (and view). */
export async function openDay(page, url, date, view = 'day') {
  await page.goto(`${url}/?date=${date}&view=${view}`);
  await page.locator('[data-testid="calendar"] .ec-body').waitFor();
}

/** The calendar item of a booking. */
export function bookingItem(page, id) {
  return page.locator(`[data-booking-id="${id}"]`);
}

/** The screen point of a chair column at a local time (`HH:MM`) in the day view. */
export async function slotPoint(page, column, hhmm, { dy = 4, scroll = true } = {}) {
  return page.evaluate(
    ({ column, hhmm, dy, scroll }) => {
      const heads = [...document.querySelectorAll('.ec-col-head')];
      const head = heads.find((h) => h.textContent.trim() === column);
      if (!head) throw new Error(`no column ${column}`);
      const minutes = (t) => {
        const [h, m] = t.split(':').map(Number);
        return h * 60 + m;
      };
      const labels = [...document.querySelectorAll('.ec-body .ec-sidebar time')].map((t) => ({
        el: t.parentElement,
        min: minutes(t.getAttribute('datetime').slice(11, 16)),
      }));
      const target = minutes(hhmm);
      const at = labels.filter((l) => l.min <= target).pop();
      if (!at || labels.length < 2) throw new Error(`no time ${hhmm} on the grid`);
      // Scroll only when that time is out of sight, so two points can be taken in turn.
      const scroller = at.el.closest('.ec-body');
      const view = scroller.getBoundingClientRect();
      const r = at.el.getBoundingClientRect();
      if (scroll && (r.top < view.top + 10 || r.bottom > view.bottom - 10)) at.el.scrollIntoView({ block: 'center' });
      const a = labels[1].el.getBoundingClientRect();
      const b = labels[2].el.getBoundingClientRect();
      const pxPerMinute = (b.top - a.top) / (labels[2].min - labels[1].min);
      // The day cells start at the first time on the grid.
      const first = minutes(document.querySelector('.ec-body .ec-sidebar time').getAttribute('datetime').slice(11, 16));
      const dayTop = document.querySelector('.ec-body .ec-day').getBoundingClientRect().top;
      const top = dayTop + (target - first) * pxPerMinute;
      const h = head.getBoundingClientRect();
      return { x: Math.round(h.left + h.width / 2), y: Math.round(top + dy) };
    },
    { column, hhmm, dy, scroll },
  );
}

/** Scroll the day so that both times are in sight. */
export async function showBetween(page, a, b) {
  const toMin = (t) => t.split(':').map(Number).reduce((h, m) => h * 60 + m);
  const mid = Math.round((toMin(a) + toMin(b)) / 2 / 30) * 30;
  const hhmm = `${String(Math.floor(mid / 60)).padStart(2, '0')}:${String(mid % 60).padStart(2, '0')}`;
  await page.evaluate((hhmm) => {
    const label = [...document.querySelectorAll('.ec-body .ec-sidebar time')].find((t) =>
      t.getAttribute('datetime').slice(11, 16) <= hhmm,
    );
    const all = [...document.querySelectorAll('.ec-body .ec-sidebar time')].filter(
      (t) => t.getAttribute('datetime').slice(11, 16) <= hhmm,
    );
    (all.pop() ?? label)?.parentElement.scrollIntoView({ block: 'center' });
  }, hhmm);
}

/** Drag from one chair and time to another, as a person would with the mouse. */
export async function dragSlot(page, [fromCol, fromTime, fromDy = 6], [toCol, toTime, toDy = 6]) {
  await showBetween(page, fromTime, toTime);
  const from = await slotPoint(page, fromCol, fromTime, { dy: fromDy, scroll: false });
  const to = await slotPoint(page, toCol, toTime, { dy: toDy, scroll: false });
  await drag(page, from, to);
}

/** Press-move-release with the mouse, in small steps (how a person drags). */
export async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const steps = 12;
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
    await sleep(15);
  }
  await page.mouse.up();
}

export { sleep };

// ------------------------------------------------------------------ the hotel tape chart (rooms × nights)

/**
 * The screen point of a room's row on a night (`YYYY-MM-DD`) in the tape chart: the
 * evening of that day (a stay is drawn from noon on arrival to noon on departure).
 */
export async function nightPoint(page, room, date) {
  return page.evaluate(
    ({ room, date }) => {
      const head = [...document.querySelectorAll('.ec-body .ec-sidebar .ec-row-head')].find(
        (h) => h.textContent.trim() === room,
      );
      if (!head) throw new Error(`no room ${room}`);
      const time = document.querySelector(`.ec-header .ec-col-head time[datetime="${date}"]`);
      if (!time) throw new Error(`no night ${date} on the chart`);
      const col = time.closest('.ec-col-head').getBoundingClientRect();
      const row = head.getBoundingClientRect();
      return { x: Math.round(col.left + col.width * 0.75), y: Math.round(row.top + row.height / 2) };
    },
    { room, date },
  );
}

/** Drag from a room and night to another room and night, as a person would with the mouse. */
export async function dragNights(page, [fromRoom, fromDate], [toRoom, toDate]) {
  const from = await nightPoint(page, fromRoom, fromDate);
  const to = await nightPoint(page, toRoom, toDate);
  await drag(page, from, to);
}

/**
 * The booking items and buttons a notice covers (its own buttons aside): what is under
 * its box and visible on screen. A notice should cover none.
 */
export async function coveredByNotice(notice) {
  return notice.evaluate((n) => {
    const box = n.getBoundingClientRect();
    const overlaps = (r) => r.width > 0 && r.height > 0 && r.left < box.right && r.right > box.left && r.top < box.bottom && r.bottom > box.top;
    return [...document.querySelectorAll('[data-booking-id], button')]
      .filter((el) => !n.contains(el) && el.checkVisibility() && overlaps(el.getBoundingClientRect()))
      .map((el) => (el.dataset.bookingId ? `booking ${el.dataset.bookingId}` : `button "${el.textContent.trim()}"`));
  });
}
