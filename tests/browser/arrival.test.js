// S1 on every path: whichever way the desk checks a guest in — a key on the tape chart or on
// the Arrivals list — the arrival card comes first when it has something to say (here the
// anniversary), readable in a dialog, and one more key checks them in. Escape leaves the
// guest as they were.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, bookingItem, cleanups, demoPage, localDate, nextWeekdayAt, practiceSetup, screenshot, seriousA11yProblems,
} from './harness.js';

const cleanup = cleanups(after);

test('S1 at every check-in: the tape chart, the Arrivals list and the stay’s dialog show the anniversary first; one more step checks in', async () => {
  // A Tuesday afternoon: check-in time has come for the day's arrivals.
  const { hearth, page } = await demoPage(cleanup, 'hotel', 'maria', { at: nextWeekdayAt(2, '15:30', 'Europe/London', Date.now()) });
  const { tz, type } = await practiceSetup(hearth);
  const today = localDate(hearth.now(), tz);
  const free = await hearth.api('find_free_rooms', { arrival: today, departure: addDays(today, 1) });
  assert.ok(free.length >= 2, 'two rooms free tonight');
  // Housekeeping has been through them.
  for (const r of free.slice(0, 2)) await hearth.api('set_room_status', { resource_id: r.id, status: 'clean' });
  const arriving = async (given, family, room) => {
    const person = await hearth.api('save_person', { given_name: given, family_name: family, preferred_name: `Mr and Mrs ${family}` });
    const stay = await hearth.api('create_booking', {
      person_id: person.id, type_id: type('Stay').id, resource_ids: [room.id],
      time: { kind: 'nights', arrival: today, departure: addDays(today, 1) },
    });
    await hearth.api('add_occasion', { booking_id: stay.id, kind: 'anniversary', text: '10th wedding anniversary' });
    return stay;
  };
  const okafor = await arriving('Chidi', 'Okafor', free[0]);
  const nwosu = await arriving('Ada', 'Nwosu', free[1]);
  const statusOf = async (id) => (await hearth.api('get_booking', { id })).status;
  const prompt = page.getByTestId('arrival-prompt');
  const dialog = page.getByRole('dialog', { name: 'Before you check in' });

  // 1. The tape chart: A on the stay. The greeting comes first; the guest is not in yet.
  await page.goto(`${hearth.url}/?date=${today}`);
  await bookingItem(page, okafor.id).first().waitFor();
  await bookingItem(page, okafor.id).first().focus();
  await page.keyboard.press('a');
  await prompt.getByTestId('arrival-greeting').filter({ hasText: 'Happy 10th wedding anniversary — Mr and Mrs Okafor' }).waitFor();
  assert.equal(await statusOf(okafor.id), 'booked');
  const box = await dialog.boundingBox();
  assert.ok(box && box.width >= 480, `the card is readable, not one word a line (${box?.width} px wide)`);
  await screenshot(page, 'arrival-prompt-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);
  // One more key checks them in.
  await page.keyboard.press('a');
  await dialog.waitFor({ state: 'detached' });
  await page.getByText(/Chidi Okafor: checked in/i).first().waitFor();
  assert.equal(await statusOf(okafor.id), 'checked_in');

  // 2. The Arrivals list: the row carries the occasion's mark; A shows the card first.
  const row = page.getByTestId('hotel-row').filter({ hasText: 'Ada Nwosu' });
  await row.getByTestId('hotel-row-occasion').filter({ hasText: '10th wedding anniversary' }).waitFor();
  await row.focus();
  await page.keyboard.press('a');
  await prompt.getByTestId('arrival-greeting').filter({ hasText: 'Happy 10th wedding anniversary — Mr and Mrs Nwosu' }).waitFor();
  // Escape: not yet — nothing changes.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await statusOf(nwosu.id), 'booked');
  // 3. The stay's own dialog: the card is at its top, above Check in.
  await bookingItem(page, nwosu.id).first().click();
  const stayDialog = page.getByRole('dialog', { name: /Ada Nwosu/ });
  await stayDialog.waitFor();
  const greeting = stayDialog.getByTestId('arrival-greeting').filter({ hasText: 'Happy 10th wedding anniversary — Mr and Mrs Nwosu' });
  await greeting.waitFor();
  const checkIn = stayDialog.getByRole('button', { name: /Check in/ });
  const [g, c] = [await greeting.boundingBox(), await checkIn.boundingBox()];
  assert.ok(g && c && g.y < c.y, 'the greeting reads before the Check in button');
  await checkIn.click();
  await stayDialog.getByTestId('booking-status').filter({ hasText: 'Checked in' }).waitFor();
  assert.equal(await statusOf(nwosu.id), 'checked_in');
  await page.keyboard.press('Escape');
  await stayDialog.waitFor({ state: 'detached' });
  // The afternoon's arrivals were the demo's and these two: everyone due today is in.
  await page.getByTestId('hotel-day-hint').filter({ hasText: 'Everyone due today is in.' }).waitFor();
});
