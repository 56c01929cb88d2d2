// S7 end to end, two processes on one machine (loopback only): the front desk's computer
// shares the practice (`hearth serve --share`); the operatory's Hearth desktop window, on
// its first run, connects with the address and the code of the moment, and signs in. A
// booking made at the front desk shows in the operatory's window within a second, and one
// made in the window is on the practice computer at once. When the practice computer goes
// away the window says so within three seconds, greys the calendar and refuses a change;
// when it is back the window catches up from the change log and says so; when it comes
// back at a new address, the window is told where and finds it there with no new code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays, futureWeekday, instant, startHearth } from '../browser/harness.js';
import { closeWindow, command as ipc, freshHome, launchWindow } from './driver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const app = join(root, 'target/debug/hearth-desktop');
const shots = join(root, 'docs/screenshots');

let opened = {};
let browser;
let hearth;
let tz;
let day;
let chairs;
let providers;
let typeId;
let deskId;

/** A command through the window's own IPC, for its session (as the screens call it). */
const command = (name, args) => ipc(browser, name, args);
/** The shell's mode: which practice computer the window works on. */
const desktopMode = () =>
  browser.executeAsync((done) => {
    window.__TAURI_INTERNALS__.invoke('hearth_mode', {}).then(done, (e) => done({ err: e }));
  });

/**
 * Watches, inside the window, for `selector` to appear and notes when (epoch ms, the
 * same clock as this test's): a latency measured without WebDriver's own delays.
 */
async function watchFor(selector) {
  await browser.execute((selector) => {
    window.__seen = window.__seen ?? {};
    delete window.__seen[selector];
    const check = () => {
      if (!window.__seen[selector] && document.querySelector(selector)) window.__seen[selector] = Date.now();
    };
    check();
    new MutationObserver(check).observe(document.body, { childList: true, subtree: true, attributes: true });
  }, selector);
}

async function seenAt(selector, timeout) {
  let at = null;
  await browser.waitUntil(async () => {
    at = await browser.execute((selector) => window.__seen?.[selector] ?? null, selector);
    return at !== null;
  }, { timeout, interval: 100, timeoutMsg: `${selector} did not appear within ${timeout} ms` });
  return at;
}

async function shot(name) {
  await browser.pause(600); // WebKit paints a frame behind the DOM
  await browser.saveScreenshot(join(shots, `${name}.png`));
}

function booking(person, chair, from, to) {
  return {
    person_name: person, person_phone: '', type_id: typeId, resource_ids: [chair.id, providers[0].id],
    time: { kind: 'timed', starts_at_ms: instant(day, from, tz), ends_at_ms: instant(day, to, tz) },
    notes: '', override_rules: false,
  };
}

before(async () => {
  assert.ok(existsSync(app), `build the desktop app first: cargo build -p hearth-desktop --features tauri/custom-protocol (${app})`);
  hearth = await startHearth({ demo: 'dental', share: true });
  tz = (await hearth.api('get_practice')).practice.time_zone;
  const resources = await hearth.api('list_resources', { include_archived: false });
  chairs = resources.filter((r) => r.kind === 'chair').sort((a, b) => a.sort_order - b.sort_order);
  providers = resources.filter((r) => r.kind === 'provider');
  typeId = (await hearth.api('list_appointment_types', { include_archived: false }))[0].id;
  deskId = (await hearth.api('list_staff', { include_archived: false })).find((s) => s.role === 'front_desk').id;
  for (let weeks = 9; ; weeks++) {
    day = futureWeekday(tz, 2, weeks, hearth.now());
    const on = await hearth.api('list_bookings', {
      from_ms: instant(day, '00:00', tz), to_ms: instant(addDays(day, 1), '00:00', tz), include_cancelled: false,
    });
    if (on.length === 0) break;
  }

  const { home, env } = freshHome('hearth-operatory-');
  // The operatory's own (empty) file: a connected computer never writes to it.
  opened = await launchWindow(app, { ...env, HEARTH_DB: join(home, 'operatory.db') }, 5444);
  ({ browser } = opened);
});

