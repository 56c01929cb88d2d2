// A hotel front desk on the tape chart (rooms × nights), a fortnight some weeks ahead that
// the demo left empty: book a stay by selecting nights on a room's row, drag a stay to
// another room and other dates, a move onto a taken room is refused with the core's words
// and snaps back, and a guest is checked in with one key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, bookingItem, dragNights, instant, launchBrowser, signIn, localDate, nightPoint, screenshot, startHearth,
} from './harness.js';

let hearth, browser, page, tz, rooms, stayType, desk, first;

/** The stays in the test fortnight, straight from the core. */
async function staysInView({ cancelled = false } = {}) {
  return hearth.api('list_bookings', {
    from_ms: instant(first, '00:00', tz),
    to_ms: instant(addDays(first, 14), '00:00', tz),
    include_cancelled: cancelled,
  });
}

/** Book a stay through the core (as another desk would), returning the booking. */
async function stayViaCore(guest, room, arrival, departure) {
  return hearth.api(
    'create_booking',
    {
      person_name: guest,
      person_phone: '07700 900321',
      type_id: stayType.id,
      resource_ids: [room.id],
      time: { kind: 'nights', arrival, departure },
      notes: '',
      override_rules: false,
    },
    desk.id,
  );
}

/** Open the tape chart on a fortnight starting on `date`. */
async function openTape(date = first) {
  await page.goto(`${hearth.url}/?date=${date}`);
  await page.locator('[data-testid="calendar"][data-view="tape"] .ec-body').waitFor();
  await page.locator(`.ec-header .ec-col-head time[datetime="${date}"]`).waitFor();
}

const room = (name) => rooms.find((r) => r.name === name);

before(async () => {
  hearth = await startHearth({ demo: 'hotel' });
  const { practice } = await hearth.api('get_practice');
  assert.equal(practice.kind, 'hotel');
  tz = practice.time_zone;
  rooms = (await hearth.api('list_resources', { include_archived: false }))
    .filter((r) => r.kind === 'room')
    .sort((a, b) => a.sort_order - b.sort_order);
  stayType = (await hearth.api('list_appointment_types', { include_archived: false })).find((t) => t.needs_room);
  const staff = await hearth.api('list_staff', { include_archived: false });
  desk = staff.find((s) => s.role === 'front_desk');
  assert.ok(rooms.length >= 4 && stayType && desk, 'the demo has rooms, a stay type and a front desk');
  // A Monday some weeks ahead whose fortnight the demo left empty.
  const today = localDate(hearth.now(), tz);
  const [y, m, d] = today.split('-').map(Number);
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
  for (let weeks = 8; ; weeks++) {
    first = addDays(today, weeks * 7 + ((8 - dow) % 7));
    if ((await staysInView()).length === 0) break;
    assert.ok(weeks < 60, 'found an empty fortnight');
  }
  browser = await launchBrowser();
  page = await browser.newPage();
  await signIn(page, hearth.url, 'maria');
});

after(async () => {
  await browser?.close();
  await hearth?.stop();
});

test('the receptionist books a stay by selecting three nights on Room 102', async () => {
  await openTape();
  const r = rooms[1];
  const arrival = addDays(first, 1);
  // Select Tuesday, Wednesday and Thursday night: the guest leaves on Friday.
  await dragNights(page, [r.name, arrival], [r.name, addDays(arrival, 2)]);

  const dialog = page.getByRole('dialog', { name: /new stay/i });
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel('Arrival').getAttribute('data-value'), arrival);
  assert.equal(await dialog.getByLabel('Arrival').inputValue(), arrival.split('-').reverse().join('/'), 'day first, the practice’s way');
  assert.equal(await dialog.getByLabel('Departure').getAttribute('data-value'), addDays(arrival, 3));
  assert.equal(await dialog.getByTestId('room-select').inputValue(), String(r.id));
  await dialog.getByText('3 nights').waitFor();

  await dialog.getByTestId('person-name').fill('Ingrid Dahl');
  await dialog.getByLabel('Phone').fill('07700 900777');
  await screenshot(page, 'hotel-booking-dialog-1366');
  await dialog.getByRole('button', { name: /^book stay$/i }).click();
  await dialog.waitFor({ state: 'detached' });

  const booked = (await staysInView()).filter((b) => b.person_name === 'Ingrid Dahl');
  assert.equal(booked.length, 1, 'the core has exactly one stay for Ingrid Dahl');
  assert.equal(booked[0].arrival_date, arrival);
  assert.equal(booked[0].departure_date, addDays(arrival, 3));
  assert.deepEqual(booked[0].resource_ids, [r.id]);
  assert.equal(booked[0].type_id, stayType.id);
  const item = bookingItem(page, booked[0].id);
  await item.waitFor();
  assert.match(await item.innerText(), /^\W*Ingrid Dahl/, 'the guest’s name leads the stay on the chart');
});

