// One record per person. A clerk types the name of a guest Hearth knows instead of picking
// them: the dialog shows who it could be, with what tells them apart, before anything is
// made; picking keeps one record, "Someone new" makes a second one on purpose, and Book
// without choosing is refused with the same list. The duplicates the demo already holds
// are found on the Possible duplicates screen and settled there in one step each.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, cleanups, demoPage, dragNights, futureWeekday, instant, practiceSetup, screenshot, seriousA11yProblems,
} from './harness.js';

const cleanup = cleanups(after);

test('a known guest typed by name is asked about; someone new is a deliberate choice; the duplicates list settles the rest', async () => {
  const { hearth, page } = await demoPage(cleanup, 'hotel');
  const { tz, type } = await practiceSetup(hearth);
  const rooms = (await hearth.api('list_resources', { include_archived: false }))
    .filter((r) => r.kind === 'room')
    .sort((a, b) => a.sort_order - b.sort_order);
  // A guest the hotel knows well, with a phone on record.
  const known = await hearth.api('save_person', {
    given_name: 'Henrietta', family_name: 'Vasquez', phone: '07700 900 654', date_of_birth: '1961-04-30', someone_new: true,
  });
  const day = futureWeekday(tz, 1, 10, hearth.now()); // a Monday beyond the demo's weeks
  await hearth.api('create_booking', {
    person_id: known.id, type_id: type('Stay').id, resource_ids: [rooms[0].id],
    time: { kind: 'nights', arrival: addDays(day, -30), departure: addDays(day, -28) },
  });
  const staysOf = async (name) => (await hearth.api('list_bookings', {
    from_ms: instant(addDays(day, -1), '00:00', tz), to_ms: instant(addDays(day, 8), '00:00', tz), include_cancelled: false,
  })).filter((b) => b.person_name === name);

  await page.goto(`${hearth.url}/?date=${day}`);
  await page.locator('[data-testid="calendar"][data-view="tape"] .ec-body').waitFor();
  await page.locator(`.ec-header .ec-col-head time[datetime="${day}"]`).waitFor();
  const newStay = async (room, from) => {
    await dragNights(page, [room.name, from], [room.name, addDays(from, 1)]);
    const dialog = page.getByRole('dialog', { name: /new stay/i });
    await dialog.waitFor();
    return dialog;
  };

  // 1. Typed, not picked (the list closed): who it could be shows under the name.
  let dialog = await newStay(rooms[1], day);
  const name = dialog.getByTestId('person-name');
  await name.fill('Henrietta Vasquez');
  await dialog.getByLabel('Phone').click(); // on to the phone: the search list closes, the question stays
  const likely = dialog.getByTestId('likely-people');
  await likely.waitFor();
  const first = dialog.getByTestId('likely-person').first();
  assert.match(await first.innerText(), /Henrietta Vasquez[\s\S]*same name[\s\S]*07700 900654[\s\S]*born 30\/04\/1961[\s\S]*1 visit/);
  await screenshot(page, 'likely-guest-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);
  // Picking her books on her record.
  await first.getByTestId('likely-pick').click();
  await dialog.getByTestId('person-picked').waitFor();
  await dialog.getByRole('button', { name: /^book stay$/i }).click();
  await dialog.waitFor({ state: 'detached' });
  let stays = await staysOf('Henrietta Vasquez');
  assert.equal(stays.length, 1);
  assert.equal(stays[0].person_id, known.id, 'on her own record');

  // 2. Book pressed before looking: refused with the same list; nothing booked.
  dialog = await newStay(rooms[2], addDays(day, 3));
  await dialog.getByTestId('person-name').fill('henrietta vasquez');
  await dialog.getByRole('button', { name: /^book stay$/i }).click();
  const error = dialog.getByTestId('dialog-error');
  await error.waitFor();
  assert.match(await error.innerText(), /There is already a guest called Henrietta Vasquez\. Pick them from the list, or say this is someone new\./);
  await dialog.getByTestId('likely-person').first().waitFor();
  assert.equal((await staysOf('henrietta vasquez')).length, 0, 'nothing booked');
  await screenshot(page, 'likely-guest-refused-1366');

  // 3. Someone new, said on purpose: a second record.
  await dialog.getByTestId('someone-new').click();
  await dialog.getByTestId('someone-new-note').waitFor();
  assert.equal(await error.count(), 0, 'the question is answered');
  await dialog.getByRole('button', { name: /^book stay$/i }).click();
  await dialog.waitFor({ state: 'detached' });
  stays = await staysOf('henrietta vasquez');
  assert.equal(stays.length, 1);
  assert.notEqual(stays[0].person_id, known.id, 'another Henrietta Vasquez, deliberately');

  // 4. The Possible duplicates screen, from the person finder: the demo's two planted pairs
  //    and the namesake just made (no birth date tells them apart).
  await page.keyboard.press('/');
  await page.getByTestId('open-duplicates').click();
  const list = page.getByTestId('duplicates');
  await list.waitFor();
  const pairs = page.getByTestId('duplicate-pair');
  await pairs.first().waitFor();
  assert.equal(await pairs.count(), 3);
  const texts = await pairs.allInnerTexts();
  assert.ok(texts.some((t) => /Same name[\s\S]*Henrietta Vasquez[\s\S]*Henrietta Vasquez/.test(t)), texts.join('\n---\n'));
  assert.ok(texts.some((t) => /Similar name, same phone/.test(t)), 'the demo’s slip with the same phone');
  await screenshot(page, 'duplicates-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);

  // Not the same person: the namesakes leave the list for good.
  const namesakes = pairs.filter({ hasText: 'Henrietta Vasquez' });
  await namesakes.getByTestId('duplicate-apart').click();
  await namesakes.waitFor({ state: 'detached' });
  // The same person: merged into the record with more history in one step.
  const slip = pairs.filter({ hasText: 'Similar name' });
  const keepName = (await slip.getByTestId('duplicate-stays').locator('.name').innerText()).trim();
  await slip.getByTestId('duplicate-merge').click();
  await slip.waitFor({ state: 'detached' });
  await page.getByText(new RegExp(`record was merged into ${keepName}'s`)).waitFor();
  assert.equal(await pairs.count(), 1);
  const left = await hearth.api('list_possible_duplicates', {});
  assert.equal(left.length, 1, 'the core agrees: one pair left');
});
