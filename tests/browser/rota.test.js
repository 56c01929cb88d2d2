// Providers' own hours and public holidays, as the practice manager sets them: a dentist's
// Wednesday off and Friday mornings in Settings, read back in words; slot search then
// offers them only when they work, and their week on the calendar is shaded "Day off";
// the country's public holidays are closed in one step and every search steps over them.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, cleanups, demoPage, futureWeekday, localDate, practiceSetup, screenshot, seriousA11yProblems,
} from './harness.js';

const cleanup = cleanups(after);

test('the manager gives a dentist Wednesdays off and Friday mornings; searches and the calendar follow; public holidays close', async () => {
  const { hearth, page } = await demoPage(cleanup, 'dental', 'helen');
  const { tz, type, resources } = await practiceSetup(hearth);
  const dentist = resources.filter((r) => r.kind === 'provider').sort((a, b) => a.sort_order - b.sort_order)[0];

  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings').waitFor();
  await page.getByTestId('section-rota').click();
  const row = page.getByTestId(`rota-${dentist.id}`);
  await row.getByTestId('rota-words').filter({ hasText: 'Whenever the practice is open' }).waitFor();
  await row.getByTestId('rota-edit').click();
  await row.getByTestId('rota-day-2').getByRole('checkbox').uncheck();
  await row.getByTestId('rota-day-2').getByText('Day off').waitFor();
  const fridayEnd = row.getByLabel('Friday: ends');
  await fridayEnd.fill('13:00');
  await fridayEnd.press('Tab');
  await screenshot(page, 'rota-editing-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);
  await row.getByTestId('rota-save').click();
  const words = row.getByTestId('rota-words');
  await words.filter({ hasText: /Fri \d\d:\d\d–13:00/ }).waitFor();
  assert.doesNotMatch(await words.innerText(), /Wed/, 'Wednesday is their day off');
  await screenshot(page, 'rota-1366');

  // The core offers them only when they work: no Wednesday, nothing on a Friday afternoon.
  const wednesday = futureWeekday(tz, 3, 6, hearth.now());
  const slots = await hearth.api('find_slots', {
    type_id: type('Check-up').id, provider_id: dentist.id, from_date: wednesday, within_days: 3, count: 200,
  });
  const days = slots.map((s) => localDate(s.starts_at_ms, tz));
  assert.ok(!days.includes(wednesday), 'no slot on their day off');
  const friday = addDays(wednesday, 2);
  const fridayTimes = slots.filter((s) => localDate(s.starts_at_ms, tz) === friday)
    .map((s) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit' }).format(s.ends_at_ms));
  assert.ok(fridayTimes.length > 0 && fridayTimes.every((t) => t <= '13:00'), `Friday slots end by 13:00: ${fridayTimes}`);

  // Their week on the calendar: Wednesday says "Day off".
  await page.getByTestId('settings-close').click().catch(() => page.keyboard.press('Escape'));
  await page.goto(`${hearth.url}/?date=${wednesday}`);
  await page.getByRole('button', { name: 'Week' }).click();
  await page.getByTestId('week-of').getByRole('button', { name: dentist.name }).click();
  await page.locator('.closed-rota .bg-label', { hasText: 'Day off' }).first().waitFor();
  await screenshot(page, 'rota-week-1366');

  // Public holidays of the practice's country (the demo is in England).
  await page.goto(`${hearth.url}/#settings/blocks`);
  const panel = page.getByTestId('public-holidays');
  await panel.getByTestId('holiday').first().waitFor();
  const year = Number(localDate(hearth.now(), tz).slice(0, 4)) + 1;
  await panel.getByTestId('holiday-year').selectOption(String(year));
  await panel.getByTestId('holiday').filter({ hasText: `25 December ${year}` }).waitFor();
  const all = await panel.getByTestId('holiday').allInnerTexts();
  assert.ok(all.some((t) => /Christmas Day/.test(t)) && all.every((t) => /^Open/.test(t)), all.join('\n'));
  await panel.getByTestId('close-holidays').click();
  await panel.getByTestId('holiday').filter({ hasText: 'Christmas Day' }).filter({ hasText: 'Closed' }).first().waitFor();
  await screenshot(page, 'public-holidays-1366');
  const listed = await hearth.api('list_public_holidays', { year });
  assert.ok(listed.length >= 8 && listed.every((h) => h.closed), 'every holiday of the year is closed');
  const christmas = `${year}-12-25`;
  const around = await hearth.api('find_slots', {
    type_id: type('Check-up').id, from_date: addDays(christmas, -1), within_days: 3, count: 200,
  });
  assert.ok(!around.some((s) => localDate(s.starts_at_ms, tz) === christmas), 'no slot on Christmas Day');
});
