// Desktop end-to-end: the real hearth-desktop window under Xvfb, driven through
// tauri-driver and WebKitWebDriver. A newcomer opens the demo practice, books an
// appointment from the slot finder, and sees it on the calendar; an urgent handoff
// raises a system notification (watched on the test's own D-Bus session).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchInsecure, freePort } from '../browser/harness.js';
import { closeWindow, command as ipc, freshHome, launchWindow } from './driver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const app = join(root, 'target/debug/hearth-desktop');
const shots = join(root, 'docs/screenshots');

let opened = {};
let browser;
/** `dbus-monitor` on the session bus: what the window asked the notification service. */
let monitor;
let monitored = '';
/** Where the window's practice clock started (a Tuesday at 10:30). */
let clockStartsAt;

/**
 * Calls a Hearth command through the window's own IPC, as the UI does (the request as JSON
 * text), for the window's session; `extra` adds arguments (a forged `actor`, say).
 */
const command = (name, args, extra = {}) => ipc(browser, name, args, extra);
/** The test's own home folder (the practice file is in it). */
let home;

before(async () => {
  assert.ok(existsSync(app), `build the desktop app first: cargo build -p hearth-desktop --features tauri/custom-protocol (${app})`);
  const fresh = freshHome('hearth-desktop-', {
    // "Share this practice" listens on loopback only in tests.
    HEARTH_SHARE_ADDR: '127.0.0.1',
  });
  const { env } = fresh;
  home = fresh.home;
  clockStartsAt = fresh.clockStartsAt;
  assert.ok(process.env.DBUS_SESSION_BUS_ADDRESS, 'run under a D-Bus session (scripts/test.sh uses dbus-run-session)');
  monitor = spawn('dbus-monitor', ['--session', "interface='org.freedesktop.Notifications'"], { stdio: ['ignore', 'pipe', 'ignore'] });
  monitor.stdout.on('data', (d) => (monitored += d));
  opened = await launchWindow(app, { ...env, HEARTH_DB: join(home, 'practice.db') }, 4444);
  ({ browser } = opened);
});

after(async () => {
  await closeWindow(opened, app, 'hearth-desktop-failure');
  monitor?.kill();
  rmSync(`${home}-backups`, { recursive: true, force: true });
});