test('a guest given a second room the same nights: the desk is asked, books it on purpose, and both stays say so', async () => {
  const arrival = addDays(first, 5);
  const theirs = await stayViaCore('Chiara Ricci', rooms[0], arrival, addDays(arrival, 2));
  await openTape();
  await dragNights(page, [rooms[1].name, arrival], [rooms[1].name, addDays(arrival, 1)]);
  const dialog = page.getByRole('dialog', { name: /new stay/i });
  await dialog.waitFor();
  await dialog.getByTestId('person-name').fill('Chiara Ricci');
  await dialog.getByLabel('Phone').fill('07700 900321');
  await dialog.getByRole('button', { name: /^book stay$/i }).click();
  // Asked, in words, with the room she has; nothing is booked until the desk says so.
  const error = dialog.getByTestId('dialog-error');
  await error.waitFor();
  assert.match(await error.innerText(), new RegExp(`^Chiara Ricci already has ${rooms[0].name} for .*a family in two rooms`));
  assert.equal((await staysInView()).filter((b) => b.person_name === 'Chiara Ricci').length, 1);
  await screenshot(page, 'hotel-second-room-asked-1366');
  await dialog.getByRole('button', { name: 'Book anyway' }).click();
  await dialog.waitFor({ state: 'detached' });
  const both = (await staysInView()).filter((b) => b.person_name === 'Chiara Ricci');
  assert.equal(both.length, 2);
  const second = both.find((b) => b.id !== theirs.id);
  assert.equal(second.overridden, true, 'recorded as a choice');
  assert.deepEqual(second.also_rooms, [rooms[0].name]);
  // Each stay on the chart names the other room.
  await bookingItem(page, theirs.id).getByTestId('also-rooms').filter({ hasText: `also ${rooms[1].name}` }).waitFor();
  await bookingItem(page, second.id).getByTestId('also-rooms').filter({ hasText: `also ${rooms[0].name}` }).waitFor();
});

test('dragging a stay moves it to another room, then to other nights', async () => {
  const from = rooms[2];
  const to = rooms[3];
  const arrival = addDays(first, 2);
  const b = await stayViaCore('Pavel Novak', from, arrival, addDays(arrival, 2));
  await openTape();
  await bookingItem(page, b.id).waitFor();

  // To another room, same nights.
  await dragNights(page, [from.name, arrival], [to.name, arrival]);
  await page.getByText(/Moved Pavel Novak/).waitFor();
  const moved = await hearth.api('get_booking', { id: b.id });
  assert.deepEqual(moved.resource_ids, [to.id], 'now in the other room');
  assert.equal(moved.arrival_date, arrival);
  assert.equal(moved.departure_date, addDays(arrival, 2));
  assert.ok(moved.version > b.version);

  // Then three days later, in the same room: still two nights.
  await bookingItem(page, b.id).waitFor();
  await dragNights(page, [to.name, arrival], [to.name, addDays(arrival, 3)]);
  await page.waitForFunction(
    async ({ id, want }) => {
      const r = await fetch('/api/commands/get_booking', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }),
      });
      return (await r.json()).arrival_date === want;
    },
    { id: b.id, want: addDays(arrival, 3) },
    { timeout: 5000 },
  );
  const later = await hearth.api('get_booking', { id: b.id });
  assert.equal(later.arrival_date, addDays(arrival, 3));
  assert.equal(later.departure_date, addDays(arrival, 5));
  assert.deepEqual(later.resource_ids, [to.id]);
  assert.ok(later.version > moved.version);

  // And both at once: back to the first room and one night earlier.
  await page.getByText(/Moved Pavel Novak/).first().waitFor();
  await dragNights(page, [to.name, addDays(arrival, 3)], [from.name, addDays(arrival, 2)]);
  await page.waitForFunction(
    async ({ id, version }) => {
      const r = await fetch('/api/commands/get_booking', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }),
      });
      return (await r.json()).version > version;
    },
    { id: b.id, version: later.version },
    { timeout: 5000 },
  );
  const both = await hearth.api('get_booking', { id: b.id });
  assert.deepEqual(both.resource_ids, [from.id]);
  assert.equal(both.arrival_date, addDays(arrival, 2));
  assert.equal(both.departure_date, addDays(arrival, 4));
});

