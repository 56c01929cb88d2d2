// Start-up, in the order that keeps it quick (docs/performance.md, "Start-up time"): the
// session is read before anything else, the desk's first reads go at once, and the day's
// bookings are asked for while the calendar draws for the first time, not after it. The
// window marks its steps (ui/src/lib/marks.ts); the browser's own network timings say when
// each read left.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanups, launchBrowser, startHearth } from './harness.js';

const cleanup = cleanups(after);

test('after the one-click sign-in the desk reads at once and the day’s bookings leave before the grid is drawn', async () => {
  const hearth = await startHearth({ demo: 'dental' });
  cleanup(() => hearth.stop());
  const browser = await launchBrowser();
  cleanup(() => browser.close());
  const page = await browser.newPage();
  await page.goto(hearth.url);
  await page.getByTestId('demo-login-maria').click();
  await page.locator('[data-testid="calendar"] .ec-event').first().waitFor();
  await page.waitForFunction(() => performance.getEntriesByName('hearth:drawn').length > 0);
  const { marks, reads } = await page.evaluate(() => ({
    marks: Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name.replace('hearth:', ''), m.startTime])),
    reads: performance.getEntriesByType('resource')
      .filter((r) => r.name.includes('/api/'))
      .map((r) => ({ name: r.name.split('/').pop(), start: r.startTime, end: r.responseEnd })),
  }));
  const order = ['script', 'session', 'sign-in-shown', 'sign-in', 'signed-in', 'desk', 'calendar', 'calendar-drawn', 'bookings', 'drawn'];
  for (const step of order) assert.ok(marks[step] !== undefined, `the window marked "${step}"`);
  const sorted = [...order].sort((a, b) => marks[a] - marks[b]);
  assert.deepEqual(sorted, order, 'the steps come in this order');

  // The session is the first read, asked before the first draw.
  assert.equal(reads[0].name, 'session');
  // The desk's five reads all leave before any of them is back.
  const desk = ['get_practice', 'list_staff', 'list_resources', 'list_appointment_types', 'list_room_types']
    .map((n) => reads.find((r) => r.name === n));
  assert.ok(desk.every(Boolean), 'the desk read its practice, staff, places and types');
  assert.ok(Math.max(...desk.map((r) => r.start)) < Math.min(...desk.map((r) => r.end)), 'at once, not one after another');
  // The day's bookings and blocked time leave before the calendar's first draw, so they
  // come back while it draws.
  for (const n of ['list_bookings', 'list_blocks']) {
    const r = reads.find((x) => x.name === n);
    assert.ok(r, `${n} was read`);
    // ('calendar' is marked as its script ends, before any of the grid is built.)
    assert.ok(r.start >= marks.desk && r.start <= marks.calendar, `${n} left before the grid was built`);
  }
  // Exactly once each: the grid's first range is not asked for twice.
  assert.equal(reads.filter((r) => r.name === 'list_bookings').length, 1);
});
