// Moving in (S8): on a Saturday the manager exports the patient list from the old system as a
// CSV (its own column names, its own date order, Windows-1252). Hearth proposes how each column
// maps and shows the first rows; the manager corrects the date order and one column, and sees
// every row judged before anything is written — ready, someone already here (and why), or a
// problem in words with the row's number. They fill in the record already here, import, and on
// Monday undo the import in one step and do it again with the mapping corrected.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanups, demoPage, screenshot, seriousA11yProblems } from './harness.js';

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
