// S4 as SCENARIOS.md tells it, with other names and times: two desks race for one chair;
// a patient arrives in one keystroke and the greeting shows their preferred name and
// alerts; the waiting room times them and turns red past the threshold; the time from
// arrival to seat is on the visit's timeline.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bookingItem, cleanups, dragSlot, futureWeekday, instant, launchBrowser, openDay, practiceSetup, screenshot, seriousA11yProblems,
  signIn, startHearth,
} from './harness.js';

const cleanup = cleanups(after);

test('S4: the morning that went wrong — a race for a chair, an arrival, a wait noticed, the time to seat recorded', async () => {
  const hearth = await startHearth({ demo: 'dental' });
  cleanup(() => hearth.stop());
  const { practice, tz, type, resource, chairs } = await practiceSetup(hearth);
  // Locking after 10 idle minutes would hide the waiting room this test watches for 11.
  await hearth.api('update_practice', {
    expected_version: practice.version, name: practice.name, time_zone: tz, slot_minutes: practice.slot_minutes,
    check_in_minute: practice.check_in_minute, check_out_minute: practice.check_out_minute,
    opening_hours: practice.opening_hours, idle_lock_minutes: 60,
  });
  const checkup = type('Check-up');
  const [lind, okafor] = [resource('Dr Lind'), resource('Dr Okafor')];
  const day = futureWeekday(tz, 2, 9, hearth.now()); // a Tuesday past the demo's weeks
  const haru = await hearth.api('save_person', { given_name: 'Haruto', family_name: 'Sato', preferred_name: 'Haru', pronunciation: 'HAH-roo' });
  await hearth.api('add_person_alert', { person_id: haru.id, kind: 'allergy', severity: 'critical', text: 'Latex' });
  await hearth.api('add_person_alert', { person_id: haru.id, kind: 'condition', severity: 'warning', text: 'Anxious: explain each step' });
  const at = instant(day, '10:00', tz);
  const visit = await hearth.api('create_booking', {
    person_id: haru.id, type_id: checkup.id, resource_ids: [chairs[0].id, lind.id],
    time: { kind: 'timed', starts_at_ms: at, ends_at_ms: at + 30 * 60_000 },
  });
  // That Tuesday, 09:50.
  const morning = instant(day, '09:50', tz);
  await hearth.moveClock(morning);

  const deskA = await launchBrowser();
  cleanup(() => deskA.close());
  const deskB = await launchBrowser();
  cleanup(() => deskB.close());
  const maria = await deskA.newPage();
  await maria.clock.install({ time: morning });
  await signIn(maria, hearth.url, 'maria');
  const tom = await deskB.newPage();
  await signIn(tom, hearth.url, 'tom');

  // 1. Tom books Chair 2 at 11:00 on his screen at the moment Maria's desk books the same chair and
  // time: one succeeds; the other is told, in words, whose appointment is there.
  await openDay(tom, hearth.url, day);
  await dragSlot(tom, [chairs[1].name, '11:00', 4], [chairs[1].name, '11:15', 18]);
  const d = tom.getByRole('dialog', { name: /new appointment/i });
  await d.getByTestId('person-name').fill('Omar Farouk');
  await d.getByTestId('provider-select').selectOption(String(okafor.id));
  const eleven = instant(day, '11:00', tz);
  const [, theirs] = await Promise.all([
    d.getByRole('button', { name: /^book appointment$/i }).click(),
    hearth.api('create_booking', {
      person_name: 'Ivy Chen', type_id: checkup.id, resource_ids: [chairs[1].id, okafor.id],
      time: { kind: 'timed', starts_at_ms: eleven, ends_at_ms: eleven + 30 * 60_000 },
    }, 'maria').then(() => 'booked', (e) => e.message),
  ]);
  let mine = null;
  for (let i = 0; i < 100 && mine === null; i++) {
    if ((await d.count()) === 0) mine = 'booked';
    else if ((await d.getByTestId('dialog-error').count()) > 0) mine = await d.getByTestId('dialog-error').innerText();
    else await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal([mine, theirs].filter((o) => o === 'booked').length, 1, `exactly one booked: ${mine} / ${theirs}`);
  const refusal = [mine, theirs].find((o) => o !== 'booked');
  assert.match(refusal, new RegExp(`${chairs[1].name} is booked .*(Ivy Chen|Omar Farouk)`));
  if (mine !== 'booked') {
    await screenshot(tom, 'race-refused-1366');
    await tom.keyboard.press('Escape');
  }

  // 2. Haru arrives: A shows his card first — his preferred name, how to say it, his alerts —
  // and A again marks him arrived; the greeting leads the side panel and the focus stays.
  await openDay(maria, hearth.url, day);
  await bookingItem(maria, visit.id).first().focus();
  await maria.keyboard.press('a');
  const prompt = maria.getByTestId('arrival-prompt');
  await prompt.getByTestId('arrival-alert').filter({ hasText: 'Latex' }).waitFor();
  assert.match(await prompt.innerText(), /say “HAH-roo”/);
  assert.equal((await hearth.api('get_booking', { id: visit.id }, 'maria')).status, 'booked', 'not arrived until the second key');
  await maria.keyboard.press('a');
  await prompt.waitFor({ state: 'detached' });
  const card = maria.getByTestId('arrived-card');
  await card.getByRole('heading', { name: /Arrived: Haru/ }).waitFor();
  assert.match(await card.innerText(), /say “HAH-roo”/);
  await card.getByTestId('arrival-alert').filter({ hasText: 'Latex' }).waitFor();
  await card.getByTestId('arrival-alert').filter({ hasText: 'Anxious: explain each step' }).waitFor();
  assert.equal(await maria.evaluate(() => document.activeElement?.getAttribute('data-booking-id')), String(visit.id), 'the focus stays on the booking');

  // 3. The waiting room times him; past 10 minutes the row turns red and the desk is told.
  const row = maria.getByTestId('waiting-row').filter({ hasText: 'Haruto Sato' });
  await row.waitFor();
  assert.equal(await row.getAttribute('data-over'), 'false');
  await maria.clock.fastForward('11:00');
  await maria.locator('[data-testid="waiting-row"][data-over="true"]').filter({ hasText: 'Haruto Sato' }).waitFor();
  await maria.getByRole('alert').filter({ hasText: /Haruto Sato has waited 1[01] minutes/ }).waitFor();
  await screenshot(maria, 'waiting-room-1366');
  assert.deepEqual(await seriousA11yProblems(maria), []);

  // 4. Seated at 10:03: the arrival-to-seat time is on his visit's timeline.
  await hearth.moveClock(instant(day, '10:03', tz));
  const arrived = await hearth.api('get_booking', { id: visit.id }, 'maria');
  await hearth.api('set_booking_status', { id: visit.id, expected_version: arrived.version, status: 'in_treatment' }, 'maria');
  await row.waitFor({ state: 'detached' });
  await bookingItem(maria, visit.id).first().click();
  const dialog = maria.getByRole('dialog', { name: /Haruto Sato/ });
  await dialog.getByTestId('arrival-to-seat').filter({ hasText: 'Waited 13 min to be seated' }).waitFor();
  assert.match(await dialog.getByTestId('visit-timeline').innerText(), /Booked[\s\S]*Arrived[\s\S]*Maria Santos[\s\S]*In treatment/);
  await screenshot(maria, 'visit-timeline-1366');
});
