// A dental front desk on a quiet future day: book by selecting, drag to move, a refused
// move snaps back with the core's words, cancel with a reason, mark arrived by keyboard.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, bookingItem, dragSlot, futureWeekday, instant, launchBrowser, signIn, localDate, localTime, openDay, screenshot,
  coveredByNotice, slotPoint, startHearth,
} from './harness.js';

let hearth, browser, page, practice, tz, chairs, providers, types, desk, day;

/** The bookings on the test day, straight from the core. */
async function bookingsOnDay({ cancelled = false } = {}) {
  return hearth.api('list_bookings', {
    from_ms: instant(day, '00:00', tz),
    to_ms: instant(addDays(day, 1), '00:00', tz),
    include_cancelled: cancelled,
  });
}

/** Book through the core (as another desk would), returning the booking. */
async function bookViaCore(person, chair, startHHMM, endHHMM, { provider = providers[0], type = types[0], notes = '' } = {}) {
  return hearth.api(
    'create_booking',
    {
      person_name: person,
      person_phone: '07700 900123',
      type_id: type.id,
      resource_ids: [chair.id, provider.id],
      time: { kind: 'timed', starts_at_ms: instant(day, startHHMM, tz), ends_at_ms: instant(day, endHHMM, tz) },
      notes,
      override_rules: false,
    },
    desk.id,
  );
}

before(async () => {
  hearth = await startHearth({ demo: 'dental' });
  ({ practice } = await hearth.api('get_practice'));
  tz = practice.time_zone;
  const resources = await hearth.api('list_resources', { include_archived: false });
  chairs = resources.filter((r) => r.kind === 'chair').sort((a, b) => a.sort_order - b.sort_order);
  providers = resources.filter((r) => r.kind === 'provider');
  types = await hearth.api('list_appointment_types', { include_archived: false });
  const staff = await hearth.api('list_staff', { include_archived: false });
  desk = staff.find((s) => s.role === 'front_desk');
  assert.ok(chairs.length >= 3 && providers.length >= 1 && desk, 'the demo has chairs, providers and a front desk');
  // A Tuesday some weeks ahead that the demo left empty.
  for (let weeks = 8; ; weeks++) {
    day = futureWeekday(tz, 2, weeks, hearth.now());
    if ((await bookingsOnDay()).length === 0) break;
    assert.ok(weeks < 30, 'found an empty day');
  }
  browser = await launchBrowser();
  page = await browser.newPage();
  await signIn(page, hearth.url, 'maria');
});

after(async () => {
  await browser?.close();
  await hearth?.stop();
});

test('the receptionist books a check-up by selecting 10:00–10:30 on Chair 2', async () => {
  await openDay(page, hearth.url, day);
  const chair = chairs[1];
  await dragSlot(page, [chair.name, '10:00', 4], [chair.name, '10:15', 18]);

  const dialog = page.getByRole('dialog', { name: /new appointment/i });
  await dialog.waitFor();
  assert.equal(await dialog.getByTestId('start-time').inputValue(), '10:00');
  assert.equal(await dialog.getByTestId('end-time').inputValue(), '10:30');
  assert.equal(await dialog.getByTestId('chair-select').inputValue(), String(chair.id));

  await dialog.getByTestId('person-name').fill('Ana Quintero');
  await dialog.getByLabel('Phone').fill('07700 900555');
  await dialog.getByTestId('provider-select').selectOption(String(providers[0].id));
  await screenshot(page, 'booking-dialog-1366');
  await dialog.getByRole('button', { name: /^book appointment$/i }).click();
  await dialog.waitFor({ state: 'detached' });

  const booked = (await bookingsOnDay()).filter((b) => b.person_name === 'Ana Quintero');
  assert.equal(booked.length, 1, 'the core has exactly one booking for Ana Quintero');
  assert.equal(localTime(booked[0].starts_at_ms, tz), '10:00');
  assert.equal(localTime(booked[0].ends_at_ms, tz), '10:30');
  assert.deepEqual([...booked[0].resource_ids].sort(), [chair.id, providers[0].id].sort());
  const item = bookingItem(page, booked[0].id);
  await item.waitFor();
  assert.match(await item.innerText(), /^\W*Ana Quintero/, 'the person’s name leads the calendar item');
});