test('a move onto a room taken those nights is refused: the core’s message shows and the stay snaps back', async () => {
  const taken = rooms[4];
  const other = rooms[5];
  const arrival = addDays(first, 8);
  const sitting = await stayViaCore('Greta Lind', taken, arrival, addDays(arrival, 3));
  const mover = await stayViaCore('Hugo Marsh', other, addDays(arrival, 1), addDays(arrival, 3));
  await openTape(arrival);
  const item = bookingItem(page, mover.id);
  await item.waitFor();
  const before = await item.boundingBox();
  await dragNights(page, [other.name, addDays(arrival, 1)], [taken.name, addDays(arrival, 1)]);

  const alert = page.getByTestId('notice-error');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, new RegExp(`${taken.name} is booked .*Greta Lind.* pick another room or dates`), `the core’s words: ${text}`);
  await screenshot(page, 'hotel-refused-move-1366');

  // Back on its own row and nights, on screen and in the core.
  const home = await nightPoint(page, other.name, addDays(arrival, 1));
  await page.waitForFunction(
    ({ id, y }) => {
      const r = document.querySelector(`[data-booking-id="${id}"]`)?.getBoundingClientRect();
      return r && Math.abs(r.top + r.height / 2 - y) <= 6;
    },
    { id: mover.id, y: home.y },
    { timeout: 3000 },
  );
  const after = await item.boundingBox();
  assert.ok(Math.abs(after.x - before.x) <= 2 && Math.abs(after.y - before.y) <= 2,
    `the stay is back where it was (${after.x},${after.y} vs ${before.x},${before.y})`);
  const unchanged = await hearth.api('get_booking', { id: mover.id });
  assert.deepEqual(unchanged.resource_ids, [other.id]);
  assert.equal(unchanged.arrival_date, addDays(arrival, 1));
  assert.equal(unchanged.departure_date, addDays(arrival, 3));
  assert.equal(unchanged.version, mover.version);
  assert.equal((await hearth.api('get_booking', { id: sitting.id })).version, sitting.version);
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await alert.waitFor({ state: 'detached' });
});

test('the guest arrives: one keystroke (A) on the focused stay checks them in', async () => {
  // Check-in is only possible from the arrival date: a guest arriving today.
  const { practice } = await hearth.api('get_practice');
  const today = localDate(hearth.now(), practice.time_zone);
  const free = await hearth.api('find_free_rooms', { arrival: today, departure: addDays(today, 2) });
  // A room free tonight and ready: one a guest left this morning is still dirty.
  const { rooms: states } = await hearth.api('list_room_status', {});
  const ready = free.filter((r) => states.some((s) => s.resource_id === r.id && ['clean', 'inspected'].includes(s.status)));
  assert.ok(ready.length > 0, 'a clean room is free tonight');
  const b = await stayViaCore('Rosa Bianchi', ready[0], today, addDays(today, 2));
  assert.ok(b.next_statuses.includes('checked_in'), 'the core allows checking in on the arrival date');
  await openTape(today);
  const item = bookingItem(page, b.id);
  await item.waitFor();
  await item.focus();
  await page.keyboard.press('a');
  await page.getByText(/Rosa Bianchi: checked in/i).waitFor();
  const stay = await hearth.api('get_booking', { id: b.id });
  assert.equal(stay.status, 'checked_in');
  await page.locator(`.status-checked_in[data-booking-id="${b.id}"]`).waitFor();
});

