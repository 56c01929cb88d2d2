// Start-up, in the order that keeps it quick (docs/performance.md, "Start-up time"): the
// session is read before anything else, the desk's first reads go at once, and the day's
// bookings are asked for before the calendar draws for the first time, not after it. The
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
  // The practice's settings are held back until the desk's other four reads have left:
  // a desk that waited for them first would never send the others.
  const others = ['list_staff', 'list_resources', 'list_appointment_types', 'list_room_types'];
  const sent = new Set();
  let held = false;
  let heldTooLong = false;
  let allSent;
  const othersSent = new Promise((resolve) => (allSent = resolve));
  await page.route('**/api/commands/*', async (route) => {
    const name = route.request().url().split('/').pop();
    if (others.includes(name)) {
      sent.add(name);
      if (sent.size === others.length) allSent(true);
    }
    if (name === 'get_practice' && !held) {
      held = true;
      const inTime = await Promise.race([othersSent, new Promise((r) => setTimeout(() => r(false), 3000))]);
      if (!inTime) heldTooLong = true;
    }
    await route.continue();
  });
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
  // The desk's five reads leave at once: the other four went while the practice's
  // settings were held back.
  assert.equal(heldTooLong, false, 'the desk waited for the practice before its other reads');
  for (const n of ['get_practice', ...others]) assert.ok(reads.some((r) => r.name === n), `the desk read ${n}`);
  // The day's bookings and blocked time leave before the calendar's first draw, so they
  // come back while it draws.
  for (const n of ['list_bookings', 'list_blocks']) {
    const r = reads.find((x) => x.name === n);
    assert.ok(r, `${n} was read`);
    // ('calendar' is marked as its script ends, before any of the grid is built.)
    assert.ok(r.start >= marks.desk && r.start <= marks.calendar, `${n} left before the grid was built`);
  }
  // Exactly once: the grid's first range is not asked for twice. Only once it is drawn
  // are the days ← and → lead to asked for (one each), never before.
  const bookingReads = reads.filter((r) => r.name === 'list_bookings');
  assert.equal(bookingReads.filter((r) => r.start < marks.drawn).length, 1, 'the first day, once, before it was drawn');
  assert.ok(bookingReads.length <= 3, `the day and its two neighbours at most (${bookingReads.length})`);
});
