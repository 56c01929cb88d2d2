// S3 as SCENARIOS.md tells it, with other names and dates: the dentist asks for a
// follow-up from the operatory; the desk sees it at the top of its inbox with the slots
// that fit and books one in a click; when nothing fits, Hearth says so plainly, shows the
// earliest slots after the window and offers the waitlist.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, cleanups, launchBrowser, localDate, practiceSetup, screenshot, seriousA11yProblems, signIn, startHearth,
} from './harness.js';

const cleanup = cleanups(after);

test('S3: "crown prep, 90 min, with me, in about two weeks" becomes a booked slot before the patient reaches the desk', async () => {
  const hearth = await startHearth({ demo: 'dental' });
  cleanup(() => hearth.stop());
  const { tz, type, resource } = await practiceSetup(hearth);
  const [checkup, crown, lind] = [type('Check-up'), type('Crown prep'), resource('Dr Lind')];
  const today = localDate(hearth.now(), tz);
  const patient = await hearth.api('save_person', { given_name: 'Tobiah', family_name: 'Mensah', phone: '07911 222333' });
  // Today's exam (the next free check-up with Dr Lind).
  const [slot] = await hearth.api('find_slots', { type_id: checkup.id, provider_id: lind.id, from_date: today, within_days: 14, count: 1 });
  const exam = await hearth.api('create_booking', {
    person_id: patient.id, type_id: checkup.id, resource_ids: slot.resource_ids,
    time: { kind: 'timed', starts_at_ms: slot.starts_at_ms, ends_at_ms: slot.ends_at_ms },
  });
  const examDay = localDate(exam.starts_at_ms, tz);

  // 1. The dentist, at the operatory computer, leaves the handoff on the visit.
  const operatory = await launchBrowser();
  cleanup(() => operatory.close());
  const chair = await operatory.newPage();
  await signIn(chair, hearth.url, 'sofia');
  await chair.goto(`${hearth.url}/?date=${examDay}`);
  await chair.locator(`[data-booking-id="${exam.id}"]`).first().click();
  const visit = chair.getByRole('dialog', { name: /Tobiah Mensah/ });
  await visit.getByTestId('hand-off').click();
  const composer = chair.getByTestId('handoff-composer');
  await composer.waitFor();
  await chair.keyboard.press('Alt+1'); // the "follow-up in 2 weeks" template
  await composer.getByTestId('handoff-body').fill('Crown prep, 90 min, with me, in about two weeks');
  await composer.getByTestId('follow-type').selectOption(String(crown.id));
  assert.equal(await composer.getByTestId('follow-provider').inputValue(), String(lind.id), 'with me');
  await composer.getByTestId('follow-minutes').fill('90');
  await composer.getByTestId('follow-give').fill('4');
  // 4. While writing: how many fitting slots the window still has.
  await composer.getByTestId('follow-capacity').filter({ hasText: /✓ \d+\+? slots? /}).waitFor();
  await screenshot(chair, 'handoff-composer-1366');
  assert.deepEqual(await seriousA11yProblems(chair), []);
  await chair.getByTestId('handoff-send').click();
  await composer.waitFor({ state: 'detached' });

  // 2. Before the patient reaches the desk: the handoff tops the desk's inbox, with slots that fit.
  const frontDesk = await launchBrowser();
  cleanup(() => frontDesk.close());
  const desk = await frontDesk.newPage();
  await signIn(desk, hearth.url, 'maria');
  await desk.getByTestId('inbox-count').filter({ hasText: '1' }).waitFor();
  await desk.getByTestId('open-inbox').click();
  const top = desk.getByTestId('handoff').first();
  await top.filter({ hasText: 'Crown prep, 90 min, with me, in about two weeks' }).waitFor();
  assert.match(await top.innerText(), /Dr Sofia Lind → Front desk/);
  const slots = top.getByTestId('proposed-slot');
  await slots.first().waitFor();
  const labels = await slots.allInnerTexts();
  assert.ok(labels.every((l) => l.includes('Dr Lind')), `the right provider: ${labels}`);
  await screenshot(desk, 'desk-inbox-proposed-slots-1366');
  assert.deepEqual(await seriousA11yProblems(desk), []);
  // The window: 10 to 18 days from today, inside opening hours (the core's slot search).
  const [handoff] = await hearth.api('list_handoffs', { sent: true, include_closed: true }, 'sofia');
  assert.deepEqual(handoff.follow_up.window, { from: addDays(today, 10), to: addDays(today, 18) });

  // 3. One click books it and marks the handoff done, with who and when. The wrong slot
  //    clicked? The notice's Undo takes the booking back and the handoff is open again.
  await slots.first().click();
  const bookedNotice = desk.getByTestId('notice-info').filter({ hasText: /Booked Crown prep .* for / });
  await bookedNotice.getByRole('button', { name: 'Undo' }).click();
  await desk.getByTestId('notice-info').filter({ hasText: 'is open again' }).waitFor();
  const [undone] = await hearth.api('list_handoffs', { sent: true, include_closed: true }, 'sofia');
  assert.equal(undone.status, 'seen', 'open again');
  assert.equal(undone.result_booking_id, null);
  await top.filter({ hasText: 'Crown prep, 90 min, with me, in about two weeks' }).getByTestId('proposed-slot').first().click();
  // Done, it leaves the open inbox; with the closed ones shown, it says who did what and when.
  await desk.getByTestId('handoff').filter({ hasText: 'Crown prep, 90 min' }).waitFor({ state: 'detached' });
  await desk.getByLabel('Done and declined too').check();
  await desk.getByTestId('handoff').filter({ hasText: 'Crown prep, 90 min' }).getByTestId('handoff-state')
    .filter({ hasText: /✓ Done by Maria Santos .*Booked Crown prep/ }).waitFor();
  const [done] = await hearth.api('list_handoffs', { sent: true, include_closed: true }, 'sofia');
  assert.equal(done.status, 'done');
  const booked = await hearth.api('get_booking', { id: done.result_booking_id });
  assert.equal(booked.person_id, patient.id);
  assert.equal(booked.type_name, 'Crown prep');
  assert.equal(booked.ends_at_ms - booked.starts_at_ms, 90 * 60_000);
  assert.ok(booked.resource_ids.includes(lind.id));
  const day = localDate(booked.starts_at_ms, tz);
  assert.ok(day >= addDays(today, 10) && day <= addDays(today, 18), `inside the window: ${day}`);

  // 4'. When nothing fits: Dr Lind is away for the whole window.
  const from = addDays(today, 10);
  const to = addDays(today, 19);
  const start = Date.parse(`${from}T00:00:00Z`) - 86_400_000;
  await hearth.api('add_block', { resource_id: lind.id, starts_at_ms: start, ends_at_ms: Date.parse(`${to}T00:00:00Z`) + 86_400_000, reason: 'Conference' });
  await chair.goto(`${hearth.url}/?date=${examDay}`);
  await chair.locator(`[data-booking-id="${exam.id}"]`).first().click();
  await chair.getByTestId('hand-off').click();
  await chair.keyboard.press('Alt+1');
  await composer.getByTestId('handoff-body').fill('Second crown prep, 90 min, with me, in about two weeks');
  await composer.getByTestId('follow-type').selectOption(String(crown.id));
  await composer.getByTestId('follow-minutes').fill('90');
  await composer.getByTestId('follow-give').fill('4');
  await composer.getByTestId('follow-capacity').filter({ hasText: '⚠ No slot fits' }).waitFor();
  await chair.getByTestId('handoff-send').click();
  await composer.waitFor({ state: 'detached' });
  const second = desk.getByTestId('handoff').filter({ hasText: 'Second crown prep' });
  await second.getByTestId('proposal-message').filter({ hasText: /^No Crown prep of 90 min with Dr Lind fits .* The earliest after it is .* or put them on the waitlist\.$/ }).waitFor();
  assert.match(await second.getByTestId('proposed-slot').first().innerText(), /after the window/);
  await screenshot(desk, 'desk-inbox-nothing-fits-1366');

  // The waitlist is offered: Tobiah goes on it, and the handoff is done with that.
  await second.getByTestId('to-waitlist').click();
  await second.getByTestId('handoff-state').filter({ hasText: /✓ Done by Maria Santos .*On the waitlist/ }).waitFor();
  await desk.getByTestId('inbox-waitlist').click();
  await desk.getByTestId('waitlist-entry').filter({ hasText: 'Tobiah Mensah — Crown prep, 90 min with Dr Lind' }).waitFor();

  // Dr Lind is back after all; Greta Holm has a crown prep in the window — and cancels.
  const blocks = await hearth.api('list_blocks', { from_ms: start, to_ms: Date.parse(`${to}T00:00:00Z`) + 86_400_000 });
  await hearth.api('remove_block', { id: blocks.find((b) => b.reason === 'Conference').id });
  const greta = await hearth.api('save_person', { given_name: 'Greta', family_name: 'Holm' });
  const [gretaSlot] = await hearth.api('find_slots', { type_id: crown.id, provider_id: lind.id, from_date: addDays(today, 10), within_days: 9, count: 1 });
  const gretas = await hearth.api('create_booking', {
    person_id: greta.id, type_id: crown.id, resource_ids: gretaSlot.resource_ids,
    time: { kind: 'timed', starts_at_ms: gretaSlot.starts_at_ms, ends_at_ms: gretaSlot.ends_at_ms },
  });
  await desk.getByTestId('inbox-close').click();
  await desk.goto(`${hearth.url}/?date=${localDate(gretas.starts_at_ms, tz)}`);
  await desk.locator(`[data-booking-id="${gretas.id}"]`).first().click();
  const cancelDialog = desk.getByRole('dialog', { name: /Greta Holm/ });
  await cancelDialog.getByRole('button', { name: /cancel appointment…/i }).click();
  await cancelDialog.getByTestId('cancel-reason').fill('Moving abroad');
  await cancelDialog.getByRole('button', { name: /^cancel appointment$/i }).click();
  // The desk is told who on the waitlist fits the freed time, and books them from there.
  const offer = cancelDialog.getByTestId('waitlist-offer');
  await offer.getByTestId('waitlist-fit').filter({ hasText: 'Tobiah Mensah' }).waitFor();
  await screenshot(desk, 'waitlist-offer-after-cancellation-1366');
  assert.deepEqual(await seriousA11yProblems(desk), []);
  await offer.getByTestId('waitlist-book').first().click();
  await cancelDialog.waitFor({ state: 'detached' });
  const page = await hearth.api('get_person', { id: patient.id });
  assert.ok(page.visits.some((v) => v.type_name === 'Crown prep' && v.starts_at_ms === gretas.starts_at_ms), 'Tobiah has the freed slot');
  assert.deepEqual(await hearth.api('list_waitlist', {}), [], 'and is off the list');
});
