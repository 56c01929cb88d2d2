// My day: the dentist at the operatory computer sees their own patients for the day in
// order, each with what matters, moves between them with the arrows, and hands the desk a
// note about a visit with one keystroke (H) and a template (Alt+2).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, cleanups, futureWeekday, instant, launchBrowser, practiceSetup, screenshot, seriousA11yProblems, signIn,
  startHearth,
} from './harness.js';

const cleanup = cleanups(after);

test("the dentist's day: own patients in order with their alerts; H writes to the desk about the chosen visit", async () => {
  const hearth = await startHearth({ demo: 'dental' });
  cleanup(() => hearth.stop());
  const { tz, type, resource, chairs } = await practiceSetup(hearth);
  const checkup = type('Check-up');
  const [lind, okafor] = [resource('Dr Lind'), resource('Dr Okafor')];
  const day = futureWeekday(tz, 3, 9, hearth.now()); // a Wednesday past the demo's weeks
  const book = async (given, family, chair, provider, hhmm) => {
    const p = await hearth.api('save_person', { given_name: given, family_name: family });
    const at = instant(day, hhmm, tz);
    await hearth.api('create_booking', {
      person_id: p.id, type_id: checkup.id, resource_ids: [chair.id, provider.id],
      time: { kind: 'timed', starts_at_ms: at, ends_at_ms: at + 30 * 60_000 },
    });
    return p;
  };
  const later = await book('Mia', 'Costa', chairs[0], lind, '10:30');
  const first = await book('Haruto', 'Sato', chairs[1], lind, '09:00');
  await book('Omar', 'Farouk', chairs[0], okafor, '09:00');
  await hearth.api('add_person_alert', { person_id: first.id, kind: 'allergy', severity: 'critical', text: 'Latex' });
  // Mia was in the week before; what was done is on that booking.
  const before = instant(addDays(day, -7), '10:00', tz);
  await hearth.api('create_booking', {
    person_id: later.id, type_id: checkup.id, resource_ids: [chairs[0].id, lind.id], notes: 'Sensitive upper left',
    time: { kind: 'timed', starts_at_ms: before, ends_at_ms: before + 30 * 60_000 },
  });
  await hearth.moveClock(instant(day, '08:15', tz));

  const browser = await launchBrowser();
  cleanup(() => browser.close());
  const page = await browser.newPage();
  // A practitioner opens on their own day.
  await signIn(page, hearth.url, 'sofia');
  await page.getByRole('heading', { name: 'My day — Dr Lind' }).waitFor();
  const visits = page.getByTestId('my-day-visit');
  await visits.nth(1).waitFor();
  const texts = await visits.allInnerTexts();
  assert.equal(texts.length, 2, "Dr Okafor's patient is not on Dr Lind's day");
  assert.match(texts[0], /09:00.*\n?.*Haruto Sato.*‼ Latex/s, 'in order, the alert on the row');
  assert.match(texts[1], /10:30.*Mia Costa/s);
  // The first is chosen, with the full card beside the list.
  await page.getByTestId('arrival-card').filter({ hasText: 'Latex' }).waitFor();
  assert.equal(await page.getByTestId('my-day-last').innerText(), 'First visit.');
  await screenshot(page, 'my-day-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);

  // The arrows move between patients; H opens the composer about the chosen visit.
  await visits.first().focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await visits.nth(1).getAttribute('aria-current'), 'true');
  await page.getByTestId('arrival-card').filter({ hasText: 'Mia Costa' }).waitFor();
  assert.match(await page.getByTestId('my-day-last').innerText(), /^Last visit: \w{3} \d+ \w{3} · Check-up · Dr Lind — “Sensitive upper left”$/);
  await page.keyboard.press('ArrowUp');
  assert.equal(await visits.first().getAttribute('aria-current'), 'true');
  await page.keyboard.press('h');
  const composer = page.getByTestId('handoff-composer');
  await composer.waitFor();
  assert.equal(await composer.getByTestId('handoff-body').inputValue(), '', 'the H is not typed into the note');
  await page.keyboard.press('Alt+2'); // "Needs an X-ray next time"
  assert.equal(await composer.getByTestId('handoff-body').inputValue(), 'Needs an X-ray at the next visit');
  await page.getByTestId('handoff-send').click();
  await composer.waitFor({ state: 'detached' });
  // Back on the same patient, ready for the next keystroke.
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-current') === 'true');

  // The desk has it, about that visit and person.
  const inbox = await hearth.api('list_handoffs', {}, 'maria');
  const note = inbox.find((h) => h.body === 'Needs an X-ray at the next visit');
  assert.ok(note, JSON.stringify(inbox.map((h) => h.body)));
  assert.equal(note.person_id, first.id);
  assert.equal(note.from_name, 'Dr Sofia Lind');

  // The calendar is a click away, and My day a click back.
  await page.getByTestId('my-day-close').click();
  await page.locator('[data-testid="calendar"] .ec-body').waitFor();
  await page.getByTestId('open-my-day').click();
  await page.getByTestId('my-day').waitFor();
});