test('a booking made by mistake is taken back from its notice: Undo cancels it, saying why', async () => {
  await openDay(page, hearth.url, day);
  await dragSlot(page, [chairs[2].name, '11:00', 4], [chairs[2].name, '11:15', 18]);
  const dialog = page.getByRole('dialog', { name: /new appointment/i });
  await dialog.waitFor();
  await dialog.getByTestId('person-name').fill('Otto Wrongday');
  await dialog.getByTestId('provider-select').selectOption(String(providers[0].id));
  await dialog.getByRole('button', { name: /^book appointment$/i }).click();
  await dialog.waitFor({ state: 'detached' });
  const notice = page.getByTestId('notice-info').filter({ hasText: 'Appointment booked for Otto Wrongday.' });
  await notice.getByRole('button', { name: 'Undo' }).click();
  await page.getByText("Took back Otto Wrongday's appointment.").waitFor();
  const [b] = (await bookingsOnDay({ cancelled: true })).filter((x) => x.person_name === 'Otto Wrongday');
  assert.equal(b.status, 'cancelled');
  assert.equal(b.cancel_reason, 'Booked by mistake: taken back at once');
  await bookingItem(page, b.id).waitFor({ state: 'detached' });
});

test('the dialog shows which chairs and providers are free before Book, and a clash before it is made', async () => {
  const taken = await bookViaCore('Rhea Stone', chairs[0], '16:00', '16:30');
  await openDay(page, hearth.url, day);
  await dragSlot(page, [chairs[1].name, '16:00', 4], [chairs[1].name, '16:15', 18]);
  const dialog = page.getByRole('dialog', { name: /new appointment/i });
  await dialog.waitFor();
  const chair = dialog.getByTestId('chair-select');
  await chair.locator('option', { hasText: `${chairs[0].name} — taken` }).waitFor({ state: 'attached' });
  await chair.locator('option', { hasText: `${chairs[1].name} — free` }).waitFor({ state: 'attached' });
  // The likely provider is chosen for a new booking: a free one (Dr Lind is with Rhea).
  const provider = dialog.getByTestId('provider-select');
  await page.waitForFunction(() => document.querySelector('[data-testid="provider-select"]')?.value !== '');
  const picked = await provider.evaluate((el) => el.selectedOptions[0]?.textContent ?? '');
  assert.match(picked, / — free$/, `a free provider is preselected: ${picked}`);
  // Choosing the taken chair and provider says so before Book.
  await chair.selectOption(String(chairs[0].id));
  await provider.selectOption(String(providers[0].id));
  const clash = dialog.getByTestId('clash');
  await clash.waitFor();
  assert.match(await clash.innerText(), new RegExp(`${chairs[0].name} is taken: Rhea Stone 16:00–16:30\\.`));
  await screenshot(page, 'booking-dialog-free-chairs-1366');
  await chair.selectOption(String(chairs[1].id));
  await page.keyboard.press('Escape');
  const leave = page.getByRole('button', { name: /discard|leave|close without/i });
  if (await leave.count()) await leave.first().click();
  await dialog.waitFor({ state: 'detached' });
  await hearth.api('cancel_booking', { id: taken.id, expected_version: taken.version, reason: 'Test done' });
});

test('a note leaves a mark on the appointment, and hovering shows the whole booking', async () => {
  const b = await bookViaCore('Ida Moss', chairs[1], '15:00', '15:15', { notes: 'Allergic to latex: use nitrile gloves' });
  await openDay(page, hearth.url, day);
  const item = bookingItem(page, b.id);
  await item.waitFor();
  await item.getByTestId('notes-mark').waitFor();
  assert.match(await item.innerText(), /Ida Moss/, 'a 15-minute appointment still shows the name');
  const details = await item.getAttribute('title');
  assert.match(details, /^Ida Moss\n15:00, Chair 2 · Check-up · Dr Lind\n☎ 07700 900123\nNote: Allergic to latex: use nitrile gloves$/);
  await hearth.api('cancel_booking', { id: b.id, expected_version: b.version, reason: 'Test done' });
});