after(async () => {
  await closeWindow(opened, app, 'hearth-connected-failure');
  await hearth?.stop();
});

test('the operatory connects to the practice computer with its address and code, and signs in', async () => {
  const connect = await browser.$('[data-testid="first-run-connect"]');
  await connect.waitForDisplayed({ timeout: 30_000 });
  await connect.click();
  await browser.$('[data-testid="pair-address"]').setValue(`127.0.0.1:${hearth.port}`);
  // A wrong code first: refused in words, nothing kept.
  const code = hearth.shareCode();
  await browser.$('[data-testid="pair-code"]').setValue(code === '000000' ? '000001' : '000000');
  await browser.$('[data-testid="pair-name"]').setValue('Operatory');
  await browser.$('[data-testid="pair-connect"]').click();
  const error = await browser.$('[data-testid="pair-error"]');
  await error.waitForDisplayed({ timeout: 10_000 });
  assert.match(await error.getText(), /doesn't match/);

  const right = hearth.shareCode();
  await browser.$('[data-testid="pair-code"]').setValue(right);
  await browser.waitUntil(async () => (await browser.$('[data-testid="pair-code"]').getValue()) === right);
  await browser.$('[data-testid="pair-name"]').click();
  await browser.pause(800);
  await shot('desktop-connect');
  await browser.$('[data-testid="pair-connect"]').click();
  // The practice computer's sign-in screen: its demo logins.
  const maria = await browser.$('[data-testid="demo-login-maria"]');
  await maria.waitForDisplayed({ timeout: 15_000 });
  await maria.click();
  await browser.$('[data-testid="calendar"] .ec-body').waitForExist({ timeout: 20_000 });
  const mode = await desktopMode();
  assert.equal(mode.connected_to, `127.0.0.1:${hearth.port}`);
  assert.equal(mode.workstation, 'Operatory');
  const listed = (await hearth.api('get_sharing')).workstations.map((w) => [w.name, w.kind]);
  assert.deepEqual(listed.find(([n]) => n === 'Operatory'), ['Operatory', 'desktop']);
});

test('a booking made at the front desk shows in the operatory within a second, and one made there is on the practice computer', async () => {
  await browser.execute((day) => {
    location.search = `?date=${day}&view=day`;
  }, day);
  await browser.$('[data-testid="calendar"] .ec-body').waitForExist({ timeout: 20_000 });
  await browser.pause(500);
  // The window's stream is live once it has said hello; give it a moment after the reload.
  await browser.waitUntil(async () => (await command('list_staff', {})).ok !== undefined, { timeout: 10_000 });
  await browser.pause(1500);

  const atDesk = booking('Kofi Asante', chairs[0], '09:00', '09:30');
  // Ids are not known before: watch for the person's name on the grid.
  await watchFor('[data-booking-id]');
  const before = await browser.execute(() => document.querySelectorAll('[data-booking-id]').length);
  assert.equal(before, 0, 'the day starts empty');
  const sent = Date.now();
  const made = await hearth.api('create_booking', atDesk, deskId);
  const seen = await seenAt('[data-booking-id]', 5000);
  const latency = seen - sent;
  assert.ok(latency <= 1000, `the booking showed ${latency} ms after it was made`);
  console.log(`# a front-desk booking showed in the operatory ${latency} ms after it was made`);
  assert.match(await browser.$(`[data-booking-id="${made.id}"]`).getText(), /Kofi Asante/);

  const inOperatory = await command('create_booking', booking('Ana Quintero', chairs[1], '10:00', '10:30'));
  assert.ok(inOperatory.ok, JSON.stringify(inOperatory.err));
  const onHost = await hearth.api('list_bookings', {
    from_ms: instant(day, '00:00', tz), to_ms: instant(addDays(day, 1), '00:00', tz), include_cancelled: false,
  });
  assert.deepEqual(onHost.map((b) => b.person_name).sort(), ['Ana Quintero', 'Kofi Asante']);
  await browser.$(`[data-booking-id="${inOperatory.ok.id}"]`).waitForExist({ timeout: 3000 });
});

test('when the practice computer goes away the window says so within three seconds, greys and refuses; back, it catches up', async () => {
  await browser.$('[data-booking-id]').scrollIntoView({ block: 'center' });
  // The network goes silent (nothing closes; the practice computer just stops answering).
  await watchFor('[data-testid="connection-lost"]');
  const silent = Date.now();
  hearth.freeze();
  const noticed = await seenAt('[data-testid="connection-lost"]', 6000);
  console.log(`# a silent network was noticed after ${noticed - silent} ms`);
  assert.ok(noticed - silent <= 3000, `the banner came ${noticed - silent} ms after the network went silent`);
  hearth.thaw();
  await browser.$('[data-testid="connection-lost"]').waitForExist({ reverse: true, timeout: 10_000 });

  // The practice computer is switched off.
  await watchFor('[data-testid="connection-lost"]');
  const gone = Date.now();
  await hearth.goAway();
  const said = await seenAt('[data-testid="connection-lost"]', 6000);
  assert.ok(said - gone <= 3000, `the banner came ${said - gone} ms after the practice computer went away`);
  console.log(`# the unreachable banner came ${said - gone} ms after the practice computer went away`);
  const banner = await browser.$('[data-testid="connection-lost"]');
  assert.match(await banner.getText(), /can't be reached — showing the calendar as of/);
  assert.match(await banner.getText(), /Nothing can be changed until it is back/);
  const greyed = await browser.execute(() => document.querySelector('[data-testid="calendar"]')?.classList.contains('stale'));
  assert.equal(greyed, true, 'the calendar is greyed');
  await shot('desktop-unreachable');

  const refused = await command('create_booking', booking('Lea Novak', chairs[2], '11:00', '11:30'));
  assert.equal(refused.err?.code, 'network.unreachable', JSON.stringify(refused));
  assert.match(refused.err.message, /can't be reached, so nothing was changed/);

  await hearth.comeBack();
  // Made while the window was still reconnecting: it must show once caught up.
  const meanwhile = await hearth.api('create_booking', booking('Yara Haddad', chairs[2], '14:00', '14:30'), deskId);
  await banner.waitForExist({ reverse: true, timeout: 10_000 });
  await browser.$(`[data-booking-id="${meanwhile.id}"]`).waitForExist({ timeout: 5000 });
  await browser.waitUntil(
    async () => (await browser.$$('[data-testid="notice-info"]').map((n) => n.getText())).some((t) => /The practice computer is back/.test(t)),
    { timeout: 5000, timeoutMsg: 'no notice that the practice computer is back' },
  );
  // The refused booking is nowhere: it was not kept to be sent later.
  const refusedNow = await hearth.api('list_bookings', {
    from_ms: instant(day, '00:00', tz), to_ms: instant(addDays(day, 1), '00:00', tz), include_cancelled: false,
  });
  assert.equal(refusedNow.filter((b) => b.person_name === 'Lea Novak').length, 0);
});

test('the practice computer comes back at a new address: the operatory is told where, stays signed in and catches up; another computer there is refused', async () => {
  await watchFor('[data-testid="connection-lost"]');
  await hearth.goAway();
  await seenAt('[data-testid="connection-lost"]', 6000);
  const old = hearth.port;
  await hearth.comeBackElsewhere();
  assert.notEqual(hearth.port, old);
  const meanwhile = await hearth.api('create_booking', booking('Noor Rahman', chairs[0], '15:00', '15:30'), deskId);
  // Still looking where it was: the window keeps saying so.
  await browser.pause(2500);
  assert.ok(await browser.$('[data-testid="connection-lost"]').isExisting(), 'the banner stays while the old address is silent');

  await browser.$('[data-testid="practice-moved"]').click();
  const address = await browser.$('[data-testid="move-address"]');
  await address.waitForDisplayed({ timeout: 5000 });
  assert.equal(await address.getValue(), `127.0.0.1:${old}`, 'the form starts from the address it had');
  // Some other practice's computer at the typed address: refused, nothing changes.
  const other = await startHearth({ demo: 'hotel', share: true });
  try {
    await address.setValue(`127.0.0.1:${other.port}`);
    await browser.$('[data-testid="move-connect"]').click();
    const error = await browser.$('[data-testid="move-error"]');
    await error.waitForDisplayed({ timeout: 10_000 });
    assert.match(await error.getText(), /not the practice computer this one was paired with/);
    await shot('desktop-practice-moved');
  } finally {
    await other.stop();
  }
  const stillOld = await desktopMode();
  assert.equal(stillOld.connected_to, `127.0.0.1:${old}`, 'a refused address is not kept');

  await address.setValue(`127.0.0.1:${hearth.port}`);
  await browser.$('[data-testid="move-connect"]').click();
  await browser.$('[data-testid="connection-lost"]').waitForExist({ reverse: true, timeout: 10_000 });
  await browser.$(`[data-booking-id="${meanwhile.id}"]`).waitForExist({ timeout: 5000 });
  const mode = await desktopMode();
  assert.equal(mode.connected_to, `127.0.0.1:${hearth.port}`, 'the new address is kept');
  // Still signed in, with no new code: the window works on the practice computer there.
  const staff = await command('list_staff', {});
  assert.ok(staff.ok, JSON.stringify(staff.err));
});

test('a manager disconnects the operatory: its window says why and connects again with a new code', async () => {
  const op = (await hearth.api('get_sharing')).workstations.find((w) => w.name === 'Operatory');
  await hearth.api('revoke_workstation', { id: op.id });
  const reason = await browser.$('[data-testid="pair-reason"]');
  await reason.waitForDisplayed({ timeout: 5000 });
  assert.match(await reason.getText(), /withdrew this computer's access/);
  // The address is kept; a new code connects it again.
  assert.equal(await browser.$('[data-testid="pair-address"]').getValue(), `127.0.0.1:${hearth.port}`);
  await browser.$('[data-testid="pair-code"]').setValue(hearth.shareCode());
  await browser.$('[data-testid="pair-connect"]').click();
  await browser.$('[data-testid="demo-login-maria"]').waitForDisplayed({ timeout: 15_000 });
});

test('the practice computer was replaced: from the banner the operatory pairs with the new one, and everyone signs in there', async () => {
  await browser.$('[data-testid="demo-login-maria"]').click();
  await browser.$('[data-testid="calendar"] .ec-body').waitForExist({ timeout: 20_000 });
  await watchFor('[data-testid="connection-lost"]');
  await hearth.goAway();
  await seenAt('[data-testid="connection-lost"]', 6000);
  const replacement = await startHearth({ demo: 'hotel', share: true });
  try {
    await browser.$('[data-testid="practice-moved"]').click();
    await browser.$('[data-testid="move-address"]').setValue(`127.0.0.1:${replacement.port}`);
    await browser.$('[data-testid="move-connect"]').click();
    const code = await browser.$('[data-testid="replacement-code"]');
    await code.waitForDisplayed({ timeout: 10_000 });
    await code.setValue(replacement.shareCode());
    await shot('desktop-practice-replaced');
    await browser.$('[data-testid="replacement-connect"]').click();
    // The new practice computer's sign-in: its own practice, nobody carried over.
    await browser.$('[data-testid="demo-login-maria"]').waitForDisplayed({ timeout: 15_000 });
    await browser.waitUntil(async () => /Harbour House Hotel/.test(await browser.$('body').getText()), {
      timeout: 5000, timeoutMsg: "the replacement's practice is not shown",
    });
    assert.equal((await desktopMode()).connected_to, `127.0.0.1:${replacement.port}`);
    const listed = (await replacement.api('get_sharing')).workstations.map((w) => w.name);
    assert.ok(listed.includes('Operatory'), `paired under its own name: ${listed}`);
  } finally {
    await replacement.stop();
  }
});
