// Room status at a hotel: the desk checks a guest out with one key and housekeeping's list
// turns the room dirty at once, first in line because someone arrives in it today; checking
// the next guest in before it is clean asks first; housekeeping marks it clean and the
// check-in goes through. A room marked dirty can still take a guest when the desk says so.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, bookingItem, cleanups, demoPage, futureWeekday, instant, launchBrowser, localDate, nextWeekdayAt, practiceSetup,
  roomsWithNobodyIn, screenshot, seriousA11yProblems, signIn, startHearth,
} from './harness.js';

const cleanup = cleanups(after);

test('a check-out turns the room dirty for housekeeping; the next check-in waits for clean, or for the desk to say so', async () => {
  const hearth = await startHearth({ demo: 'hotel' });
  cleanup(() => hearth.stop());
  const { tz, type, resource } = await practiceSetup(hearth);
  const day = futureWeekday(tz, 1, 10, hearth.now()); // a Monday past the demo's weeks
  const [r1, r2] = await roomsWithNobodyIn(hearth);
  const stay = (name, room, arrival, departure) => hearth.api('create_booking', {
    person_name: name, type_id: type('Stay').id, resource_ids: [room.id], time: { kind: 'nights', arrival, departure },
  });
  let lars = await stay('Lars Eriksen', r1, addDays(day, -2), day);
  const mia = await stay('Mia Costa', r1, day, addDays(day, 2));
  const otto = await stay('Otto Berg', r2, day, addDays(day, 1));
  await hearth.moveClock(instant(addDays(day, -2), '16:00', tz));
  lars = await hearth.api('set_booking_status', { id: lars.id, expected_version: lars.version, status: 'checked_in' });
  await hearth.moveClock(instant(day, '10:00', tz));

  // Housekeeping has its list open on its own screen.
  const floor = await launchBrowser();
  cleanup(() => floor.close());
  const ines = await floor.newPage();
  await signIn(ines, hearth.url, 'ines');
  await ines.getByTestId('tasks-rooms').click();
  const row101 = ines.locator(`[data-testid="room-row"][data-room="${r1.name}"]`);
  await row101.getByTestId('room-status').filter({ hasText: 'Clean' }).waitFor();
  assert.match(await row101.innerText(), /Leaving: Lars Eriksen[\s\S]*Arriving: Mia Costa/);

  // The desk checks Lars out with one key on the tape chart.
  const front = await launchBrowser();
  cleanup(() => front.close());
  const maria = await front.newPage();
  await signIn(maria, hearth.url, 'maria');
  await maria.goto(`${hearth.url}/?date=${addDays(day, -2)}`);
  const larsItem = bookingItem(maria, lars.id);
  await larsItem.waitFor();
  await larsItem.focus();
  await maria.keyboard.press('o');
  await maria.getByText(/Lars Eriksen: checked out/i).waitFor();

  // Housekeeping's list: dirty at once, first, in red, because Mia arrives in it today.
  await row101.getByTestId('room-status').filter({ hasText: 'Dirty' }).waitFor();
  assert.equal(await ines.getByTestId('room-row').first().getAttribute('data-room'), r1.name);
  assert.match(await ines.getByTestId('rooms-summary').innerText(), /1 to clean before arrivals/);
  await screenshot(ines, 'room-status-1366');
  assert.deepEqual(await seriousA11yProblems(ines), []);

  // Mia is early: checking her in asks first, and nothing changes.
  const miaItem = bookingItem(maria, mia.id);
  await miaItem.focus();
  await maria.keyboard.press('a');
  await maria.getByText(new RegExp(`${r1.name} is dirty, not marked clean by housekeeping`)).waitFor();
  assert.equal((await hearth.api('get_booking', { id: mia.id })).status, 'booked', 'not checked in');

  // Housekeeping cleans it; now the same key checks her in.
  await row101.getByTestId('mark-clean').click();
  await row101.getByTestId('room-status').filter({ hasText: 'Clean' }).waitFor();
  // The row holds still under the pointer: still first, though no longer dirty.
  assert.equal(await ines.getByTestId('room-row').first().getAttribute('data-room'), r1.name);
  assert.match(await row101.innerText(), /Ines Duarte/);
  await miaItem.focus();
  await maria.keyboard.press('a');
  await maria.getByText(/Mia Costa: checked in/i).waitFor();

  // The second room is marked dirty; the desk checks Otto in all the same, from the question.
  const row102 = ines.locator(`[data-testid="room-row"][data-room="${r2.name}"]`);
  await row102.getByRole('button', { name: 'Dirty' }).click();
  await row102.getByTestId('room-status').filter({ hasText: 'Dirty' }).waitFor();
  const ottoItem = bookingItem(maria, otto.id);
  await ottoItem.focus();
  await maria.keyboard.press('a');
  await maria.getByRole('button', { name: 'Check in anyway' }).click();
  await maria.getByText(/Otto Berg: checked in/i).waitFor();
  assert.equal((await hearth.api('get_booking', { id: otto.id })).status, 'checked_in');
});

