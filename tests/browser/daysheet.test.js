// The day sheet: "Print day sheet" puts the day on paper — a page per chair (dental) or
// arrivals, departures and in-house guests (hotel) — with time, person, phone, type, notes
// and alerts, the practice's name and the date, and nothing of the app's chrome. The test
// prints it to PDF with Chromium, reads the PDF's text and keeps its first page as a picture.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SCREENSHOTS, cleanups, demoPage, futureWeekday, instant, localDate, openDay, practiceSetup, screenshot, seriousA11yProblems,
} from './harness.js';

const cleanup = cleanups(after);

/** Print the page to PDF; its text (pdftotext, layout kept) and the first page as a PNG. */
async function printed(page, name) {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-pdf-'));
  const pdf = join(dir, `${name}.pdf`);
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, join(SCREENSHOTS, name)]);
  return { text, pages };
}

test('dental: the day sheet prints a page per chair with phone, notes and alerts, and none of the app', async () => {
  const { hearth, page } = await demoPage(cleanup, 'dental');
  const { practice, tz, type, resource, chairs } = await practiceSetup(hearth);
  const day = futureWeekday(tz, 4, 9, hearth.now()); // a Thursday past the demo's weeks
  const ana = await hearth.api('save_person', { given_name: 'Ana', family_name: 'Quintero', phone: '07700 900 111' });
  await hearth.api('add_person_alert', { person_id: ana.id, kind: 'allergy', severity: 'critical', text: 'Latex' });
  const book = (person, chair, hhmm, notes = '') => {
    const at = instant(day, hhmm, tz);
    return hearth.api('create_booking', {
      ...person, type_id: type('Check-up').id, resource_ids: [chair.id, resource('Dr Lind').id], notes,
      time: { kind: 'timed', starts_at_ms: at, ends_at_ms: at + 30 * 60_000 },
    });
  };
  await book({ person_id: ana.id }, chairs[0], '09:00', 'Bring the X-rays');
  await book({ person_name: 'Ben Novotny', person_phone: '07700 900 222' }, chairs[1], '10:30');

  await openDay(page, hearth.url, day);
  await page.getByTestId('open-day-sheet').click();
  const paper = page.getByTestId('day-sheet-paper');
  await paper.waitFor();
  const pages = paper.locator('section.page');
  assert.equal(await pages.count(), 2, 'a page for each chair with bookings');
  assert.match(await pages.first().innerText(), /Chair 1 \(1\)[\s\S]*09:00–09:30\s+Ana Quintero[\s\S]*07700 900111\s+Dr Lind\s+Check-up\s+‼ Allergy: Latex\s+Bring the X-rays/);
  assert.deepEqual(await seriousA11yProblems(page), []);
  await screenshot(page, 'day-sheet-screen-1366');

  const { text, pages: count } = await printed(page, 'day-sheet-dental');
  assert.equal(count, 2, 'one sheet of paper per chair');
  for (const words of [practice.name, 'Chair 1', 'Chair 2', 'Ana Quintero', '07700 900111', '‼ Allergy: Latex', 'Bring the X-rays', 'Ben Novotny', '10:30–11:00']) {
    assert.ok(text.includes(words), `the paper says "${words}":\n${text}`);
  }
  assert.match(text, /\w+day \d+ \w+ \d{4}/, 'the date in words');
  for (const chrome of ['Back to calendar', 'Print', 'Live', 'Find']) {
    assert.ok(!new RegExp(`\\b${chrome}\\b`).test(text), `no "${chrome}" from the app on paper`);
  }

  // By provider: one page, Dr Lind's, with the chairs named.
  await page.getByTestId('day-sheet-by').selectOption('provider');
  await pages.first().filter({ hasText: 'Dr Lind (2)' }).waitFor();
  // Back: the calendar on the same day.
  await page.getByTestId('day-sheet-close').click();
  await page.locator('[data-testid="calendar"] .ec-body').waitFor();
  assert.ok(page.url().includes(`date=${day}`));
});

test('hotel: the day sheet prints arrivals, departures and in-house guests with their rooms', async () => {
  const { hearth, page } = await demoPage(cleanup, 'hotel');
  const { tz } = await practiceSetup(hearth);
  const today = localDate(hearth.now(), tz);
  const sheet = await hearth.api('get_day_sheet', { date: today });
  assert.deepEqual(sheet.sections.map((s) => s.title), ['Arrivals', 'Departures', 'In house']);
  await page.getByTestId('open-day-sheet').click();
  const paper = page.getByTestId('day-sheet-paper');
  await paper.waitFor();
  for (const s of sheet.sections) {
    await paper.getByRole('heading', { name: `${s.title} (${s.rows.length})` }).waitFor();
  }
  const { text } = await printed(page, 'day-sheet-hotel');
  for (const s of sheet.sections) {
    assert.ok(text.includes(`${s.title} (${s.rows.length})`), `${s.title} on paper`);
    for (const r of s.rows.slice(0, 3)) {
      assert.ok(text.includes(r.person_name) && text.includes(r.with), `${r.person_name} in ${r.with}`);
    }
  }
  assert.match(text, /\d+ nights?, \w{3} \d+ \w{3} – \w{3} \d+ \w{3}/);
});
