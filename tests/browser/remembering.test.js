// S1 and S2 as SCENARIOS.md tells them, with other names, dates and rooms: the
// practice remembers its guests and prepares for them. "A year later" is reached
// by restarting the practice computer with its clock moved (hearth serve
// --clock-starts-at); the core takes "now" from that clock.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanups, futureWeekday, instant, launchBrowser, roomsWithNobodyIn, screenshot, seriousA11yProblems, signIn, startHearth,
} from './harness.js';

const cleanup = cleanups(after);

const addDays = (date, n) => new Date(Date.parse(`${date}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Open a booking from the tape chart at `date`. */
async function openStay(page, url, date, id, name) {
  await page.goto(`${url}/?date=${date}`);
  await page.locator(`[data-booking-id="${id}"]`).first().click();
  const dialog = page.getByRole('dialog', { name });
  await dialog.waitFor();
  return dialog;
}

test('S1: an anniversary becomes a greeting at check-in and champagne on ice, prepared by housekeeping', async () => {
  const hearth = await startHearth({ demo: 'hotel' });
  cleanup(() => hearth.stop());
  const { practice } = await hearth.api('get_practice');
  const tz = practice.time_zone;
  const stayType = (await hearth.api('list_appointment_types', {})).find((t) => t.needs_room);
  const room = (await roomsWithNobodyIn(hearth))[0];
  const arrival = futureWeekday(tz, 3, 20, hearth.now()); // a Wednesday well past the demo's weeks
  const guest = await hearth.api('save_person', {
    given_name: 'Adaeze', family_name: 'Nwosu', preferred_name: 'Mr and Mrs Nwosu', phone: '07700 900 808',
  }, 'maria');
  // Booked through a booking site: three nights.
  const stay = await hearth.api('create_booking', {
    person_id: guest.id, type_id: stayType.id, resource_ids: [room.id],
    time: { kind: 'nights', arrival, departure: addDays(arrival, 3) },
  }, 'maria');

  // 1. The reply to the desk's e-mail says it is their 10th anniversary: the clerk records it.
  const browser = await launchBrowser();
  cleanup(() => browser.close());
  const page = await browser.newPage();
  await signIn(page, hearth.url, 'maria');
  let dialog = await openStay(page, hearth.url, arrival, stay.id, /Adaeze Nwosu/);
  await dialog.getByTestId('add-occasion-button').click();
  await dialog.getByLabel('Kind of occasion').selectOption('anniversary');
  await dialog.getByLabel('The occasion in words').fill('10th wedding anniversary');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await dialog.getByTestId('occasion').filter({ hasText: '10th wedding anniversary' }).waitFor();

  // 2. The room is assigned and the preparation tasks are made: champagne for housekeeping,
  // due two hours before check-in (15:00), and the card for the manager.
  const card = dialog.getByTestId('arrival-card');
  await card.getByTestId('arrival-greeting').filter({ hasText: 'Happy 10th wedding anniversary — Mr and Mrs Nwosu' }).waitFor();
  const champagne = `Champagne on ice and a signed card in ${room.name}`;
  await card.getByTestId('arrival-task').filter({ hasText: champagne }).waitFor();
  await card.getByTestId('arrival-task').filter({ hasText: 'Write and sign the card for Mr and Mrs Nwosu' }).waitFor();
  const tasks = await hearth.api('list_tasks', { booking_id: stay.id }, 'helen');
  const hk = tasks.find((t) => t.role === 'housekeeping');
  assert.equal(hk.title, champagne);
  assert.equal(hk.due_at_ms, instant(arrival, '13:00', tz));
  assert.equal(tasks.find((t) => t.role === 'manager').due_at_ms, instant(arrival, '11:00', tz));
  await screenshot(page, 'occasion-on-stay-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await page.locator(`[data-booking-id="${stay.id}"]`).getByTestId('occasion-badge').waitFor();

  // 3. Housekeeping's board (its own desk) shows the task with its due time; past due (the
  // practice's clock at 13:20 that day), it is red.
  await hearth.moveClock(instant(arrival, '13:20', tz));
  const hkBrowser = await launchBrowser();
  cleanup(() => hkBrowser.close());
  const board = await hkBrowser.newPage();
  await board.goto(hearth.url);
  await board.getByTestId('demo-login-ines').click();
  await board.getByTestId('tasks').waitFor(); // housekeeping opens on its board
  const row = board.getByTestId('task').filter({ hasText: champagne });
  await row.waitFor();
  assert.equal(await row.getAttribute('data-status'), 'overdue');
  assert.match(await row.innerText(), /13:00/);
  assert.match(await row.innerText(), /2 h before check-in/);
  await screenshot(board, 'housekeeping-task-board-1366');
  assert.deepEqual(await seriousA11yProblems(board), []);

  // If the stay moves to another day, its tasks move with it (the board is live).
  const moved = addDays(arrival, 7);
  await signIn(page, hearth.url, 'maria'); // the desk's session idled out while the clock moved
  dialog = await openStay(page, hearth.url, arrival, stay.id, /Adaeze Nwosu/);
  await dialog.getByLabel('Arrival').fill(moved);
  await dialog.getByLabel('Departure').fill(addDays(moved, 3));
  await dialog.getByRole('button', { name: /^save/i }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.waitFor({ state: 'detached' });
  await board.getByTestId('tasks-date').fill(moved);
  await board.getByTestId('tasks-date').dispatchEvent('change');
  const movedRow = board.getByTestId('task').filter({ hasText: champagne });
  await movedRow.waitFor();
  assert.equal(await movedRow.getAttribute('data-status'), 'open');
  assert.match(await movedRow.innerText(), /13:00/);
  // Housekeeping puts the champagne on ice.
  await movedRow.getByTestId('task-done').click();
  await board.locator('[data-testid="task"][data-status="done"]').filter({ hasText: champagne }).waitFor();
  // A task of her own on the same board.
  await board.getByTestId('add-task-button').click();
  await board.getByTestId('add-task').getByLabel('Task for housekeeping').fill(`Extra pillows in ${room.name}`);
  await board.getByTestId('add-task-for').selectOption({ label: 'Ines Duarte' });
  await board.getByTestId('add-task').getByRole('button', { name: 'Add' }).click();
  await board.getByTestId('task').filter({ hasText: 'Extra pillows' }).filter({ hasText: 'for Ines Duarte' }).waitFor();

  // 4. Check-in day: before anything else, the clerk sees the greeting and the tasks' state.
  await hearth.moveClock(instant(moved, '14:30', tz));
  await signIn(page, hearth.url, 'maria');
  dialog = await openStay(page, hearth.url, moved, stay.id, /Adaeze Nwosu/);
  await dialog.getByRole('button', { name: /check in/i }).click();
  const arriving = dialog.getByTestId('arrival-card');
  await arriving.getByRole('heading', { name: /Checked in: Mr and Mrs Nwosu/ }).waitFor();
  await arriving.getByTestId('arrival-greeting').filter({ hasText: 'Happy 10th wedding anniversary — Mr and Mrs Nwosu' }).waitFor();
  assert.equal(await arriving.locator('[data-testid="arrival-task"]', { hasText: champagne }).getAttribute('data-status'), 'done');
  assert.notEqual(
    await arriving.locator('[data-testid="arrival-task"]', { hasText: 'Write and sign the card' }).getAttribute('data-status'),
    'done',
  );
  // The card leads the dialog and has the focus.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'arrival-heading');
  await screenshot(page, 'arrival-card-s1-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);
});

test('S2: a weak shower fixed in 30 minutes is remembered a year later, and the gesture grows two years later', async () => {
  const hearth = await startHearth({ demo: 'hotel' });
  cleanup(() => hearth.stop());
  const { practice } = await hearth.api('get_practice');
  const tz = practice.time_zone;
  const stayType = (await hearth.api('list_appointment_types', {})).find((t) => t.needs_room);
  const rooms = await roomsWithNobodyIn(hearth);
  const [room, nextRoom] = [rooms[1], rooms[0]];
  const arrival = futureWeekday(tz, 1, 20, hearth.now());
  const guest = await hearth.api('save_person', { given_name: 'Lars', family_name: 'Eriksen', phone: '07700 900 312' }, 'maria');
  const first = await hearth.api('create_booking', {
    person_id: guest.id, type_id: stayType.id, resource_ids: [room.id],
    time: { kind: 'nights', arrival, departure: addDays(arrival, 3) },
  }, 'maria');

  // 1. The second morning: the guest reports a weak shower; the clerk logs it with a task.
  const secondMorning = addDays(arrival, 1);
  await hearth.moveClock(instant(secondMorning, '08:00', tz));
  const browser = await launchBrowser();
  cleanup(() => browser.close());
  const page = await browser.newPage();
  await signIn(page, hearth.url, 'maria');
  let dialog = await openStay(page, hearth.url, arrival, first.id, /Lars Eriksen/);
  await dialog.getByTestId('log-incident-button').click();
  await dialog.getByTestId('incident-what').fill('weak shower');
  await dialog.getByLabel('Category').selectOption('maintenance');
  await dialog.getByTestId('incident-task-for').selectOption('housekeeping');
  await dialog.getByRole('button', { name: 'Log it' }).click();
  await dialog.getByTestId('incident').filter({ hasText: 'weak shower' }).waitFor();
  const fix = (await hearth.api('list_tasks', { role: 'housekeeping' }, 'ines')).find((t) => t.booking_id === first.id);
  assert.equal(fix.title, `Put right: weak shower (${room.name})`);

  // Thirty minutes later it is fixed, and the resolution recorded.
  await hearth.moveClock(instant(secondMorning, '08:30', tz));
  await signIn(page, hearth.url, 'maria');
  dialog = await openStay(page, hearth.url, arrival, first.id, /Lars Eriksen/);
  await dialog.getByTestId('incident-resolution').fill('Shower head replaced');
  await dialog.getByTestId('incident-resolve').click();
  await dialog.getByTestId('incident-resolved').filter({ hasText: 'Resolved in 30 min' }).waitFor();
  // 2. "Remember on future stays", with the gesture to propose.
  await dialog.getByTestId('incident-remember').check();
  await dialog.getByTestId('incident-gesture').fill('Welcome note and a gift');
  await dialog.getByTestId('incident-gesture-save').click();
  await page.waitForFunction(async () => true);
  for (let i = 0; i < 50; i++) {
    const [inc] = await hearth.api('list_incidents', { booking_id: first.id }, 'maria');
    if (inc.remember && inc.gesture === 'Welcome note and a gift') break;
    if (i === 49) assert.fail(`the incident was not remembered: ${JSON.stringify(inc)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await screenshot(page, 'incident-on-stay-1366');

  // 3. A year later the guest books again: as the stay is created Hearth shows what it remembers.
  const nextYear = addDays(arrival, 364);
  await hearth.moveClock(instant(nextYear, '10:00', tz));
  await signIn(page, hearth.url, 'maria');
  await page.goto(`${hearth.url}/?date=${nextYear}`);
  await page.getByRole('button', { name: /new stay/i }).click();
  dialog = page.getByRole('dialog', { name: /new stay/i });
  await dialog.waitFor();
  await dialog.getByTestId('person-name').pressSequentially('eriks');
  await dialog.getByTestId('person-match').filter({ hasText: 'Lars Eriksen' }).waitFor();
  await dialog.getByTestId('person-name').press('Enter');
  await dialog.getByTestId('person-picked').waitFor();
  await dialog.getByLabel('Arrival').fill(nextYear);
  await dialog.getByLabel('Departure').fill(addDays(nextYear, 2));
  await dialog.getByTestId('room-select').selectOption(String(nextRoom.id));
  await dialog.getByRole('button', { name: /^book stay$/i }).click();
  const created = page.getByRole('dialog', { name: /Lars Eriksen/ });
  const summary = `Last stay: weak shower in ${room.name}, fixed in 30 min`;
  await created.getByTestId('arrival-remembered').filter({ hasText: summary }).waitFor();
  await created.getByTestId('proposed-gesture').filter({ hasText: 'Welcome note and a gift' }).waitFor();
  await created.getByTestId('arrival-task').filter({ hasText: 'Gesture for Lars Eriksen: Welcome note and a gift' }).waitFor();
  await screenshot(page, 'arrival-card-s2-created-1366');
  const second = (await hearth.api('get_person', { id: guest.id }, 'maria')).next_visit;
  assert.ok(second, 'the new stay is his next visit');

  // … and again at check-in, where the clerk records what was done this time.
  await created.getByRole('button', { name: /check in/i }).click();
  const card = created.getByTestId('arrival-card');
  await card.getByRole('heading', { name: /Checked in: Lars Eriksen/ }).waitFor();
  await card.getByTestId('arrival-remembered').filter({ hasText: summary }).waitFor();
  await card.getByTestId('gesture-input').fill('Welcome note and a bottle of Douro red');
  await card.getByRole('button', { name: 'Record' }).click();
  await card.getByTestId('gesture-done').filter({ hasText: 'Welcome note and a bottle of Douro red' }).waitFor();
  await screenshot(page, 'arrival-card-s2-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);
  // The manager's gesture task is done with it.
  const gestureTask = (await hearth.api('list_tasks', { booking_id: second.booking_id, include_closed: true }, 'helen'))
    .find((t) => t.title.startsWith('Gesture for'));
  assert.equal(gestureTask.status, 'done');

  // 4. Two years later: it resurfaces with the earlier gesture visible, so this one can grow.
  const twoYears = addDays(arrival, 728);
  await hearth.moveClock(instant(twoYears, '10:00', tz));
  const third = await hearth.api('create_booking', {
    person_id: guest.id, type_id: stayType.id, resource_ids: [room.id],
    time: { kind: 'nights', arrival: twoYears, departure: addDays(twoYears, 2) },
  }, 'maria');
  await signIn(page, hearth.url, 'maria');
  dialog = await openStay(page, hearth.url, twoYears, third.id, /Lars Eriksen/);
  const again = dialog.getByTestId('arrival-card');
  await again.getByTestId('gesture-history').filter({ hasText: 'Welcome note and a bottle of Douro red' }).waitFor();
  assert.match(await again.getByTestId('arrival-remembered').innerText(), /Stay of .*: weak shower in .*, fixed in 30 min/);
  await again.getByTestId('gesture-input').fill('Upgrade to a suite and a handwritten note from the manager');
  await again.getByRole('button', { name: 'Record' }).click();
  await again.getByTestId('gesture-done').waitFor();
  const [incident] = await hearth.api('list_incidents', { person_id: guest.id }, 'maria');
  assert.deepEqual(incident.gestures.map((g) => g.what), [
    'Welcome note and a bottle of Douro red', 'Upgrade to a suite and a handwritten note from the manager',
  ]);
  await screenshot(page, 'arrival-card-s2-two-years-1366');
});