test("today's arrivals, departures and guests in house, with counts: one key checks in or out from the list", async () => {
  const { hearth, page } = await demoPage(cleanup, 'hotel');
  const { tz, type } = await practiceSetup(hearth);
  const today = localDate(hearth.now(), tz);
  const yesterday = addDays(today, -1);
  const { rooms: states } = await hearth.api('list_room_status', {});
  const clean = (list) => list.find((r) => states.some((s) => s.resource_id === r.id && s.status === 'clean' && !s.in_house));
  const arriving = clean(await hearth.api('find_free_rooms', { arrival: today, departure: addDays(today, 2) }));
  // Bo's is another room with nobody in it: nobody is checked in where a guest who has not
  // left yet still is.
  const leaving = (await hearth.api('find_free_rooms', { arrival: yesterday, departure: today }))
    .find((r) => r.id !== arriving?.id && states.some((s) => s.resource_id === r.id && !s.in_house));
  assert.ok(arriving && leaving, 'rooms free for both stays');
  const stay = (name, room, arrival, departure) => hearth.api('create_booking', {
    person_name: name, type_id: type('Stay').id, resource_ids: [room.id], time: { kind: 'nights', arrival, departure },
    override_rules: true,
  });
  await stay('Aino Virtanen', arriving, today, addDays(today, 2));
  let bo = await stay('Bo Lindgren', leaving, yesterday, today);
  // That morning at 09:00 at the hotel: Bo can still be in (a stay can be checked in
  // until its check-out time) and Aino may arrive.
  await hearth.moveClock(instant(today, '09:00', tz));
  bo = await hearth.api('set_booking_status', { id: bo.id, expected_version: bo.version, status: 'checked_in', even_if_room_not_ready: true });
  // The restarted server may still know this page's session, or ask to sign in again.
  await page.goto(hearth.url);
  await page.locator('[data-testid="hotel-day"], [data-testid="demo-login-maria"]').first().waitFor();
  if (await page.getByTestId('demo-login-maria').isVisible()) await page.getByTestId('demo-login-maria').click();
  await page.getByTestId('hotel-day').waitFor();

  const sheet = await hearth.api('get_day_sheet', { date: today });
  for (const s of sheet.sections) {
    await page.getByTestId(`hotel-count-${s.title}`).filter({ hasText: new RegExp(`^${s.rows.length}$`) }).waitFor();
  }
  const row = (name) => page.getByTestId('hotel-row').filter({ hasText: name });
  // The list says which key does what, the key shown as a key.
  const hint = page.getByTestId('hotel-day-hint');
  await hint.filter({ hasText: /Choose one, then press A to check in/ }).locator('kbd', { hasText: /^A$/ }).waitFor();
  const toCome = Number(/(\d+) still to arrive/.exec(await hint.innerText())?.[1]);
  assert.ok(toCome >= 1, 'Aino is still to arrive');
  await row('Aino Virtanen').focus();
  await page.keyboard.press('a');
  await page.getByText(/Aino Virtanen: checked in/i).waitFor();
  await row('Aino Virtanen').filter({ hasText: /checked in/i }).waitFor();
  // One fewer to come; once the last is in, the list says so.
  await hint.filter({ hasText: toCome > 1 ? `${toCome - 1} still to arrive` : 'Everyone due today is in.' }).waitFor();
  await screenshot(page, 'hotel-arrivals-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);

  await page.getByTestId('hotel-tab-Departures').click();
  await hint.filter({ hasText: /then press O to check out/ }).locator('kbd', { hasText: /^O$/ }).waitFor();
  await row('Bo Lindgren').focus();
  await page.keyboard.press('o');
  await page.getByText(/Bo Lindgren: checked out/i).waitFor();
  const after = await hearth.api('list_room_status', {});
  assert.equal(after.rooms.find((r) => r.resource_id === leaving.id).status, 'dirty', 'the room left is dirty');
});

test("a hotel's settings speak of the front desk's hours, not opening hours and breaks", async () => {
  const { page } = await demoPage(cleanup, 'hotel', 'helen');
  await page.getByTestId('open-settings').click();
  const form = page.getByTestId('practice-form');
  await form.waitFor();
  await form.getByText('Front desk hours', { exact: true }).waitFor();
  const text = await form.innerText();
  assert.ok(!/Opening hours|Opens|Breaks/.test(text), 'no dental words on a hotel');
  assert.match(text, /Staffed/);
  await page.getByTestId('section-practice').filter({ hasText: 'Hotel' }).waitFor();
  await form.getByText('Front desk hours', { exact: true }).scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-hotel-desk-hours-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);
});