test('a newcomer opens the demo practice, signs in and books an appointment in the desktop window', async () => {
  // First run: no practice yet, so Hearth offers the demo.
  const openDemo = await browser.$('button=Open the demo practice');
  await openDemo.waitForDisplayed({ timeout: 30_000 });
  await browser.pause(600); // WebKit paints a frame behind the DOM
  await browser.saveScreenshot(join(shots, 'desktop-first-run.png'));
  await openDemo.click();

  const name = await browser.$('[data-testid="practice-name"]');
  await name.waitForDisplayed({ timeout: 20_000 });
  await browser.waitUntil(async () => (await name.getProperty('textContent'))?.trim() === 'Riverside Dental', {
    timeout: 20_000,
    timeoutMsg: 'the demo practice did not open',
  }).catch(async (e) => {
    await browser.saveScreenshot(join(tmpdir(), 'hearth-desktop-failure.png')).catch(() => {});
    console.error('page text:', await browser.$('body').getText().catch(() => '?'));
    throw e;
  });
  await browser.$('[data-testid="booking-item"]').waitForExist({ timeout: 20_000 });

  // The practice file on the disk is locked (no plain SQLite inside), and the app backs
  // itself up while it is open, beside the practice's folder.
  const head = readFileSync(join(home, 'practice.db')).subarray(0, 15).toString('latin1');
  assert.notEqual(head, 'SQLite format 3', 'the practice file is encrypted');
  await browser.waitUntil(
    () => existsSync(`${home}-backups`) && readdirSync(`${home}-backups`).some((f) => /^hearth-.*\.db$/.test(f)),
    { timeout: 20_000, timeoutMsg: 'the desktop app took no backup' },
  );

  // Opening the demo signed its manager in; sign out, and the window answers nothing…
  await browser.$('[data-testid="account-menu"]').click();
  await browser.$('[data-testid="sign-out"]').click();
  const maria = await browser.$('[data-testid="demo-login-maria"]');
  await maria.waitForDisplayed({ timeout: 10_000 });
  await browser.pause(600); // WebKit paints a frame behind the DOM
  await browser.saveScreenshot(join(shots, 'desktop-sign-in.png'));
  const refused = await command('list_staff', {});
  assert.equal(refused.err?.code, 'auth.required', JSON.stringify(refused));
  // …whoever the IPC call claims to be acting for: the shell keeps the session, not the page.
  const forged = await command('list_staff', {}, { actor: { staff_id: 1, origin: 'forged' } });
  assert.equal(forged.err?.code, 'auth.required', JSON.stringify(forged));
  // One click signs the front desk in (the demo's password is shown on the screen).
  await maria.click();
  await browser.$('[data-testid="booking-item"]').waitForExist({ timeout: 20_000 });
  const who = await browser.$('[data-testid="signed-in-as"]');
  assert.equal((await who.getProperty('textContent'))?.trim(), 'Maria Santos');

  // An urgent handoff: the shell raises the system notification, in its own words, no names.
  const notified = await browser.executeAsync((done) => {
    window.__TAURI_INTERNALS__.invoke('hearth_notify_urgent', { count: 2 }).then(() => done('ok'), (e) => done(JSON.stringify(e)));
  });
  assert.equal(notified, 'ok');
  await browser.waitUntil(async () => monitored.includes('member=Notify') && monitored.includes('2 urgent handoffs are waiting for you.'), {
    timeout: 10_000,
    timeoutMsg: `no notification reached the session bus:\n${monitored}`,
  });

  // Find the next free check-up and book it for a new patient.
  const finder = await browser.$('[data-testid="slot-finder"]');
  await finder.waitForDisplayed();
  await browser.$('[data-testid="finder-type"]').selectByVisibleText('Check-up (30 min)');
  await browser.$('button=Find slots').click();
  const firstSlot = await browser.$('ul[aria-label="Free slots"] button');
  await firstSlot.waitForDisplayed({ timeout: 10_000 });
  await firstSlot.click();

  const person = await browser.$('[data-testid="person-name"]');
  await person.waitForDisplayed();
  await person.setValue('Desktop Test Patient');
  await browser.$('button=Book appointment').click();
  await person.waitForDisplayed({ reverse: true, timeout: 10_000 });

  // The core has it…
  const practice = await command('get_practice', {});
  assert.ok(practice.ok?.practice, JSON.stringify(practice));
  const now = clockStartsAt;
  const listed = await command('list_bookings', { from_ms: now - 86_400_000, to_ms: now + 90 * 86_400_000, include_cancelled: false });
  assert.ok(listed.ok, JSON.stringify(listed.err));
  const mine = listed.ok.filter((b) => b.person_name === 'Desktop Test Patient');
  assert.equal(mine.length, 1, 'exactly one booking was made');

  // The window runs under a real Content-Security-Policy: no eval, no remote code.
  const evalRefused = await browser.execute(() => {
    try {
      // eslint-disable-next-line no-eval
      return eval('1 + 1') !== 2;
    } catch {
      return true;
    }
  });
  assert.equal(evalRefused, true, 'the CSP refuses eval');

  // …and the calendar shows it, person first, on the day it was booked.
  const item = await browser.$('.ec-event*=Desktop Test Patient');
  await item.waitForDisplayed({ timeout: 10_000 });
  await item.scrollIntoView({ block: 'center' });
  await browser.pause(600); // WebKit paints a frame behind the DOM
  await browser.saveScreenshot(join(shots, 'desktop-dental-day.png'));
});