test('dragging an appointment moves it to another chair and time', async () => {
  const b = await bookViaCore('Jonas Berg', chairs[0], '11:00', '11:30');
  await openDay(page, hearth.url, day);
  const item = bookingItem(page, b.id);
  await item.waitFor();
  await dragSlot(page, [chairs[0].name, '11:00'], [chairs[2].name, '13:30']);

  await page.getByText(/Moved Jonas Berg/).waitFor();
  const moved = await hearth.api('get_booking', { id: b.id });
  assert.equal(localTime(moved.starts_at_ms, tz), '13:30');
  assert.equal(localTime(moved.ends_at_ms, tz), '14:00');
  assert.ok(moved.resource_ids.includes(chairs[2].id), 'now on the third chair');
  assert.ok(!moved.resource_ids.includes(chairs[0].id), 'no longer on the first chair');
  assert.ok(moved.version > b.version);

  // Dropped in the wrong place? The notice's Undo puts it back where it was.
  const movedNotice = page.getByTestId('notice-info').filter({ hasText: /Moved Jonas Berg to 13:30/ });
  await movedNotice.waitFor();
  assert.deepEqual(await coveredByNotice(movedNotice), [], 'the notice covers no booking and no button');
  await movedNotice.getByRole("button", { name: "Undo" }).click();
  await page.getByText(new RegExp(`Moved Jonas Berg to 11:00, ${chairs[0].name}`)).waitFor();
  const back = await hearth.api('get_booking', { id: b.id });
  assert.equal(localTime(back.starts_at_ms, tz), '11:00');
  assert.ok(back.resource_ids.includes(chairs[0].id), 'on the first chair again');
  // Later tests book Dr Lind at 11:00 on this day.
  await hearth.api('cancel_booking', { id: b.id, expected_version: back.version, reason: 'Test done' });
});

test('a move onto a taken slot is refused: the core’s message shows and the item snaps back', async () => {
  const first = await bookViaCore('Lena Fischbach', chairs[0], '09:00', '09:30');
  const second = await bookViaCore('Omar Farouk', chairs[0], '10:30', '11:00', { provider: providers[1] ?? providers[0] });
  await openDay(page, hearth.url, day);
  const item = bookingItem(page, second.id);
  await item.waitFor();
  const before = await item.boundingBox();
  await dragSlot(page, [chairs[0].name, '10:30'], [chairs[0].name, '09:00']);

  const alert = page.getByTestId('notice-error');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /Lena Fischbach|taken|booked|overlap/i, `the refusal names the conflict: ${text}`);
  assert.deepEqual(await coveredByNotice(alert), [], 'the refusal covers no booking and no button');
  assert.equal(await alert.locator('.icon').innerText(), '⚠', 'a refusal wears a warning, never a tick');
  await screenshot(page, 'refused-move-1366');

  // It snapped back to 10:30 on the first chair, on screen and in the core.
  const snapped = await slotPoint(page, chairs[0].name, '10:30', { dy: 0, scroll: false });
  const after = await item.boundingBox();
  assert.ok(Math.abs(after.y - snapped.y) <= 3, `the item is back at 10:30 (y ${after.y} vs ${snapped.y}, was ${before.y})`);
  const unchanged = await hearth.api('get_booking', { id: second.id });
  assert.equal(localTime(unchanged.starts_at_ms, tz), '10:30');
  assert.equal(unchanged.version, second.version);
  assert.equal((await hearth.api('get_booking', { id: first.id })).version, first.version);
  await alert.getByRole('button', { name: 'Dismiss' }).click();
});

test('a move into the lunch break is refused with the core’s words and can be overridden on purpose', async () => {
  const b = await bookViaCore('Mila Novak', chairs[1], '14:00', '14:30');
  await openDay(page, hearth.url, day);
  await bookingItem(page, b.id).waitFor();
  await dragSlot(page, [chairs[1].name, '14:00'], [chairs[1].name, '12:00']);
  const alert = page.getByTestId('notice-error');
  await alert.waitFor();
  assert.equal(localTime((await hearth.api('get_booking', { id: b.id })).starts_at_ms, tz), '14:00');
  await alert.getByRole('button', { name: 'Book anyway' }).click();
  await page.getByText(/Moved Mila Novak/).waitFor();
  const moved = await hearth.api('get_booking', { id: b.id });
  assert.equal(localTime(moved.starts_at_ms, tz), '12:00');
  assert.equal(moved.overridden, true, 'the core recorded the override');
});

