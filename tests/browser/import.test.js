// Moving in (S8): on a Saturday the manager exports the patient list from the old system as a
// CSV (its own column names, its own date order, Windows-1252). Hearth proposes how each column
// maps and shows the first rows; the manager corrects the date order and one column, and sees
// every row judged before anything is written — ready, someone already here (and why), or a
// problem in words with the row's number. They fill in the record already here, import, and on
// Monday undo the import in one step and do it again with the mapping corrected.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, cleanups, demoPage, futureWeekday, localDate, localTime, screenshot, seriousA11yProblems } from './harness.js';

const cleanup = cleanups(after);

test('S8: a patient list from the old system, judged, merged, imported, undone and imported again', async () => {
  const { hearth, page } = await demoPage(cleanup, 'dental', 'helen');
  page.on('dialog', (d) => void d.accept());
  // Someone the demo already knows, as the old system also has them.
  const [known] = await hearth.api('search_people', { query: 'a', limit: 1 });
  const person = (await hearth.api('get_person', { id: known.id })).person;
  assert.ok(person.phone, 'the demo person has a phone');
  assert.equal(person.email, '', 'and no e-mail yet');
  // The old system's export: month/day/year dates, a mobile column it names its own way,
  // Windows-1252 accents, one row with no name.
  const rows = [
    'Patient No,Surname,Forename,Birth,Mobile Nr,E-mail',
    'P-1001,Brontë,Zoë,03/14/1980,07700 900201,zoe@example.com',
    'P-1002,Ødegård,Åse,12/31/1975,07700 900202,',
    `P-1003,${person.family_name},${person.given_name},,${person.phone},known@example.com`,
    'P-1004,,,01/02/1990,07700 900204,',
  ];
  const file = { name: 'old-system-patients.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n') + '\r\n', 'latin1') };

  await page.goto(`${hearth.url}/#settings/import`);
  const panel = page.getByTestId('import');
  await panel.getByTestId('import-file').setInputFiles(file);
  await panel.getByTestId('import-read').filter({ hasText: 'old-system-patients.csv: 4 rows' }).waitFor();
  assert.equal(await panel.getByLabel('Text encoding').inputValue(), 'windows1252');
  // Read with the practice's day/month/year, 03/14/1980 is no date: said, with its row.
  const attention = panel.getByTestId('import-attention');
  await attention.getByText('Row 2 · Zoë Brontë — Problem: "03/14/1980" is not a real date when read as day/month/year.').waitFor();
  await attention.getByText('Row 5 — Problem: There is no name on this row.').waitFor();
  // The manager says the file's dates are month/day/year, and which column is the mobile.
  await panel.getByTestId('import-date-order').selectOption('mdy');
  await attention.getByText(/Row 2 · Zoë Brontë/).waitFor({ state: 'detached' });
  const mobile = panel.getByLabel('Column 5 (Mobile Nr)');
  assert.equal(await mobile.inputValue(), '', 'not a name Hearth knows: left out until the manager says');
  await mobile.selectOption('phone');
  await attention.getByText(`Row 4 · ${person.given_name} ${person.family_name} — Already here: Same phone`).waitFor();
  await panel.getByTestId('choice-existing').getByLabel('Fill in what the record here lacks').check();
  await panel.getByTestId('import-counts').filter({ hasText: 'Ready 2' }).waitFor();
  await screenshot(page, 'import-preview-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);

  await panel.getByTestId('import-run').filter({ hasText: 'Import 3 patients' }).click();
  const row = panel.getByTestId('import-row').first();
  await row.filter({ hasText: '2 added, 1 filled in, 1 skipped' }).waitFor();
  await screenshot(page, 'import-done-1366');
  const [zoe] = await hearth.api('search_people', { query: 'Zoë Brontë' });
  const zoePage = await hearth.api('get_person', { id: zoe.id });
  assert.equal(zoePage.person.date_of_birth, '1980-03-14');
  assert.equal(zoePage.person.phone, '07700 900201');
  assert.equal((await hearth.api('get_person', { id: known.id })).person.email, 'known@example.com');

  // Monday: a mistake. Undone in one step.
  await row.getByTestId('import-undo').click();
  await row.filter({ hasText: 'undone' }).waitFor();
  assert.equal((await hearth.api('search_people', { query: 'Zoë Brontë' })).length, 0);
  assert.equal((await hearth.api('get_person', { id: known.id })).person.email, '');
  await screenshot(page, 'import-undone-1366');

  // And again, with the mapping corrected: the same people, now as they should be.
  await panel.getByTestId('import-file').setInputFiles(file);
  await panel.getByTestId('import-date-order').selectOption('mdy');
  await panel.getByLabel('Column 5 (Mobile Nr)').selectOption('phone');
  await panel.getByTestId('import-counts').filter({ hasText: 'Ready 2' }).waitFor();
  await panel.getByTestId('choice-existing').getByLabel('Fill in what the record here lacks').check();
  await panel.getByTestId('import-run').filter({ hasText: 'Import 3 patients' }).click();
  // Both imports are listed, newest first; the first one undone.
  await panel.getByTestId('import-row').nth(1).filter({ hasText: 'undone' }).waitFor();
  await panel.getByTestId('import-row').first().filter({ hasText: '2 added, 1 filled in, 1 skipped' }).filter({ hasNotText: 'undone' }).waitFor();
  assert.equal((await hearth.api('search_people', { query: 'Åse Ødegård' })).length, 1);

  // The Activity screen tells the import and its undo with their counts.
  await page.goto(`${hearth.url}/#activity`);
  await page.getByLabel('Staff member').selectOption({ label: 'Helen Park' });
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('cell', { name: 'Imported people: 2 added, 1 filled in, 1 skipped' }).first().waitFor();
  await page.getByRole('cell', { name: 'Undid an import: 2 removed, 2 fields put back' }).first().waitFor();

  // Taking them out: the file downloads, and reads back (each person in it is recorded as looked at).
  await page.goto(`${hearth.url}/#settings/import`);
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-people').click()]);
  assert.match(download.suggestedFilename(), /^riverside-dental-people-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
  assert.ok(text.startsWith('Hearth ID,First name,Family name,'), text.slice(0, 80));
  assert.ok(text.includes('Zoë'), 'the imported patient is in the export');
});

