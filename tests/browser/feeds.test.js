// A practitioner's week on their phone (issue 24, calendar feeds): Dr Lind turns on the feed of
// her bookings from her own menu; the secret address is shown once; the feed is iCalendar with
// initials only and reaches nothing else; a new address stops the old one; turning it off
// withdraws it. And a booking handed to the patient as an .ics file.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanups, demoPage, screenshot, seriousA11yProblems } from './harness.js';

const cleanup = cleanups(after);

test('Dr Lind puts her calendar on her phone, gives it a new address, then withdraws it', async () => {
  // A practitioner opens on My day.
  const { hearth, page } = await demoPage(cleanup, 'dental', 'sofia');
  await page.getByTestId('my-day').getByTestId('open-feeds').click();
  const feeds = page.getByTestId('calendar-feeds');
  const rows = feeds.getByTestId('feed-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1, 'only her own calendar');
  assert.match(await rows.first().innerText(), /Dr Lind/);
  assert.equal(await feeds.getByText('Full names instead of initials').count(), 0, 'a manager’s choice');

  await rows.first().getByTestId('feed-on').check();
  const link = await feeds.getByTestId('feed-link').inputValue();
  assert.match(link, new RegExp(`^${hearth.url.replace(/[.]/g, '\\.')}/feeds/[a-z2-7]{52}\\.ics$`));
  await screenshot(page, 'calendar-feed-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);

  const res = await fetch(link);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/calendar/);
  const text = await res.text();
  assert.ok(text.startsWith('BEGIN:VCALENDAR') && text.includes('BEGIN:VTIMEZONE') && text.includes('TZID=Europe/London'), text.slice(0, 300));
  // Her bookings are in it, each with initials: never a name or a phone.
  const bookings = await hearth.api('list_bookings', { from_ms: hearth.now(), to_ms: hearth.now() + 14 * 86_400_000 });
  const lind = (await hearth.api('list_resources', {})).find((r) => r.name === 'Dr Lind');
  const hers = bookings.filter((b) => b.resource_ids.includes(lind.id) && b.status !== 'cancelled');
  assert.ok(hers.length > 0, 'the demo books Dr Lind');
  for (const b of hers) {
    assert.ok(text.includes(`UID:booking-${b.id}@`), `booking ${b.id} in the feed`);
    assert.ok(!text.includes(b.person_name), `${b.person_name} is not in the feed`);
    if (b.person_phone) assert.ok(!text.includes(b.person_phone));
  }
  const others = bookings.filter((b) => !b.resource_ids.includes(lind.id));
  for (const b of others) assert.ok(!text.includes(`UID:booking-${b.id}@`), 'another provider’s booking is not in hers');

  // A new address: the old one stops.
  await rows.first().getByTestId('feed-new-link').click();
  await feeds.getByTestId('feed-link').and(page.locator(`:not([value="${link}"])`)).waitFor();
  const renewed = await feeds.getByTestId('feed-link').inputValue();
  assert.notEqual(renewed, link);
  assert.equal((await fetch(link)).status, 404);
  assert.equal((await fetch(renewed)).status, 200);
  // Off: withdrawn.
  await rows.first().getByTestId('feed-on').uncheck();
  await feeds.getByTestId('feed-link').waitFor({ state: 'detached' });
  assert.equal((await fetch(renewed)).status, 404);
});

test('a booking handed to the patient as an .ics file; the manager’s feeds from the account menu', async () => {
  const { page } = await demoPage(cleanup, 'dental', 'helen');
  await page.getByTestId('account-menu').click();
  await page.getByTestId('open-feeds').click();
  const feeds = page.getByTestId('calendar-feeds');
  await feeds.getByTestId('feed-row').nth(2).waitFor();
  assert.equal(await feeds.getByTestId('feed-row').count(), 3, 'every provider’s, for a manager');
  await page.keyboard.press('Escape');
  await page.locator('[data-view="day"] [data-booking-id]').first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('booking-ics').waitFor();
  await screenshot(page, 'booking-ics-1366');
  const [file] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('booking-ics').click()]);
  assert.match(file.suggestedFilename(), /^riverside-dental-\d{4}-\d{2}-\d{2}\.ics$/);
  const text = await (await file.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
  assert.ok(text.includes('BEGIN:VEVENT') && text.includes('at Riverside Dental') && text.includes('DTSTART;TZID=Europe/London:'), text);
});