test('the receptionist cancels an appointment with a reason', async () => {
  const b = await bookViaCore('Sven Olsen', chairs[2], '09:30', '10:00');
  await openDay(page, hearth.url, day);
  await bookingItem(page, b.id).click();
  const dialog = page.getByRole('dialog', { name: /Sven Olsen/ });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: /cancel appointment/i }).click();
  await dialog.getByTestId('cancel-reason').fill('Called in: has the flu');
  await dialog.getByRole('button', { name: /^cancel appointment$/i }).click();
  await dialog.waitFor({ state: 'detached' });

  const all = await bookingsOnDay({ cancelled: true });
  const cancelled = all.find((x) => x.id === b.id);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(cancelled.cancel_reason, 'Called in: has the flu');
  await bookingItem(page, b.id).waitFor({ state: 'detached' });

  // The wrong one? Undo from the notice brings it back, on the grid and in the core.
  await page.getByTestId('notice-info').filter({ hasText: /Cancelled Sven Olsen/ }).getByRole('button', { name: 'Undo' }).click();
  await page.getByText(/Sven Olsen's appointment is back/).waitFor();
  await bookingItem(page, b.id).waitFor();
  assert.equal((await hearth.api('get_booking', { id: b.id })).status, 'booked');

  // Cancelled for real this time: nothing vanishes — shown on request, struck through, with who and why.
  const again = await hearth.api('get_booking', { id: b.id });
  await hearth.api('cancel_booking', { id: b.id, expected_version: again.version, reason: 'Called back: still ill' });
  await bookingItem(page, b.id).waitFor({ state: 'detached' });
  await page.getByTestId('show-cancelled').check();
  const faded = page.locator(`.status-cancelled[data-booking-id="${b.id}"]`);
  await faded.waitFor();
  const style = await faded.locator('.who').evaluate((el) => getComputedStyle(el).textDecorationLine);
  assert.equal(style, 'line-through');
  const why = page.getByTestId('list-item').filter({ hasText: 'Sven Olsen' }).getByTestId('cancelled-why');
  assert.match(await why.innerText(), /^Cancelled by .+: Called back: still ill$/);
  await screenshot(page, 'cancelled-shown-1366');
  await page.getByTestId('show-cancelled').uncheck();
  await faded.waitFor({ state: 'detached' });
});

/**
 * Books someone today on the first chair free at a visible time (with the override:
 * the test may run at night, when the time is past or outside hours).
 */
async function bookToday(person) {
  const today = localDate(hearth.now(), tz);
  const times = [];
  for (let m = 16 * 60 + 30; m >= 8 * 60; m -= 30) times.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  for (const hhmm of times) {
    for (const chair of chairs) {
      for (const provider of providers) {
        const start = instant(today, hhmm, tz);
        try {
          return await hearth.api('create_booking', {
            person_name: person, type_id: types[0].id, resource_ids: [chair.id, provider.id],
            time: { kind: 'timed', starts_at_ms: start, ends_at_ms: start + 30 * 60_000 }, override_rules: true,
          }, desk.id);
        } catch (e) {
          if (e.code !== 'booking.overlap') throw e;
        }
      }
    }
  }
  throw new Error('no free chair today');
}

/** Arrival may be marked any time on the booking's own day (a practice setting). */
async function arrivalsFromMidnight() {
  const { practice: p } = await hearth.api('get_practice');
  const manager = (await hearth.api('list_staff', { include_archived: false })).find((s) => s.role === 'manager');
  await hearth.api('update_practice', {
    expected_version: p.version, name: p.name, time_zone: p.time_zone, slot_minutes: p.slot_minutes,
    check_in_minute: p.check_in_minute, check_out_minute: p.check_out_minute, opening_hours: p.opening_hours,
    early_arrival_minutes: 1440,
  }, manager.id);
}

test('the patient arrives: one keystroke (A) on the focused appointment marks them arrived', async () => {
  await arrivalsFromMidnight();
  const b = await bookToday('Rita Gomez');
  await openDay(page, hearth.url, localDate(hearth.now(), tz));
  const item = bookingItem(page, b.id);
  await item.waitFor();
  await item.focus();
  await page.keyboard.press('a');
  await page.getByText(/Rita Gomez: arrived/i).waitFor();
  const arrived = await hearth.api('get_booking', { id: b.id });
  assert.equal(arrived.status, 'arrived');
  await item.locator('.status-arrived, :scope.status-arrived').or(page.locator(`.status-arrived[data-booking-id="${b.id}"]`)).first().waitFor();
  // And the next key starts treatment, as the core allows from here.
  await page.locator(`[data-booking-id="${b.id}"]`).focus();
  await page.keyboard.press('s');
  await page.getByText(/Rita Gomez: in treatment/i).waitFor();
  assert.equal((await hearth.api('get_booking', { id: b.id })).status, 'in_treatment');
});

