// What the screens ask the core for: a day switch finds the new day already asked for (the
// calendar asks for the days ← and → lead to once a day is drawn) and asks for the next
// one's reads, each once; a booking saved asks for exactly what it changed on screen, once each
// (the write's own answer goes into the cache at once). Counted from the page's own
// requests to /api/commands; exact, so a screen that asks twice, or asks for what it does
// not show, fails here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, dragSlot, futureWeekday, instant, launchBrowser, openDay, signIn, sleep, startHearth,
} from './harness.js';

let hearth, browser, page, tz, chairs, providers, day;
/** Every command the page asked for, in order. */
let asked = [];
/** The arguments of each, in the same order. */
let args = [];

/** Forget what was asked, let the page settle, run `step`, settle again, and say what it asked. */
async function requestsOf(step) {
  await sleep(600);
  asked = [];
  args = [];
  await step();
  await sleep(1200);
  return asked;
}

const count = (names, name) => names.filter((n) => n === name).length;
const sorted = (names) => [...names].sort();

before(async () => {
  hearth = await startHearth({ demo: 'dental' });
  const { practice } = await hearth.api('get_practice');
  tz = practice.time_zone;
  const resources = await hearth.api('list_resources', { include_archived: false });
  chairs = resources.filter((r) => r.kind === 'chair').sort((a, b) => a.sort_order - b.sort_order);
  providers = resources.filter((r) => r.kind === 'provider');
  // A Tuesday some weeks ahead that the demo left empty (the day after it too).
  for (let weeks = 8; ; weeks++) {
    day = futureWeekday(tz, 2, weeks, hearth.now());
    const bookings = await hearth.api('list_bookings', {
      from_ms: instant(day, '00:00', tz), to_ms: instant(addDays(day, 2), '00:00', tz), include_cancelled: true,
    });
    if (bookings.length === 0) break;
    assert.ok(weeks < 30, 'found an empty day');
  }
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('request', (r) => {
    const m = /\/api\/commands\/([a-z_]+)/.exec(r.url());
    if (!m) return;
    asked.push(m[1]);
    args.push(r.postDataJSON() ?? {});
  });
  await signIn(page, hearth.url, 'maria');
  await openDay(page, hearth.url, day);
  await page.locator(`[data-testid="calendar"][data-loaded="${day}+1"]`).waitFor();
});

after(async () => {
  await browser?.close();
  await hearth?.stop();
});

test('a day switch shows the day asked for before, and asks for the next one’s bookings and blocked time, once each', async () => {
  const next = addDays(day, 1);
  const names = await requestsOf(async () => {
    await page.getByRole('button', { name: 'Next day', exact: true }).click();
    await page.locator(`[data-testid="calendar"][data-loaded="${next}+1"]`).waitFor();
  });
  console.log(`a day switch asked for: ${names.join(', ')}`);
  // The grid's two reads of the day after the new one, once each; nothing else on screen
  // depends on the day, and the new day itself (and the one left) were asked for before.
  assert.deepEqual(sorted(names), ['list_blocks', 'list_bookings']);
  const after = instant(addDays(day, 2), '00:00', tz);
  for (const a of args) assert.equal(a.from_ms, after, `${JSON.stringify(a)} is the day after the new one`);
  await page.getByRole('button', { name: 'Previous day', exact: true }).click();
  await page.locator(`[data-testid="calendar"][data-loaded="${day}+1"]`).waitFor();
});

test('a booking saved in the dialog asks for what it changed on screen, once each', async () => {
  const chair = chairs[1];
  let dialog;
  const names = await requestsOf(async () => {
    await dragSlot(page, [chair.name, '10:00', 4], [chair.name, '10:15', 18]);
    dialog = page.getByRole('dialog', { name: /new appointment/i });
    await dialog.waitFor();
    await dialog.getByTestId('person-name').fill('Nadia Counted');
    await dialog.getByLabel('Phone').fill('07700 900777');
    await dialog.getByTestId('provider-select').selectOption(String(providers[0].id));
    // What the dialog reads while it is filled in is not the save's: count from Book on.
    await sleep(1200);
    asked = [];
    await dialog.getByRole('button', { name: /^book appointment$/i }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-booking-id]', { hasText: 'Nadia Counted' }).waitFor();
  });
  console.log(`a booking saved asked for: ${names.join(', ')}`);
  assert.deepEqual(sorted(names), [
    // The save itself; its answer is on the grid at once (never get_booking).
    'create_booking',
    // The dialog asks whether there is something to tell first (it would stay open on it).
    'get_arrival_card',
    // The day's bookings, once: the save may change other rows (a guest's second room).
    'list_bookings',
    // The waiting room beside the grid reads bookings too.
    'list_waiting',
  ]);
  assert.equal(count(names, 'list_blocks'), 0, 'a booking does not change blocked time');
});