test('a stay arriving in three days cannot be checked in yet: the key gets the core\'s reason', async () => {
  const r = rooms[6];
  const arrival = addDays(first, 3);
  const b = await stayViaCore('Piet Later', r, arrival, addDays(arrival, 2));
  assert.deepEqual(b.next_statuses, ['confirmed']);
  await openTape();
  const item = bookingItem(page, b.id);
  await item.waitFor();
  await item.focus();
  await page.keyboard.press('a');
  await page.getByRole('alert').filter({ hasText: /Piet Later's stay starts .*\. It can be marked checked in from .* 00:00 on\./ }).waitFor();
  assert.equal((await hearth.api('get_booking', { id: b.id })).status, 'booked');
});

/** Whether an item's guest name shows whole (not cut with an ellipsis) inside the chart. */
async function nameShowsWhole(item) {
  return item.evaluate((el) => {
    const who = el.querySelector('.who');
    const chart = document.querySelector('[data-testid="calendar"]').getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return who.scrollWidth <= who.clientWidth + 1 && box.left >= chart.left && box.right <= chart.right && box.width > 0;
  });
}

test('today’s departures are on the chart with their names, and a one-night stay shows its guest’s name', async () => {
  const today = localDate(hearth.now(), tz);
  const leaving = (await hearth.api('list_bookings', {
    from_ms: instant(today, '00:00', tz), to_ms: instant(addDays(today, 1), '00:00', tz), include_cancelled: false,
  })).filter((b) => b.departure_date === today);
  assert.ok(leaving.length >= 2, 'the demo has guests leaving today');
  await openTape(today);
  for (const b of leaving) {
    const item = bookingItem(page, b.id);
    await item.waitFor();
    assert.ok(await nameShowsWhole(item), `${b.person_name}, leaving today, shows on the chart by name`);
    assert.match(await item.locator('.who').innerText(), new RegExp(b.person_name));
  }
  // The day before today leads the chart, so a departure's morning is not a sliver.
  await page.locator(`.ec-header .ec-col-head time[datetime="${addDays(today, -1)}"]`).waitFor();
  await screenshot(page, 'hotel-tape-departures-1366');

  const night = addDays(first, 4);
  const one = await stayViaCore('Samuel Lindgren', rooms[7], night, addDays(night, 1));
  await openTape();
  const item = bookingItem(page, one.id);
  await item.waitFor();
  assert.ok(await nameShowsWhole(item), 'a one-night stay shows its guest’s whole name');
  // One night is a day wide: from the arrival's afternoon to the departure's morning.
  const [bar, arrivalDay] = await Promise.all([
    item.boundingBox(),
    page.locator(`.ec-header .ec-col-head:has(time[datetime="${night}"])`).boundingBox(),
  ]);
  assert.ok(Math.abs(bar.x - (arrivalDay.x + arrivalDay.width / 2)) < 4, 'the stay starts at noon on its arrival day');
  assert.ok(Math.abs(bar.width - arrivalDay.width) < 6, 'and is one day wide');
});

test('the room picker lists the free rooms first, best match first: a returning guest is offered the room they had', async () => {
  const had = rooms[5];
  const taken = rooms[0];
  await stayViaCore('Henrik Sorensen', had, addDays(first, 1), addDays(first, 3));
  const arrival = addDays(first, 12);
  const other = await stayViaCore('Olga Petrova', taken, arrival, addDays(arrival, 2));
  await openTape(arrival);
  await page.getByRole('button', { name: /new stay/i }).click();
  const dialog = page.getByRole('dialog', { name: /new stay/i });
  await dialog.waitFor();
  await dialog.getByLabel('Arrival').fill(arrival);
  await dialog.getByLabel('Departure').fill(addDays(arrival, 2));
  await dialog.getByTestId('person-name').pressSequentially('sorens');
  await dialog.getByTestId('person-match').filter({ hasText: 'Henrik Sorensen' }).waitFor();
  await dialog.getByTestId('person-name').press('Enter');
  await dialog.getByTestId('person-picked').waitFor();
  const select = dialog.getByTestId('room-select');
  await page.waitForFunction((id) => document.querySelector('[data-testid="room-select"]').value === String(id), had.id);
  const groups = await select.evaluate((s) =>
    [...s.querySelectorAll('optgroup')].map((g) => ({ label: g.label, options: [...g.children].map((o) => o.textContent) })));
  assert.match(groups[0].label, /^Free for these nights/);
  assert.match(groups[0].options[0], new RegExp(`^${had.name} · \\w+ — Their room on their last stay$`), 'their last room leads');
  assert.ok(!groups[0].options.some((o) => o.startsWith(`${taken.name} `)), 'a taken room is not among the free');
  const takenGroup = groups.find((g) => g.label === 'Taken');
  assert.ok(takenGroup?.options.some((o) => o.startsWith(`${taken.name} `) && o.includes(other.person_name)),
    'the taken room says who has it');
  await screenshot(page, 'hotel-room-picker-1366');
  await dialog.getByRole('button', { name: /^book stay$/i }).click();
  await dialog.waitFor({ state: 'detached' });
  const stays = (await staysInView()).filter((b) => b.person_name === 'Henrik Sorensen');
  assert.deepEqual(stays.map((b) => b.resource_ids[0]), [had.id, had.id]);
});

test('handing off a stay offers a hotel’s templates: "Room needs attention" (Alt+2) goes to housekeeping as a task', async () => {
  const r = rooms[8];
  const b = await stayViaCore('Nadia Karim', r, addDays(first, 9), addDays(first, 11));
  await openTape(addDays(first, 9));
  await bookingItem(page, b.id).click();
  const stay = page.getByRole('dialog', { name: /Nadia Karim/ });
  await stay.getByTestId('hand-off').click();
  const composer = page.getByTestId('handoff-composer');
  await composer.waitFor();
  // A hotel's own words; nothing about X-rays or follow-up visits.
  const labels = await composer.locator('[data-testid^="template-"]').allInnerTexts();
  assert.deepEqual(labels.map((l) => l.replace(/\s*Alt\+\d$/, '')), ['Late check-out asked', 'Room needs attention', 'Arriving late tonight']);
  await page.keyboard.press('Alt+2');
  assert.equal(await composer.getByTestId('handoff-to').inputValue(), 'role:housekeeping');
  assert.equal(await composer.getByTestId('handoff-action').inputValue(), 'task');
  const body = composer.getByTestId('handoff-body');
  assert.equal(await body.inputValue(), 'The room needs attention: ');
  // Typing carries straight on after the template's words.
  await page.keyboard.type('the shower drips');
  assert.equal(await body.inputValue(), 'The room needs attention: the shower drips');
  await screenshot(page, 'handoff-hotel-templates');
  await page.getByTestId('handoff-send').click();
  await composer.waitFor({ state: 'detached' });
  const inbox = await hearth.api('list_handoffs', {}, 'ines');
  const note = inbox.find((h) => h.body === 'The room needs attention: the shower drips');
  assert.ok(note, 'housekeeping has it');
  assert.equal(note.action, 'task');
  assert.equal(note.booking_id, b.id);
});

test('a long room name is cut short, whole on hover: the week still fits beside it, with no sideways scrolling', async () => {
  const last = rooms[rooms.length - 1];
  const long = 'Garden Suite with the Sea-View Terrace';
  await hearth.api('save_resource', { id: last.id, kind: 'room', name: long, colour: last.colour, room_type_id: last.room_type_id, sort_order: last.sort_order });
  try {
    await openTape();
    const name = page.locator('.ec-body .ec-sidebar').getByText(long, { exact: true });
    await name.waitFor();
    await page.waitForFunction(() => {
      const scrollers = [...document.querySelectorAll('[data-testid="calendar"] *')].filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX));
      return scrollers.length > 0 && scrollers.every((el) => el.scrollWidth <= el.clientWidth + 1);
    }, null, { timeout: 5000 });
    assert.equal(await name.getAttribute('title'), long, 'the whole name on hover');
    const days = await page.locator('.ec-header .ec-col-head').count();
    assert.ok(days >= 7, `a week at least (${days} days)`);
    await screenshot(page, 'tape-long-room-name');
  } finally {
    await hearth.api('save_resource', { id: last.id, kind: 'room', name: last.name, colour: last.colour, room_type_id: last.room_type_id, sort_order: last.sort_order });
  }
});