// S8, steps 3 and 4: the next months of appointments from the old system, as its own CSV
// (month/day/year with a 12-hour clock, its own operatory names, Windows-1252). Every row is
// checked by the same rules as a booking typed at the desk: a clash with the desk's calendar or
// with an earlier row is listed and never booked; a Saturday is a closed time the manager can
// book anyway, row by row. The calendar holds what was booked. On Monday a mistake is found —
// "Op 1" was mapped to the wrong chair — and the import is undone in one step and made again.
test('S8: coming appointments from the old system, checked by the desk rules, booked, undone and booked again', async () => {
  const { hearth, page } = await demoPage(cleanup, 'dental', 'helen');
  page.on('dialog', (d) => void d.accept());
  const zone = 'Europe/London';
  const resources = await hearth.api('list_resources', {});
  const byName = (n) => resources.find((r) => r.name === n);
  const [chair1, chair2, lind] = [byName('Chair 1'), byName('Chair 2'), byName('Dr Lind')];
  const types = await hearth.api('list_appointment_types', {});
  const checkUp = types.find((t) => t.name === 'Check-up');
  // Times free for Dr Lind on both chairs, weeks ahead.
  const from = futureWeekday(zone, 2, 6, hearth.now());
  const free = async (chair) =>
    (await hearth.api('find_slots', { type_id: checkUp.id, provider_id: lind.id, chair_id: chair.id, from_date: from, within_days: 4, count: 60 }))
      .map((s) => s.starts_at_ms);
  const onTwo = new Set(await free(chair2));
  const both = (await free(chair1)).filter((t) => onTwo.has(t));
  // Three times at least two hours apart, each with the half hour after it free too.
  const picked = [];
  for (const t of both) {
    if (both.includes(t + 1_800_000) && picked.every((p) => Math.abs(p - t) >= 7_200_000)) picked.push(t);
    if (picked.length === 3) break;
  }
  assert.equal(picked.length, 3, 'three free times for the file');
  const [a, b, c] = picked;
  // The desk books the third time meanwhile: the old system's row for it will clash.
  const desk = await hearth.api('create_booking', {
    person_name: 'Walk-in Wendy', person_phone: '07700 900999', someone_new: true, type_id: checkUp.id,
    resource_ids: [chair1.id, lind.id], time: { kind: 'timed', starts_at_ms: c, ends_at_ms: c + 1_800_000 },
  });
  // Someone the demo knows (typed at the desk, no number from the old system).
  const [found] = await hearth.api('search_people', { query: 'a', limit: 1 });
  const known = (await hearth.api('get_person', { id: found.id })).person;
  const knownName = `${known.given_name} ${known.family_name}`;
  const saturday = addDays(localDate(a, zone), (6 - new Date(localDate(a, zone)).getUTCDay() + 7) % 7);
  const us = (ms) => {
    const [y, m, d] = localDate(ms, zone).split('-');
    const [hh, mm] = localTime(ms, zone).split(':').map(Number);
    return `${m}/${d}/${y} ${((hh + 11) % 12) + 1}:${String(mm).padStart(2, '0')} ${hh < 12 ? 'AM' : 'PM'}`;
  };
  const [sy, sm, sd] = saturday.split('-');
  const rows = [
    'AptNum,PatNum,Patient,AptDateTime,Length,Op,Provider,Type,Note',
    `9001,77,"${knownName}",${us(a)},30,Op 1,Dr. Lind,Check-up,Wants the early slot`,
    `9002,78,Émile Zola,${us(a + 900_000)},30,Op 1,Dr. Lind,Check-up,`,
    `9003,79,Zoë Ångström,${us(b)},30,Op 1,Dr. Lind,Check-up,Nervous — first visit`,
    `9004,80,Bram Öz,${us(c)},30,Op 1,Dr. Lind,Check-up,`,
    `9005,79,Zoë Ångström,${sm}/${sd}/${sy} 10:00 AM,30,Op 1,Dr. Lind,Check-up,Saturday special`,
  ];
  const file = { name: 'old-system-appointments.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n') + '\r\n', 'latin1') };

  await page.goto(`${hearth.url}/#settings/import`);
  const panel = page.getByTestId('import');
  await panel.getByTestId('import-holds').getByLabel('Coming appointments').check();
  await panel.getByTestId('import-file').setInputFiles(file);
  await panel.getByTestId('import-read').filter({ hasText: 'old-system-appointments.csv: 5 rows' }).waitFor();
  assert.equal(await panel.getByLabel('Text encoding').inputValue(), 'windows1252');
  await panel.getByTestId('import-date-order').selectOption('mdy');
  // The old system's names: Dr. Lind is found by name; "Op 1" is the manager's to say — and they
  // say Chair 2 (the mistake found on Monday).
  const names = panel.getByTestId('import-names');
  assert.equal(await names.getByLabel('Provider Dr. Lind').inputValue(), String(lind.id));
  const op1 = names.getByLabel('Chair Op 1');
  assert.equal(await op1.inputValue(), '', 'not a name Hearth knows');
  const attention = panel.getByTestId('import-attention');
  await attention.getByText(/Row 2 .* Problem: "Op 1" is not matched to a chair here/).waitFor();
  await op1.selectOption(String(chair2.id));
  await attention.getByText(/Row 3 · Émile Zola · .* — Clash: Chair 2 is taken .* by row 2 of the file\./).waitFor();
  await attention.getByText(/Row 4 · Zoë Ångström · .* — Someone new: No one here matches: they will be added\./).waitFor();
  await attention.getByText(/Row 5 · Bram Öz · .* — Clash: Dr Lind is booked .* Walk-in Wendy/).waitFor();
  const closed = attention.locator('li').filter({ hasText: /Row 6 · Zoë Ångström · Sat .* — Closed time: .* outside opening hours/ });
  await closed.getByTestId('import-book-anyway').check();
  await panel.getByTestId('import-counts').filter({ hasText: 'Ready 1' }).filter({ hasText: 'Clashes 2' }).waitFor();
  await screenshot(page, 'import-bookings-preview-1366');
  await panel.getByTestId('import-read').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -80));
  await screenshot(page, 'import-bookings-names-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);

  await panel.getByTestId('import-run').filter({ hasText: 'Book 3 appointments' }).click();
  const row = panel.getByTestId('import-row').first();
  await row.filter({ hasText: '3 booked, 2 skipped' }).waitFor();
  // The calendar holds them: the known patient's check-up on the (wrong) chair, with its note.
  const week = await hearth.api('list_bookings', { from_ms: a - 86_400_000, to_ms: a + 14 * 86_400_000 });
  const mine = week.find((x) => x.person_id === known.id && x.starts_at_ms === a);
  assert.ok(mine, 'the known patient is booked at the file\'s time');
  assert.equal(mine.notes, 'Wants the early slot');
  assert.deepEqual(mine.resource_ids.sort(), [chair2.id, lind.id].sort());
  assert.equal(week.filter((x) => x.person_name === 'Zoë Ångström').length, 2, 'Zoë, added once, twice booked');
  assert.ok(!week.some((x) => x.person_name === 'Émile Zola' || x.person_name === 'Bram Öz'), 'clashes are not booked');
  await page.goto(`${hearth.url}/?date=${localDate(a, zone)}`);
  await page.locator(`[data-testid="calendar"] [data-booking-id="${mine.id}"]`).waitFor();
  await screenshot(page, 'import-bookings-calendar-1366');

  // Monday: Op 1 is Chair 1. Undone in one step — the bookings and Zoë go; the desk's stays.
  await page.goto(`${hearth.url}/#settings/import`);
  await panel.getByTestId('import-row').first().getByTestId('import-undo').click();
  await panel.getByTestId('import-row').first().filter({ hasText: 'undone' }).waitFor();
  assert.equal((await hearth.api('search_people', { query: 'Zoë Ångström' })).length, 0);
  assert.equal((await hearth.api('get_booking', { id: desk.id })).status, 'booked');

  // And again, with Op 1 mapped right. Hearth remembers the mapping it was given last time:
  // the manager corrects it.
  await panel.getByTestId('import-holds').getByLabel('Coming appointments').check();
  await panel.getByTestId('import-file').setInputFiles(file);
  await panel.getByTestId('import-date-order').selectOption('mdy');
  assert.equal(await names.getByLabel('Chair Op 1').inputValue(), String(chair2.id));
  await names.getByLabel('Chair Op 1').selectOption(String(chair1.id));
  await attention.getByText(/Row 3 · Émile Zola · .* — Clash: Chair 1 is taken/).waitFor();
  await attention.locator('li').filter({ hasText: /Row 6/ }).getByTestId('import-book-anyway').check();
  await panel.getByTestId('import-run').filter({ hasText: 'Book 3 appointments' }).click();
  await panel.getByTestId('import-row').first().filter({ hasText: '3 booked, 2 skipped' }).filter({ hasNotText: 'undone' }).waitFor();
  const again = await hearth.api('list_bookings', { from_ms: a - 86_400_000, to_ms: a + 14 * 86_400_000 });
  const right = again.find((x) => x.person_id === known.id && x.starts_at_ms === a);
  assert.deepEqual(right.resource_ids.sort(), [chair1.id, lind.id].sort());
  // Activity tells both.
  await page.goto(`${hearth.url}/#activity`);
  await page.getByLabel('Staff member').selectOption({ label: 'Helen Park' });
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('cell', { name: /Imported appointments: 3 booked, 2 skipped/ }).first().waitFor();
});

