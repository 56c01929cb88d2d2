// Finding a person in a keystroke: `/` from the calendar (or Ctrl+K from any screen)
// opens one box; a typo, missing accents or a phone typed any way still find them;
// Enter opens their page with the next visit. The time from the last keystroke to the
// results on screen is printed (docs/performance.md).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanups, dragSlot, futureWeekday, instant, launchBrowser, openDay, screenshot, seriousA11yProblems, signIn, startHearth,
} from './harness.js';

const cleanup = cleanups(after);

test('the receptionist finds a patient from one box, typo and all, and opens their page', async () => {
  const hearth = await startHearth({ demo: 'dental' });
  cleanup(() => hearth.stop());
  const { practice } = await hearth.api('get_practice');
  const tz = practice.time_zone;
  const types = await hearth.api('list_appointment_types', {});
  const resources = await hearth.api('list_resources', {});
  const checkup = types.find((t) => t.name === 'Check-up');
  const chair = resources.find((r) => r.kind === 'chair');
  const provider = resources.find((r) => r.kind === 'provider');
  const wojciech = await hearth.api('save_person', {
    given_name: 'Wojciech', family_name: 'Przybylski', phone: '07700 900 417', date_of_birth: '1979-03-14',
  }, 'maria');
  await hearth.api('save_person', { given_name: 'Zoë', family_name: 'Ångström', email: 'zoe@example.com' }, 'maria');
  const day = futureWeekday(tz, 2, 9, hearth.now()); // beyond the demo's weeks
  const at = instant(day, '10:00', tz);
  await hearth.api('create_booking', {
    person_id: wojciech.id, type_id: checkup.id, resource_ids: [chair.id, provider.id],
    time: { kind: 'timed', starts_at_ms: at, ends_at_ms: at + 30 * 60_000 },
  }, 'maria');

  const browser = await launchBrowser();
  cleanup(() => browser.close());
  const page = await browser.newPage();
  await signIn(page, hearth.url, 'maria');

  const box = page.getByTestId('person-search-input');
  const resultsFor = (q) => page.locator(`[data-testid="person-results"][data-query="${q}"]`);
  const timings = [];
  async function find(q) {
    await box.fill(q.slice(0, -1));
    const t0 = Date.now();
    await box.press(q.slice(-1) === ' ' ? 'Space' : q.slice(-1));
    await resultsFor(q).waitFor({ state: 'attached' });
    timings.push(Date.now() - t0);
    return page.getByTestId('person-result').allInnerTexts();
  }

  await page.keyboard.press('/');
  await box.waitFor();
  let found = await find('Przybylsky');
  assert.match(found[0], /Wojciech Przybylski/, 'a typo');
  assert.match(found[0], /next/, 'the next visit shows');
  await screenshot(page, 'search-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);
  found = await find('angstrom');
  assert.match(found[0], /Zoë Ångström/, 'accents folded');
  found = await find('07700-900-417');
  assert.match(found[0], /Przybylski/, 'a phone typed another way');
  found = await find('14/03/1979');
  assert.match(found[0], /Przybylski/, 'a date of birth');

  // Enter opens the first; the page has the next visit.
  await find('przyb');
  await box.press('Enter');
  await page.getByTestId('person-page').waitFor();
  await page.getByTestId('next-visit').filter({ hasText: 'Check-up' }).waitFor();
  await screenshot(page, 'person-page-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);
  await page.keyboard.press('Escape');
  await page.getByTestId('person-page').waitFor({ state: 'detached' });

  // Ctrl+K from Settings too (Helen, the manager).
  await page.keyboard.press('Control+l');
  await page.getByTestId('switch-staff').click();
  await page.getByTestId('demo-login-helen').click();
  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings').waitFor();
  await page.keyboard.press('Control+k');
  await box.waitFor();
  assert.match((await find('Przybylski'))[0], /Wojciech/);

  await page.keyboard.press('Escape');
  await page.getByTestId('settings-close').click();

  // Booking picks the person by typing: matches appear under the name.
  await openDay(page, hearth.url, day);
  const chair2 = resources.filter((r) => r.kind === 'chair').sort((a, b) => a.sort_order - b.sort_order)[1];
  await dragSlot(page, [chair2.name, '11:00', 4], [chair2.name, '11:15', 18]);
  const dialog = page.getByRole('dialog', { name: /new appointment/i });
  await dialog.waitFor();
  await dialog.getByTestId('person-name').pressSequentially('przyb');
  await dialog.getByTestId('person-match').filter({ hasText: 'Wojciech Przybylski' }).waitFor();
  await screenshot(page, 'booking-person-picker-1366');
  await dialog.getByTestId('person-name').press('Enter');
  await dialog.getByTestId('person-picked').waitFor();
  assert.equal(await dialog.getByTestId('person-name').inputValue(), 'Wojciech Przybylski');
  // As the desk dials it: the record's phone, read against the practice's country.
  assert.equal(await dialog.getByLabel('Phone').inputValue(), '07700 900417');
  await dialog.getByTestId('provider-select').selectOption(String(provider.id));
  await dialog.getByRole('button', { name: /^book appointment$/i }).click();
  await dialog.waitFor({ state: 'detached' });
  const after = await hearth.api('get_person', { id: wojciech.id }, 'maria');
  assert.equal(after.visits.length, 2, 'both visits are on his record');

  // An allergy on his record leads his page and marks his appointments.
  await page.keyboard.press('/');
  await find('Przybylski');
  await box.press('Enter');
  await page.getByTestId('add-alert-button').click();
  const form = page.getByTestId('add-alert');
  await form.getByLabel('Kind of alert').selectOption('allergy');
  await form.getByLabel('How serious').selectOption('critical');
  await form.getByLabel('What to know').fill('Penicillin');
  await form.getByRole('button', { name: 'Add' }).click();
  await page.getByTestId('person-alert').filter({ hasText: 'Penicillin' }).waitFor();
  await screenshot(page, 'person-page-alert-1366');
  // Edit his details: a bad e-mail is refused beside the field, and nothing is saved.
  await page.getByTestId('edit-person').click();
  await page.getByTestId('edit-email').fill('wojtek@localhost');
  await page.getByTestId('edit-preferred_name').fill('Wojtek');
  await page.getByTestId('save-person').click();
  await page.getByTestId('person-edit').getByRole('alert').filter({ hasText: 'not an e-mail address' }).waitFor();
  assert.equal(await page.getByTestId('edit-email').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'person-edit-refused-1366');
  assert.equal((await hearth.api('get_person', { id: wojciech.id }, 'maria')).person.preferred_name, '', 'nothing saved');
  await page.getByTestId('edit-email').fill('wojtek@example.com');
  await page.getByTestId('save-person').click();
  await page.getByTestId('person-edit').waitFor({ state: 'detached' });
  assert.equal((await hearth.api('get_person', { id: wojciech.id }, 'maria')).person.email, 'wojtek@example.com');
  assert.deepEqual(await seriousA11yProblems(page), []);
  await page.getByRole('button', { name: 'Close' }).first().click();
  await page.getByTestId('person-page').waitFor({ state: 'detached' });
  await page.locator('[data-testid="alert-badge"]').first().waitFor();
  assert.equal(await page.locator('[data-testid="alert-badge"]').count(), 2, 'both of his appointments');
  await screenshot(page, 'calendar-alert-badge-1366');
  // …and his line in the search results, before anyone opens his record.
  await page.keyboard.press('/');
  await find('Przybylski');
  const result = page.getByTestId('person-result').filter({ hasText: 'Wojciech Przybylski' });
  assert.match(await result.getByTestId('result-alert').getAttribute('class'), /\bcritical\b/);
  assert.match(await result.innerText(), /^‼/);
  await screenshot(page, 'search-alert-1366');
  await page.keyboard.press('Escape');

  timings.sort((a, b) => a - b);
  console.log(`keystroke to results shown: ${timings.join(', ')} ms (median ${timings[Math.floor(timings.length / 2)]} ms)`);
  // The opening was recorded: the manager sees it in the trail.
  const trail = await hearth.api('list_activity', { limit: 20 });
  assert.ok(trail.entries.some((e) => e.action === 'open_person' && e.staff_name === 'Maria Santos'));
});

test('a person\'s whole record: dates, notes, household, consent; a duplicate merged; exported and erased on request', async () => {
  const hearth = await startHearth({ demo: 'dental' });
  cleanup(() => hearth.stop());
  const { practice } = await hearth.api('get_practice');
  const tz = practice.time_zone;
  const types = await hearth.api('list_appointment_types', {});
  const resources = await hearth.api('list_resources', {});
  const checkup = types.find((t) => t.name === 'Check-up');
  const chair = resources.find((r) => r.kind === 'chair');
  const provider = resources.find((r) => r.kind === 'provider');
  const kasia = await hearth.api('save_person', { given_name: 'Katarzyna', family_name: 'Wójcik', phone: '07911 123456' });
  const dup = await hearth.api('save_person', { given_name: 'Kasia', family_name: 'Wojcik', email: 'kasia@example.com' });
  await hearth.api('save_person', { given_name: 'Piotr', family_name: 'Wójcik' });
  const day = futureWeekday(tz, 3, 9, hearth.now());
  const at = instant(day, '09:00', tz);
  await hearth.api('create_booking', {
    person_id: dup.id, type_id: checkup.id, resource_ids: [chair.id, provider.id],
    time: { kind: 'timed', starts_at_ms: at, ends_at_ms: at + 30 * 60_000 },
  });

  const browser = await launchBrowser();
  cleanup(() => browser.close());
  const page = await browser.newPage();
  await signIn(page, hearth.url, 'helen');
  await page.keyboard.press('/');
  await page.getByTestId('person-search-input').fill('Katarzyna');
  await page.getByTestId('person-result').filter({ hasText: 'Katarzyna Wójcik' }).waitFor();
  await page.getByTestId('person-search-input').press('Enter');
  const person = page.getByTestId('person-page');
  await person.waitFor();

  // The duplicate made at the desk last month is merged in: its visit moves here.
  await person.getByTestId('merge-button').click();
  await person.getByTestId('pick-input').fill('Kasia');
  await person.getByTestId('pick-match').filter({ hasText: 'Kasia Wojcik' }).click();
  await person.getByTestId('merge-confirm').click();
  await person.getByTestId('merged-from').filter({ hasText: 'Kasia Wojcik' }).waitFor();
  await person.getByTestId('next-visit').filter({ hasText: 'Check-up' }).waitFor();

  // Her anniversary, a note, her partner, her emergency contact and how she may be contacted.
  await person.getByTestId('add-date-button').click();
  await person.getByTestId('date-value').fill('2015-06-20');
  await person.getByTestId('date-label-input').fill('wedding anniversary');
  await person.getByTestId('add-date').getByRole('button', { name: 'Add' }).click();
  await person.getByTestId('person-date').filter({ hasText: 'wedding anniversary: 20 Jun 2015' }).waitFor();
  await person.getByTestId('note-input').fill('Prefers the first appointment of the day');
  await person.getByRole('button', { name: 'Add note' }).click();
  await person.getByTestId('person-note').filter({ hasText: 'Helen Park' }).waitFor();
  await person.getByTestId('link-button').click();
  await person.getByTestId('pick-input').fill('Piotr');
  await person.getByTestId('pick-match').filter({ hasText: 'Piotr Wójcik' }).click();
  await person.getByTestId('person-links').filter({ hasText: 'Partner: Piotr Wójcik' }).waitFor();
  await person.getByTestId('edit-person').click();
  await person.getByTestId('edit-phone').fill('+44 (0)7911-654-321');
  await person.getByTestId('edit-emergency_name').fill('Piotr Wójcik');
  await person.getByTestId('edit-emergency_phone').fill('not known');
  await person.getByTestId('consent-sms').selectOption('yes');
  await person.getByTestId('consent-post').selectOption('no');
  await person.getByLabel('Left-handed').check();
  await person.getByTestId('save-person').click();
  await person.getByTestId('person-edit').getByRole('alert').filter({ hasText: "emergency contact's phone" }).waitFor();
  await person.getByTestId('edit-emergency_phone').fill('07911 000111');
  await person.getByTestId('save-person').click();
  await person.getByTestId('person-emergency').filter({ hasText: 'Piotr Wójcik · 07911 000111' }).waitFor();
  await person.getByTestId('person-consent').filter({ hasText: 'Text: yes · Post: no' }).waitFor();
  assert.match(await person.innerText(), /07911 654321/, 'the phone as the desk dials it');
  await person.getByTestId('person-preferences').filter({ hasText: 'Left-handed' }).waitFor();
  await screenshot(page, 'person-page-record-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);

  // On request: everything held about her, as a file …
  const download = page.waitForEvent('download');
  await person.getByTestId('export-button').click();
  const file = await (await download).path();
  const doc = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(file, 'utf8')));
  assert.equal(doc.person.full_name, 'Katarzyna Wójcik');
  assert.equal(doc.person.email, 'kasia@example.com', 'taken over from the duplicate');
  assert.equal(doc.bookings.length, 1);
  assert.equal(doc.notes[0].body, 'Prefers the first appointment of the day');

  // … and then erased: her visit stays, without her name.
  await person.getByTestId('erase-button').click();
  await person.getByTestId('erase-reason').fill('Asked by e-mail');
  await person.getByTestId('erase-confirm').click();
  await page.getByRole('dialog', { name: 'Erased' }).waitFor();
  const after = await hearth.api('get_person', { id: kasia.id });
  assert.equal(after.person.erased, true);
  assert.equal(after.visits.length, 1);
  assert.equal(after.notes.length, 0);
  const trail = await hearth.api('list_activity', { limit: 10 });
  assert.ok(trail.entries.some((e) => e.action === 'erase_person' && e.staff_name === 'Helen Park'));
});
