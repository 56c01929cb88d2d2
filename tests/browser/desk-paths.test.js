// The desk's everyday paths, at 1366×768. The phone call: a patient found by name is booked
// from their own page — the type and dentist of their last visit already filled — and the
// slot finder, told who it is for, keeps to the afternoons their record says they prefer. Housekeeping's board: the rooms to
// clean today (departures, then stay-overs) beside the tasks, with no practitioners' tab.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanups, demoPage, futureWeekday, instant, localDate, localTime, practiceSetup, screenshot, seriousA11yProblems,
} from './harness.js';

const cleanup = cleanups(after);

test('a patient on the phone: Book from their page with their last visit’s type and dentist; afternoons only', async () => {
  const { hearth, page } = await demoPage(cleanup, 'dental');
  const { tz, type, resources } = await practiceSetup(hearth);
  const chairs = resources.filter((r) => r.kind === 'chair');
  const providers = resources.filter((r) => r.kind === 'provider').sort((a, b) => a.sort_order - b.sort_order);
  const okafor = providers[1];
  const patient = await hearth.api('save_person', {
    given_name: 'Tamsin', family_name: 'Achterberg', phone: '07700 900 318', preference_flags: ['Prefers afternoons'],
  });
  const before = futureWeekday(tz, 2, -7, hearth.now()); // seven weeks ago, a Tuesday (before the demo's weeks)
  // Her last visit: a hygiene visit with the second provider (recorded as it happened).
  const at = instant(before, '10:00', tz);
  await hearth.api('create_booking', {
    person_id: patient.id, type_id: type('Hygiene').id, resource_ids: [chairs[0].id, okafor.id], override_rules: true,
    time: { kind: 'timed', starts_at_ms: at, ends_at_ms: at + type('Hygiene').duration_minutes * 60_000 },
  });

  // Found in a keystroke, opened, and booked from her page.
  await page.keyboard.press('/');
  await page.getByTestId('person-search-input').fill('achterb');
  await page.getByTestId('person-result').filter({ hasText: 'Tamsin Achterberg' }).click();
  await page.getByTestId('person-page').waitFor();
  await page.getByTestId('person-book').click();
  const dialog = page.getByRole('dialog', { name: /new appointment/i });
  await dialog.waitFor();
  await dialog.getByTestId('person-picked').filter({ hasText: 'Tamsin Achterberg' }).waitFor();
  assert.equal(await dialog.getByTestId('person-name').inputValue(), 'Tamsin Achterberg');
  assert.equal(await dialog.getByLabel('Type').inputValue(), String(type('Hygiene').id), 'the type of her last visit');
  assert.equal(await dialog.getByTestId('provider-select').inputValue(), String(okafor.id), 'the provider of her last visit');
  await screenshot(page, 'book-from-person-page-1366');
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  // Closed as it opened (a chair filled in meanwhile may ask first): nothing is booked either way.
  const discard = page.getByRole('button', { name: /discard/i });
  await Promise.race([dialog.waitFor({ state: 'detached' }), discard.waitFor().then(() => discard.click())]);
  await dialog.waitFor({ state: 'detached' });

  // She can only come in the afternoon (her record says so): the finder, told who it is
  // for, keeps to afternoons, and the slot picked books for her.
  const day = futureWeekday(tz, 2, 6, hearth.now());
  const finder = page.getByTestId('slot-finder');
  await finder.getByTestId('finder-for').fill('Achterb');
  await finder.getByTestId('finder-for-match').filter({ hasText: 'Tamsin Achterberg' }).click();
  await finder.getByTestId('finder-for-person').filter({ hasText: 'Tamsin Achterberg' }).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="finder-part"]')?.value === 'afternoon');
  await finder.getByTestId('finder-type').selectOption(String(type('Check-up').id));
  await finder.getByLabel('From').fill(day.split('-').reverse().join('/'));
  await finder.getByRole('button', { name: 'Find slots' }).click();
  const found = finder.getByRole('list', { name: 'Free slots' }).getByRole('button');
  await found.first().waitFor();
  const expected = await hearth.api('find_slots', {
    type_id: type('Check-up').id, from_date: day, within_days: 14, count: 8, part: 'afternoon',
  });
  assert.ok(expected.length > 0 && expected.every((s) => localTime(s.starts_at_ms, tz) >= '12:00'), 'the core keeps to afternoons');
  await found.first().click();
  const booking = page.getByRole('dialog', { name: /new appointment/i });
  await booking.waitFor();
  assert.equal(await booking.getByTestId('start-time').inputValue(), localTime(expected[0].starts_at_ms, tz));
  assert.ok((await booking.getByTestId('start-time').inputValue()) >= '12:00');
  assert.equal(localDate(expected[0].starts_at_ms, tz) >= day, true);
  await booking.getByTestId('person-picked').filter({ hasText: 'Tamsin Achterberg' }).waitFor();
});

test('housekeeping’s board lists the rooms to clean today, departures first, and no practitioners’ tab', async () => {
  const { hearth, page } = await demoPage(cleanup, 'hotel', 'ines');
  await page.getByTestId('tasks').waitFor(); // housekeeping opens on its board
  let board = await hearth.api('list_room_status', {});
  // A guest who left this morning: their room is dirty (the desk checked them out).
  const gone = board.rooms.find((r) => r.departing !== null);
  if (gone && gone.status !== 'dirty') await hearth.api('set_room_status', { resource_id: gone.resource_id, status: 'dirty', note: '' });
  board = await hearth.api('list_room_status', {});
  const leaving = board.rooms.filter((r) => r.departing !== null);
  const staying = board.rooms.filter((r) => r.in_house !== null && r.departing === null && r.status !== 'out_of_order');
  assert.ok(leaving.length > 0 && staying.length > 0, 'the demo has departures and stay-overs today');
  await page.getByTestId('cleans').waitFor();
  await page.getByTestId('clean-departure').filter({ hasText: gone?.name ?? '' }).filter({ hasText: 'Dirty' }).waitFor();
  assert.equal(await page.getByTestId('clean-departure').count(), board.rooms.filter(
    (r) => r.status !== 'out_of_order' && (r.departing !== null || (r.status === 'dirty' && r.in_house === null))).length);
  assert.equal(await page.getByTestId('clean-stayover').count(), staying.length);
  assert.match(await page.getByTestId('clean-departure').first().innerText(), /leaves today|Left: ready it/);
  assert.equal(await page.getByTestId('board-practitioner').count(), 0, 'a hotel has no practitioners');
  // Housekeeping's own board only: the front desk's and the managers' tasks are not its business.
  assert.equal(await page.getByTestId('board-front_desk').count(), 0);
  assert.equal(await page.getByTestId('board-manager').count(), 0);
  await page.getByTestId('board-housekeeping').waitFor();
  await screenshot(page, 'housekeeping-cleans-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);
  // A dirty room marked clean from the board.
  const dirty = page.getByTestId('clean-departure').filter({ has: page.getByRole('button', { name: /^Clean:/ }) }).first();
  const name = (await dirty.locator('.when strong').innerText()).trim();
  await dirty.getByRole('button', { name: /^Clean:/ }).click();
  await page.getByTestId('notice-info').filter({ hasText: `${name}: clean.` }).waitFor();
  const after = await hearth.api('list_room_status', {});
  assert.equal(after.rooms.find((r) => r.name === name)?.status, 'clean');
});