// Moving out: the manager takes a week of appointments out as a spreadsheet, and the whole
// practice as one archive — each a download, each recorded.
test('Taking everything out: a week of appointments as CSV, and the whole practice as a zip', async () => {
  const { hearth, page } = await demoPage(cleanup, 'dental', 'helen');
  const zone = 'Europe/London';
  await page.goto(`${hearth.url}/#settings/import`);
  const out = page.getByTestId('export');
  const today = localDate(hearth.now(), zone);
  const last = addDays(today, 6);
  await out.getByTestId('export-from').fill(today);
  await out.getByTestId('export-to').fill(last);
  await screenshot(page, 'export-1366');
  const [sheet] = await Promise.all([page.waitForEvent('download'), out.getByTestId('export-bookings').click()]);
  assert.match(sheet.suggestedFilename(), new RegExp(`^riverside-dental-bookings-${today}-to-${last}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const text = await (await sheet.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
  const lines = text.trim().split('\n');
  assert.ok(lines[0].startsWith('Booking ID,Hearth ID,First name,Family name,Date,Start,End,'), lines[0]);
  assert.ok(lines.length > 5, 'the demo week has appointments');
  for (const l of lines.slice(1)) {
    const date = l.match(/,(\d{4}-\d{2}-\d{2}),\d{2}:\d{2},/)?.[1];
    assert.ok(date && date >= today && date <= last, `${date} in the week: ${l}`);
  }
  // The same week with dates in the practice's own order (day/month/year here).
  await out.getByTestId('export-practice-order').check();
  const [ordered] = await Promise.all([page.waitForEvent('download'), out.getByTestId('export-bookings').click()]);
  const orderedText = await (await ordered.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
  assert.match(orderedText, /,\d{2}\/\d{2}\/\d{4},\d{2}:\d{2},/, 'day/month/year');
  assert.ok(!/,\d{4}-\d{2}-\d{2},\d{2}:\d{2},/.test(orderedText), orderedText.split('\n')[1]);
  await out.getByTestId('export-practice-order').uncheck();
  const [zip] = await Promise.all([page.waitForEvent('download'), out.getByTestId('export-practice').click()]);
  assert.match(zip.suggestedFilename(), /^riverside-dental-\d{4}-\d{2}-\d{2}\.zip$/);
  const bytes = await (await zip.createReadStream()).toArray().then((c) => Buffer.concat(c));
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip');
  assert.ok(bytes.includes(Buffer.from('bookings.csv')) && bytes.includes(Buffer.from('README.txt')));
  await page.getByText(/Exported the whole practice \(10 files\)/).waitFor();
});
