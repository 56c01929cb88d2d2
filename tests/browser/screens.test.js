// The main screens as a newcomer meets them: first run opens the demo; the dental day
// and week; the hotel tape chart. Each is photographed at 1366×768 and 1920×1080 for
// docs/screenshots/ and checked with axe-core (no serious or critical violations).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, cleanups, launchBrowser, localDate, nextWeekdayAt, screenshot, seriousA11yProblems, signIn, startHearth,
} from './harness.js';

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];
const cleanup = cleanups(after);
const serious = seriousA11yProblems;

async function noHorizontalScroll(page) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `no horizontal scrolling (${scroll} > ${client})`);
}

test('first run: the newcomer opens the dental demo practice from the welcome screen', async () => {
  const hearth = await startHearth({ demo: null });
  cleanup(() => hearth.stop());
  assert.equal((await hearth.session()).practice, null, 'an empty practice file');
  const browser = await launchBrowser();
  cleanup(() => browser.close());
  const page = await browser.newPage();
  await page.goto(hearth.url);
  await page.getByRole('heading', { name: 'Open the demo practice' }).waitFor();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await noHorizontalScroll(page);
    await screenshot(page, `first-run-${size.width}`);
  }
  assert.deepEqual(await serious(page), []);
  await page.setViewportSize(SIZES[0]);

  await page.getByLabel('Dental office').first().check();
  await page.getByRole('button', { name: 'Open the demo practice' }).click();
  await page.locator('[data-testid="calendar"] [data-booking-id]').first().waitFor();
  const { practice } = await hearth.api('get_practice');
  assert.equal(practice.kind, 'dental');
  assert.equal(await page.getByTestId('practice-name').innerText(), practice.name);
});

test('on a Sunday evening the demo opens on Monday, lived-in, and says the practice is closed today', async () => {
  // The practice's clock: the coming Sunday at 21:45 in the demo's zone.
  const tz = 'Europe/London';
  const sunday = nextWeekdayAt(7, '21:45', tz, Date.now());
  const [today, monday] = [localDate(sunday, tz), addDays(localDate(sunday, tz), 1)];
  const hearth = await startHearth({ demo: null, at: sunday });
  cleanup(() => hearth.stop());
  const browser = await launchBrowser();
  cleanup(() => browser.close());
  const page = await browser.newPage();
  await page.goto(hearth.url);
  await page.getByLabel('Dental office').first().check();
  await page.getByRole('button', { name: 'Open the demo practice' }).click();
  // Monday's appointments, not an empty Sunday, and the reason in words.
  await page.locator(`[data-testid="calendar"][data-date="${monday}"] [data-booking-id]`).first().waitFor();
  const note = page.getByTestId('closed-today');
  assert.match(await note.innerText(), /^Closed on Sundays — today is Sun\b.*\. Showing Mon\b.*, the next day the practice is open\./);
  assert.ok((await page.locator('[data-testid="calendar"] [data-booking-id]').count()) >= 10, 'a lived-in Monday');
  await screenshot(page, 'closed-today-demo-1366');
  assert.deepEqual(await serious(page), []);
  // Today is one click away, and the note goes with it.
  await note.getByRole('button', { name: 'Show today' }).click();
  await page.locator(`[data-testid="calendar"][data-date="${today}"]`).waitFor();
  await note.waitFor({ state: 'detached' });
  // A closed day says "Closed" on every chair, not a blank grey grid.
  await page.locator('[data-testid="calendar"] .bg-label', { hasText: /^Closed$/ }).first().waitFor();
  await screenshot(page, 'closed-day-1366');
  // Forward again to Monday: no note (it was only the opening day's).
  await page.keyboard.press('ArrowRight');
  await page.locator(`[data-testid="calendar"][data-date="${monday}"]`).waitFor();
  assert.equal(await note.count(), 0);

  // A dentist's own day opens on Monday too, with the same words.
  const dentist = await (await launchBrowser()).newPage();
  cleanup(() => dentist.context().close());
  await signIn(dentist, hearth.url, 'sofia');
  await dentist.getByTestId('my-day-visit').first().waitFor();
  assert.match(await dentist.getByTestId('closed-today').innerText(), /^Closed on Sundays — today is Sun\b.* Showing Mon\b/);
  assert.match(await dentist.getByTestId('my-day-date').innerText(), /^Monday\b/);
});

test('dental: the busy day by chairs and the week, legible at both screen sizes', async () => {
  const hearth = await startHearth({ demo: 'dental' });
  cleanup(() => hearth.stop());
  const browser = await launchBrowser();
  cleanup(() => browser.close());
  const page = await browser.newPage();
  await signIn(page, hearth.url, 'maria');
  await page.locator('[data-testid="calendar"] [data-booking-id]').first().waitFor();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.keyboard.press('d');
    await page.locator('[data-view="day"] [data-booking-id]').first().waitFor();
    await page.waitForTimeout(300);
    await noHorizontalScroll(page);
    await screenshot(page, `dental-day-${size.width}`);
    if (size.width === 1366) assert.deepEqual(await serious(page), []);

    await page.keyboard.press('w');
    await page.locator('[data-view="week"] [data-booking-id]').first().waitFor();
    await page.waitForTimeout(300);
    await noHorizontalScroll(page);
    await screenshot(page, `dental-week-${size.width}`);
    if (size.width === 1366) assert.deepEqual(await serious(page), []);
  }
  await page.setViewportSize(SIZES[0]);
  await page.keyboard.press('d');
  // The side panel at 1366×768: the day's list keeps room for about eight people, and the
  // finder's answer is brought into view when asked for.
  const list = page.locator('ul[aria-label$="in view"]');
  const rows = await list.evaluate((ul) => ul.clientHeight / (ul.querySelector('li')?.getBoundingClientRect().height || 1));
  assert.ok(rows >= 7, `the day's list shows ${rows.toFixed(1)} rows`);
  await page.getByRole('button', { name: 'Find slots' }).click();
  const results = page.locator('ul[aria-label="Free slots"]');
  await results.waitFor();
  await page.waitForTimeout(300);
  const inView = await results.evaluate((ul) => {
    const r = ul.getBoundingClientRect();
    const side = ul.closest('aside')?.getBoundingClientRect();
    return !!side && r.top >= side.top && r.top + 40 <= side.bottom;
  });
  assert.ok(inView, 'the first found slots are in view');
  await screenshot(page, 'side-panel-finder-1366');
  await page.keyboard.press('?');
  await page.getByTestId('shortcuts-overlay').waitFor();
  await screenshot(page, 'shortcuts-1366');
  assert.deepEqual(await serious(page), []);
  await page.keyboard.press('Escape');
  // The booking dialog of an existing appointment.
  await page.locator('[data-view="day"] [data-booking-id]').first().click();
  await page.getByRole('dialog').waitFor();
  await screenshot(page, 'booking-edit-1366');
  assert.deepEqual(await serious(page), []);
});

test('hotel: the rooms × nights tape chart, grouped by room type', async () => {
  const hearth = await startHearth({ demo: 'hotel' });
  cleanup(() => hearth.stop());
  const browser = await launchBrowser();
  cleanup(() => browser.close());
  const page = await browser.newPage();
  await signIn(page, hearth.url, 'maria');
  await page.locator('[data-testid="calendar"] [data-booking-id]').first().waitFor();
  const roomTypes = await hearth.api('list_room_types', {});
  for (const rt of roomTypes) await page.getByText(rt.name, { exact: true }).first().waitFor();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    await noHorizontalScroll(page);
    await screenshot(page, `hotel-tape-chart-${size.width}`);
  }
  assert.deepEqual(await serious(page), []);
});