test('a manager shares the practice from the desktop app: a code, its address, and the screens for tablets', async () => {
  await browser.$('[data-testid="account-menu"]').click();
  await browser.$('[data-testid="sign-out"]').click();
  const helen = await browser.$('[data-testid="demo-login-helen"]');
  await helen.waitForDisplayed({ timeout: 10_000 });
  await helen.click();
  await browser.$('[data-testid="open-settings"]').waitForDisplayed({ timeout: 20_000 });
  // Signing out left no patient's name on the screen for the next person.
  const left = await browser.$$('[data-testid="notice-info"]').map((n) => n.getText());
  assert.deepEqual(left.filter((t) => t.includes('Desktop Test Patient')), []);
  await browser.$('[data-testid="open-settings"]').click();
  await browser.$('[data-testid="section-sharing"]').click();
  const start = await browser.$('[data-testid="share-start"]');
  await start.waitForDisplayed({ timeout: 10_000 });
  const sharePort = await freePort();
  const portField = await browser.$('[data-testid="share-port"]');
  await portField.clearValue();
  await portField.setValue(String(sharePort));
  await start.click();

  const code = await browser.$('[data-testid="pairing-code"]');
  await code.waitForDisplayed({ timeout: 10_000 });
  const digits = (await code.getText()).replace(/\s/g, '');
  assert.match(digits, /^\d{6}$/);
  assert.match(await browser.$('[data-testid="share-addresses"]').getText(), new RegExp(`127\\.0\\.0\\.1:${sharePort}`));
  assert.match(await browser.$('[data-testid="share-fingerprint"]').getText(), /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  await browser.pause(600); // WebKit paints a frame behind the DOM
  await browser.saveScreenshot(join(shots, 'desktop-share-panel.png'));

  // A tablet gets the app's own screens over TLS, and nothing else until it pairs.
  const base = `https://127.0.0.1:${sharePort}`;
  const page = await fetchInsecure(`${base}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<div id="app">|<script/);
  const unpaired = await fetchInsecure(`${base}/api/session`);
  assert.equal(unpaired.status, 401);
  assert.equal((await unpaired.json()).code, 'workstation.unpaired');
  const paired = await fetchInsecure(`${base}/api/pair`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: digits, name: 'Housekeeping tablet' }),
  });
  assert.equal(paired.status, 200, await paired.text());
  const cookie = (paired.headers.get('set-cookie') ?? '').split(';')[0];
  const session = await fetchInsecure(`${base}/api/session`, { headers: { cookie } });
  assert.equal((await session.json()).practice.name, 'Riverside Dental');
  // Listed in the panel as it pairs.
  await browser.$('[data-testid="workstation-row"][data-name="Housekeeping tablet"]').waitForExist({ timeout: 5000 });

  // A phone's calendar (unpaired, no session) subscribes to a provider's feed at the address
  // the desktop app shows: the practice computer's own, on the practice network.
  await browser.$('[data-testid="settings-close"]').click();
  await browser.$('[data-testid="account-menu"]').click();
  await browser.$('[data-testid="open-feeds"]').click();
  const feedOn = await browser.$('[data-testid="feed-on"]');
  await feedOn.waitForDisplayed({ timeout: 10_000 });
  await feedOn.click();
  const feedLink = await browser.$('[data-testid="feed-link"]');
  await feedLink.waitForDisplayed({ timeout: 10_000 });
  const address = await feedLink.getValue();
  assert.match(address, new RegExp(`^https://[^/]+:${sharePort}/feeds/[a-z2-7]{52}\\.ics$`));
  const feed = await fetchInsecure(address.replace(/^https:\/\/[^/]+/, base));
  assert.equal(feed.status, 200);
  assert.match(await feed.text(), /^BEGIN:VCALENDAR/);
  await browser.pause(600);
  await browser.saveScreenshot(join(shots, 'desktop-calendar-feed.png'));
  await browser.keys('Escape');
  await browser.$('[data-testid="open-settings"]').click();
  await browser.$('[data-testid="section-sharing"]').click();

  // Stopped: the port closes.
  await browser.$('[data-testid="share-stop"]').click();
  await browser.$('[data-testid="share-start"]').waitForDisplayed({ timeout: 10_000 });
  await browser.waitUntil(async () => fetchInsecure(`${base}/api/health`).then(() => false, () => true), {
    timeout: 5000, timeoutMsg: 'still serving after Stop sharing',
  });
});
