// Dates and times the practice's way, not the computer's: a manager sets a 12-hour clock
// and month-first dates in Settings; the calendar's hours, the booking dialog's fields,
// the lists and the core's own refusals then all speak that way, and a time typed as
// "2:30 pm" books 14:30.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanups, demoPage, futureWeekday, instant, screenshot, seriousA11yProblems } from './harness.js';

const cleanup = cleanups(after);

test('a 12-hour clock and month-first dates, in every field and label', async () => {
  const { hearth, page } = await demoPage(cleanup, 'dental', 'helen');
  const { practice } = await hearth.api('get_practice');
  const tz = practice.time_zone;
  await page.getByTestId('open-settings').click();
  await page.getByTestId('time-format').selectOption('12h');
  await page.getByTestId('date-order').selectOption('mdy');
  await page.getByTestId('save-practice').click();
  for (let i = 0; ; i++) {
    const p = (await hearth.api('get_practice')).practice;
    if (p.time_format === '12h' && p.date_order === 'mdy') break;
    assert.ok(i < 50, 'the core keeps the new formats');
    await new Promise((r) => setTimeout(r, 100));
  }
  // The midnight hint in the hours speaks the new clock.
  await page.getByText('A closing time of 12:00 am means midnight.').waitFor();

  const day = futureWeekday(tz, 2, 9, hearth.now());
  const [y, m, d] = day.split('-');
  await page.goto(`${hearth.url}/?date=${day}&view=day`);
  await page.locator('.ec-sidebar time', { hasText: /^8:00\s?am$/i }).first().waitFor();
  await page.locator('.ec-sidebar time', { hasText: /^1:00\s?pm$/i }).first().waitFor();

  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog', { name: /new appointment/i });
  await dialog.waitFor();
  const date = dialog.getByLabel('Date');
  await date.fill(`${m}/${d}/${y}`);
  await date.blur();
  assert.equal(await date.getAttribute('data-value'), day, 'month first is read as the practice writes it');
  assert.equal(await date.inputValue(), `${m}/${d}/${y}`);
  await dialog.getByTestId('start-time').fill('2:30 pm');
  await dialog.getByTestId('end-time').fill('3pm');
  await dialog.getByTestId('end-time').blur();
  assert.equal(await dialog.getByTestId('end-time').inputValue(), '3:00 pm');
  await dialog.getByTestId('person-name').fill('Wendy Clarke');
  await screenshot(page, 'booking-dialog-12-hour-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);
  await dialog.getByRole('button', { name: /^book/i }).click();
  await dialog.waitFor({ state: 'detached' });
  const booked = (await hearth.api('list_bookings', {
    from_ms: instant(day, '00:00', tz), to_ms: instant(day, '23:59', tz), include_cancelled: false,
  })).find((b) => b.person_name === 'Wendy Clarke');
  assert.equal(booked.starts_at_ms, instant(day, '14:30', tz), '2:30 pm is 14:30');
  assert.equal(booked.ends_at_ms, instant(day, '15:00', tz));
  // The list and the grid write it the same way.
  await page.getByTestId('booking-item').filter({ hasText: 'Wendy Clarke' }).filter({ hasText: '2:30 pm' }).first().waitFor();

  // The core's own words follow too: a clash is refused "2:30 pm–3:00 pm".
  await page.keyboard.press('n');
  const again = page.getByRole('dialog', { name: /new appointment/i });
  await again.waitFor();
  await again.getByLabel('Date').fill(`${m}/${d}/${y}`);
  await again.getByTestId('start-time').fill('2:45 pm');
  await again.getByTestId('end-time').fill('3:15 pm');
  const chairs = (await hearth.api('list_resources', { include_archived: false })).filter((r) => r.kind === 'chair');
  const wendysChair = chairs.find((c) => booked.resource_ids.includes(c.id));
  await again.getByLabel('Chair').selectOption(String(wendysChair.id));
  await again.getByTestId('person-name').fill('Xavier Long');
  // Before Book, the dialog says who holds the chair, on the practice's clock…
  await again.getByText(`${wendysChair.name} is taken: Wendy Clarke 2:30 pm–3:00 pm.`).waitFor();
  // …and on Book the core refuses in the same words.
  await again.getByRole('button', { name: /^book/i }).click();
  await again.getByRole('alert').filter({ hasText: /2:30 pm–3:00 pm/ }).first().waitFor();
});

test('a hotel with year-first dates and a 12-hour clock: the stay dialog and the check-in time speak that way', async () => {
  const { hearth, page } = await demoPage(cleanup, 'hotel', 'helen');
  await page.getByTestId('open-settings').click();
  await page.getByTestId('time-format').selectOption('12h');
  await page.getByTestId('date-order').selectOption('ymd');
  await page.getByTestId('save-practice').click();
  // The check-in time in the hotel's settings is written on the new clock.
  await page.getByTestId('check-in').and(page.locator('[data-value="15:00"]')).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="check-in"]')?.value === '3:00 pm');
  await page.getByTestId('settings-close').click();
  await page.getByRole('button', { name: /new stay/i }).click();
  const dialog = page.getByRole('dialog', { name: /new stay/i });
  await dialog.waitFor();
  const arrival = dialog.getByLabel('Arrival');
  const iso = await arrival.getAttribute('data-value');
  assert.match(iso, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(await arrival.inputValue(), iso, 'year first, as the hotel writes it');
  assert.equal(await arrival.getAttribute('placeholder'), 'YYYY-MM-DD');
  assert.equal((await hearth.api('get_practice')).practice.date_order, 'ymd');
});