test('a future appointment is not offered "arrived": the key gets the core\'s reason, the focus stays, and the dialog has no such button', async () => {
  const b = await bookViaCore('Tom Future', chairs[2], '11:00', '11:30');
  assert.deepEqual(b.next_statuses, ['confirmed'], 'the core offers only a confirmation weeks ahead');
  await openDay(page, hearth.url, day);
  const item = bookingItem(page, b.id);
  await item.waitFor();
  await item.focus();
  await page.keyboard.press('a');
  const refusal = page.getByRole('alert').filter({ hasText: /Tom Future's appointment starts .* 11:00\. It can be marked arrived from .* on\./ });
  await refusal.waitFor();
  assert.equal((await hearth.api('get_booking', { id: b.id })).status, 'booked', 'nothing changed');
  await page.waitForFunction((id) => document.activeElement?.closest('[data-booking-id]')?.getAttribute('data-booking-id') === id, String(b.id));
  await item.click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const group = dialog.getByRole('group', { name: 'Change status' });
  await group.getByRole('button', { name: /confirm/i }).waitFor();
  assert.equal(await group.getByRole('button', { name: /arriv/i }).count(), 0);
  await screenshot(page, 'status-future-not-offered');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
});

test('a status change the core refuses keeps the focus on the appointment, and says why', async () => {
  await arrivalsFromMidnight();
  const b = await bookToday('Nia Stale');
  const today = localDate(hearth.now(), tz);
  // This page hears no change events for a while: another desk's change is not on screen yet.
  const quiet = await browser.newPage();
  await quiet.route('**/api/events', () => {});
  await openDay(quiet, hearth.url, today);
  const item = bookingItem(quiet, b.id);
  await item.waitFor();
  await hearth.api('set_booking_status', { id: b.id, expected_version: b.version, status: 'confirmed' }, desk.id);
  await item.focus();
  await quiet.keyboard.press('a');
  await quiet.getByRole('alert').filter({ hasText: /just changed by/ }).waitFor();
  assert.equal((await hearth.api('get_booking', { id: b.id })).status, 'confirmed', 'the stale change was refused');
  // The list reloaded with the other desk's change, and the focus is still on the booking.
  await quiet.waitForFunction((id) => document.activeElement?.closest('[data-booking-id]')?.getAttribute('data-booking-id') === id, String(b.id));
  // So the next key press acts on it again, now on the current version.
  await quiet.keyboard.press('a');
  await quiet.getByText(/Nia Stale: arrived/i).waitFor();
  await quiet.close();
});

test('a booking in the past asks first: the core refuses, and "Book anyway" records the override', async () => {
  const yesterday = addDays(localDate(hearth.now(), tz), -1);
  await openDay(page, hearth.url, day);
  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog', { name: /new appointment/i });
  await dialog.waitFor();
  await dialog.getByTestId('person-name').fill('Pat Recorded');
  await dialog.getByLabel('Date').fill(yesterday);
  await dialog.getByTestId('start-time').fill('07:00');
  await dialog.getByTestId('end-time').fill('07:30');
  await dialog.getByTestId('chair-select').selectOption(String(chairs[2].id));
  await dialog.getByTestId('provider-select').selectOption(String(providers[0].id));
  await dialog.getByRole('button', { name: /^book appointment$/i }).click();
  const refusal = dialog.getByTestId('dialog-error');
  await refusal.getByText(/is in the past\. Pick a later time, or book anyway/).waitFor();
  await screenshot(page, 'booking-in-past-asks');
  await refusal.getByRole('button', { name: 'Book anyway' }).click();
  await dialog.waitFor({ state: 'detached' });
  const made = (await hearth.api('list_bookings', {
    from_ms: instant(yesterday, '00:00', tz), to_ms: instant(yesterday, '23:59', tz),
  })).find((b) => b.person_name === 'Pat Recorded');
  assert.ok(made, 'booked after the explicit override');
  assert.equal(made.overridden, true);
});

test('a time the clocks skip is adjusted the core\'s way, and the dialog says so', async () => {
  assert.equal(tz, 'Europe/London', 'the demo practice is in London');
  await openDay(page, hearth.url, day);
  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog', { name: /new appointment/i });
  await dialog.waitFor();
  // 28 March 2027: the clocks go from 01:00 to 02:00, so 01:30 does not exist.
  await dialog.getByLabel('Date').fill('2027-03-28');
  await dialog.getByTestId('start-time').fill('01:30');
  await dialog.getByTestId('end-time').fill('02:45');
  const note = dialog.getByTestId('time-adjusted');
  await note.waitFor();
  assert.match(await note.innerText(), /01:30 does not exist on .*28 March 2027 \(the clocks go forward\), so it means 02:30\./);
  await screenshot(page, 'booking-dialog-dst-adjusted');
  // An ordinary day says nothing.
  await dialog.getByLabel('Date').fill('2027-03-29');
  await note.waitFor({ state: 'detached' });
  await page.keyboard.press('Escape');
  const discard = page.getByRole('button', { name: /discard/i });
  if (await discard.count()) await discard.click();
  await dialog.waitFor({ state: 'detached' });
});

test('Escape closes the top layer, and an unsaved dialog asks first', async () => {
  await openDay(page, hearth.url, day);
  await page.keyboard.press('?');
  await page.getByTestId('shortcuts-overlay').waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('shortcuts-overlay').waitFor({ state: 'detached' });

  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog', { name: /new appointment/i });
  await dialog.getByTestId('person-name').fill('Half typed');
  await page.keyboard.press('Escape');
  await dialog.getByText('Discard your unsaved changes?').waitFor();
  await dialog.getByRole('button', { name: 'Discard changes' }).click();
  await dialog.waitFor({ state: 'detached' });
});

test('find next slot: one click on a found slot opens the booking prefilled with it', async () => {
  await openDay(page, hearth.url, day);
  const finder = page.getByTestId('slot-finder');
  const type = types.find((t) => t.duration_minutes >= 60) ?? types[0];
  await finder.getByTestId('finder-type').selectOption(String(type.id));
  await finder.getByLabel('From').fill(day);
  await finder.getByRole('button', { name: 'Find slots' }).click();
  const first = finder.getByRole('list', { name: 'Free slots' }).getByRole('button').first();
  await first.waitFor();
  const slots = await hearth.api('find_slots', {
    type_id: type.id, provider_id: null, chair_id: null, from_date: day, within_days: 14, count: 8, duration_minutes: null,
  });
  assert.ok(slots.length > 0, 'the core found slots');
  await first.click();
  const dialog = page.getByRole('dialog', { name: /new appointment/i });
  await dialog.waitFor();
  assert.equal(await dialog.getByTestId('start-time').inputValue(), localTime(slots[0].starts_at_ms, tz));
  assert.equal(await dialog.getByTestId('end-time').inputValue(), localTime(slots[0].ends_at_ms, tz));
  const chosen = [
    Number(await dialog.getByTestId('chair-select').inputValue()),
    Number(await dialog.getByTestId('provider-select').inputValue()),
  ].sort();
  assert.deepEqual(chosen, [...slots[0].resource_ids].sort());
  await dialog.getByTestId('person-name').fill('Noor Aziz');
  await dialog.getByRole('button', { name: /^book appointment$/i }).click();
  await dialog.waitFor({ state: 'detached' });
  const made = (await hearth.api('list_bookings', {
    from_ms: slots[0].starts_at_ms, to_ms: slots[0].ends_at_ms, include_cancelled: false,
  })).find((b) => b.person_name === 'Noor Aziz');
  assert.ok(made, 'booked in the found slot');
  assert.equal(made.type_id, type.id);

  // The finder asks again when bookings change: it now shows the core's new answer,
  // never the slot that was just taken.
  const after = await hearth.api('find_slots', {
    type_id: type.id, provider_id: null, chair_id: null, from_date: day, within_days: 14, count: 8, duration_minutes: null,
  });
  const names = new Map((await hearth.api('list_resources', { include_archived: false })).map((r) => [r.id, r.name]));
  const expected = [localTime(after[0].starts_at_ms, tz), ...after[0].resource_ids.map((id) => names.get(id))];
  await page.waitForFunction(
    (want) => {
      const b = document.querySelector('[data-testid="slot-finder"] ul[aria-label="Free slots"] button');
      return !!b && want.every((w) => b.textContent.includes(w));
    },
    expected,
    { timeout: 5_000 },
  );
});
