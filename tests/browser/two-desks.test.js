// S7 — Two desks, one calendar: a booking made on one desk appears on the other within a
// second without reloading; when the connection drops the screen says so at once (the
// calendar, and any other screen such as a dentist's My day), and catches up when it is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, bookingItem, dragSlot, futureWeekday, instant, launchBrowser, openDay, screenshot, signIn, startHearth,
} from './harness.js';

let hearth, browser, front, operatory, tz, chairs, providers, day, deskId;

before(async () => {
  hearth = await startHearth({ demo: 'dental' });
  tz = (await hearth.api('get_practice')).practice.time_zone;
  const resources = await hearth.api('list_resources', { include_archived: false });
  chairs = resources.filter((r) => r.kind === 'chair').sort((a, b) => a.sort_order - b.sort_order);
  providers = resources.filter((r) => r.kind === 'provider');
  deskId = (await hearth.api('list_staff', { include_archived: false })).find((s) => s.role === 'front_desk').id;
  for (let weeks = 9; ; weeks++) {
    day = futureWeekday(tz, 3, weeks, hearth.now());
    const on = await hearth.api('list_bookings', {
      from_ms: instant(day, '00:00', tz), to_ms: instant(addDays(day, 1), '00:00', tz), include_cancelled: false,
    });
    if (on.length === 0) break;
  }
  browser = await launchBrowser();
  front = await browser.newPage();
  operatory = await browser.context.newPage();
  // One browser profile: the front desk signs in, the operatory's tab shares the session.
  await signIn(front, hearth.url, 'maria');
  await openDay(front, hearth.url, day);
  await openDay(operatory, hearth.url, day);
});

after(async () => {
  await browser?.close();
  await hearth?.stop();
});

test('a booking made at the front desk appears in the operatory within a second, without reloading', async () => {
  await dragSlot(front, [chairs[0].name, '09:00', 4], [chairs[0].name, '09:15', 18]);
  const dialog = front.getByRole('dialog', { name: /new appointment/i });
  await dialog.getByTestId('person-name').fill('Kofi Asante');
  await dialog.getByTestId('provider-select').selectOption(String(providers[0].id));
  await dialog.getByRole('button', { name: /^book appointment$/i }).click();
  await dialog.waitFor({ state: 'detached' });
  const booked = (await hearth.api('list_bookings', {
    from_ms: instant(day, '00:00', tz), to_ms: instant(addDays(day, 1), '00:00', tz), include_cancelled: false,
  })).find((b) => b.person_name === 'Kofi Asante');
  assert.ok(booked, 'the core has the booking');
  const started = Date.now();
  await bookingItem(operatory, booked.id).waitFor({ timeout: 1000 });
  assert.ok(Date.now() - started <= 1000);
  assert.match(await bookingItem(operatory, booked.id).innerText(), /Kofi Asante/);
});

test('a move made in the operatory shows at the front desk within a second', async () => {
  const b = await hearth.api('create_booking', {
    person_name: 'Ines Duarte', person_phone: '', type_id: (await hearth.api('list_appointment_types', { include_archived: false }))[0].id,
    resource_ids: [chairs[1].id, providers[0].id],
    time: { kind: 'timed', starts_at_ms: instant(day, '10:00', tz), ends_at_ms: instant(day, '10:30', tz) },
    notes: '', override_rules: false,
  }, deskId);
  await bookingItem(front, b.id).waitFor({ timeout: 1000 });
  await bookingItem(operatory, b.id).waitFor({ timeout: 1000 });
  await dragSlot(operatory, [chairs[1].name, '10:00'], [chairs[2].name, '11:00']);
  await operatory.getByText(/Moved Ines Duarte/).waitFor();
  const started = Date.now();
  await front.waitForFunction(
    (id) => document.querySelector(`[data-booking-id="${id}"]`)?.textContent?.includes('11:00–11:30'),
    b.id,
    { timeout: 1000 },
  );
  assert.ok(Date.now() - started <= 1000);
});

/**
 * Watches a page's live line from inside it: every text the "Live" indicator shows, each
 * time the can't-be-reached banner appears, and each notice that appears (by its words).
 */
async function watchLine(page) {
  await page.evaluate(() => {
    const seen = { states: [], banners: 0, notices: [] };
    window.__line = seen;
    const status = () => document.querySelector('[data-testid="connection-status"]')?.textContent?.trim() ?? '';
    seen.states.push(status());
    let banner = false;
    const known = new WeakSet();
    new MutationObserver(() => {
      const s = status();
      if (s !== seen.states.at(-1)) seen.states.push(s);
      const b = document.querySelector('[data-testid="connection-lost"]') !== null;
      if (b && !banner) seen.banners++;
      banner = b;
      for (const n of document.querySelectorAll('[data-testid^="notice-"]')) {
        if (!known.has(n)) {
          known.add(n);
          seen.notices.push(n.textContent.trim());
        }
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => window.__line);
}

test('an idle desk stays live: for a minute the indicator says Live and no notice appears', async () => {
  await front.getByTestId('connection-status').filter({ hasText: 'Live' }).waitFor();
  const line = await watchLine(front);
  await front.waitForTimeout(60_000);
  const seen = await line();
  assert.deepEqual(seen.states, ['●Live'], `the indicator changed: ${seen.states.join(' → ')}`);
  assert.equal(seen.banners, 0, 'no "can\'t be reached" banner');
  assert.deepEqual(seen.notices, [], 'no notice');
});

test('a cut line is told once and its return once: one banner, one "back" notice', async () => {
  const line = await watchLine(front);
  await hearth.goAway();
  await front.getByTestId('connection-lost').waitFor({ timeout: 3000 });
  await front.waitForTimeout(4000); // the desk keeps trying while the practice computer is gone
  await hearth.comeBack();
  await front.getByTestId('connection-lost').waitFor({ state: 'detached', timeout: 10_000 });
  await front.waitForTimeout(5000); // and stays settled once it is back
  const seen = await line();
  assert.equal(seen.banners, 1, 'one banner for one outage');
  // (each notice's words after its mark)
  assert.deepEqual(seen.notices.map((n) => n.replace(/^[^A-Za-z]+/, '')), ['The practice computer is back: the calendar has caught up.']);
  assert.deepEqual(seen.states, ['●Live', '✕Offline', '●Live'], `the indicator went ${seen.states.join(' → ')}`);
});

test('when the network drops the desk says so at once, and catches up when it is back', async () => {
  await hearth.goAway();
  const banner = front.getByTestId('connection-lost');
  await banner.waitFor({ timeout: 2000 });
  assert.match(await banner.innerText(), /can't be reached — showing the calendar as of \d\d:\d\d/);

  await hearth.comeBack();
  // Something changed while this desk was away: it must show it once reconnected.
  const b = await hearth.api('create_booking', {
    person_name: 'Yara Haddad', person_phone: '', type_id: (await hearth.api('list_appointment_types', { include_archived: false }))[0].id,
    resource_ids: [chairs[2].id, providers[0].id],
    time: { kind: 'timed', starts_at_ms: instant(day, '14:00', tz), ends_at_ms: instant(day, '14:30', tz) },
    notes: '', override_rules: false,
  }, deskId);
  await banner.waitFor({ state: 'detached', timeout: 10000 });
  await bookingItem(front, b.id).waitFor({ timeout: 3000 });
});

test('a dentist on My day in the operatory is told too: no screen shows old data as current', async () => {
  // Another computer: the dentist signs in there and lands on their own day.
  const chair = await launchBrowser();
  try {
    const page = await chair.newPage();
    await signIn(page, hearth.url, 'sofia');
    const myDay = page.getByTestId('my-day');
    await myDay.waitFor();
    await hearth.goAway();
    const banner = page.getByTestId('connection-lost');
    await banner.waitFor({ timeout: 3000 });
    assert.match(await banner.innerText(), /can't be reached — showing this screen as of \d\d:\d\d/);
    assert.match(await banner.innerText(), /Nothing can be changed until it is back/);
    await screenshot(page, 'my-day-unreachable-1366');
    await hearth.comeBack();
    await banner.waitFor({ state: 'detached', timeout: 10000 });
    await page.getByText('The practice computer is back: this screen has caught up.').waitFor({ timeout: 5000 });
    assert.equal(await myDay.count(), 1, 'still on My day');
  } finally {
    await chair.close();
  }
});

test('when the network goes silent (nothing closes) the desk still says so within three seconds', async () => {
  const banner = front.getByTestId('connection-lost');
  await banner.waitFor({ state: 'detached', timeout: 10000 });
  const silent = Date.now();
  hearth.freeze();
  try {
    await banner.waitFor({ timeout: 3000 });
    assert.ok(Date.now() - silent <= 3000);
  } finally {
    hearth.thaw();
  }
  await banner.waitFor({ state: 'detached', timeout: 10000 });
});
