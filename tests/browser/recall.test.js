// S6 as SCENARIOS.md tells it: who is slipping away. Patients overdue for their six-month
// recall and regular guests past their usual return appear on a list with their last visit
// and any open incident, so the desk can call them — and book them in one click, or note
// the call and when to try again.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanups, demoPage, screenshot, seriousA11yProblems } from './harness.js';

const cleanup = cleanups(after);

test('S6 (dental): overdue patients with their last visit and open incident; one booked in a click, one called back later', async () => {
  const { hearth, page } = await demoPage(cleanup, 'dental');

  await page.getByTestId('open-recall').click();
  await page.getByTestId('recall').waitFor();
  const rows = page.getByTestId('recall-row');
  await rows.first().waitFor();
  // Overdue first, each with the reason, the last visit, and how due they are.
  const summary = await page.getByTestId('recall-summary').innerText();
  const overdue = Number(/(\d+) overdue/.exec(summary)?.[1]);
  assert.ok(overdue >= 3, summary);
  const first = await rows.first().innerText();
  assert.match(first, /(Check-up|Hygiene) every 6 months/);
  assert.match(first, /Overdue \d+ days? \(due /);
  assert.match(first, /Last: .+ · (Check-up · Dr \w+|Hygiene · Priya \(hygiene\))/);
  assert.match(first, /Calls (✓|✕|not asked)/, 'how they may be reached');
  // The patient with an incident still open says so on the list.
  const troubled = rows.filter({ has: page.getByTestId('recall-incident').filter({ hasText: '⚠ Open incident: New crown felt high' }) });
  await troubled.waitFor();
  await screenshot(page, 'recall-dental-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);

  // One click books them through the slot search, with the dentist they saw last.
  const name = await troubled.locator('h2 button').innerText();
  const last = await troubled.getByTestId('recall-last').innerText();
  const provider = /· Check-up · (Dr \w+)$/.exec(last)?.[1];
  assert.ok(provider, last);
  await troubled.getByTestId('recall-find').click();
  const slot = troubled.getByTestId('recall-slot').first();
  await slot.waitFor();
  assert.match(await slot.innerText(), new RegExp(provider), 'with the dentist they saw last');
  await slot.click();
  await page.getByText(`Booked ${name}: Check-up`).waitFor();
  // Booked: off the list (live, without a reload), back with the settled ones, marked booked.
  await rows.filter({ hasText: name }).waitFor({ state: 'detached' });
  const [person] = await hearth.api('search_people', { query: name });
  const pageOf = await hearth.api('open_person', { id: person.id });
  assert.ok(pageOf.next_visit, 'the booking is on their record');
  await page.getByTestId('recall-settled').check();
  await rows.filter({ hasText: name }).getByTestId('recall-due').filter({ hasText: '✓ Booked' }).waitFor();
  await page.getByTestId('recall-settled').uncheck();

  // Another: no answer on the phone, so a message and a day to try again; the list rests them.
  const next = rows.first();
  const other = await next.locator('h2 button').innerText();
  await next.getByTestId('recall-note').click();
  const form = next.getByTestId('recall-note-form');
  await form.getByLabel('Left a message').check();
  await form.getByLabel('What they said').fill('Voicemail; will ring back');
  await form.getByLabel('Call again').selectOption({ index: 1 });
  await form.getByTestId('recall-note-save').click();
  await rows.filter({ hasText: other }).waitFor({ state: 'detached' });
  await page.getByTestId('recall-settled').check();
  const resting = rows.filter({ hasText: other });
  await resting.getByTestId('recall-due').filter({ hasText: 'Resting' }).waitFor();
  assert.match(await resting.getByTestId('recall-contact').innerText(), /Left a message — Maria Santos, .*“Voicemail; will ring back” · call again /);
});

test('S6 (hotel): regular guests past their usual return, with the open incident; a room booked for the day they name', async () => {
  const { hearth, page } = await demoPage(cleanup, 'hotel');

  await page.getByTestId('open-recall').click();
  await page.getByRole('heading', { name: 'Regulars due back' }).waitFor();
  const rows = page.getByTestId('recall-row');
  await rows.first().waitFor();
  assert.ok((await rows.count()) >= 3);
  const first = await rows.first().innerText();
  assert.match(first, /Stays (about )?every \d+ (weeks|months) \(\d+ stays\)/);
  assert.match(first, /Overdue \d+ days?/);
  assert.match(first, /Last: .+ · Stay · Room \d+/);
  const troubled = rows.filter({ has: page.getByTestId('recall-incident').filter({ hasText: '⚠ Open incident: Charged twice for the minibar' }) });
  await troubled.waitFor();
  await screenshot(page, 'recall-hotel-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);

  // They say yes on the phone: a room for the nights they name, booked from the list.
  const name = await troubled.locator('h2 button').innerText();
  await troubled.getByTestId('recall-find').click();
  await troubled.getByLabel('Nights').fill('3');
  await troubled.getByRole('button', { name: 'Find rooms' }).click();
  const room = troubled.getByTestId('recall-room').first();
  await room.waitFor();
  await room.click();
  await page.getByText(new RegExp(`Booked ${name}: Room \\d+, .+ for 3 nights`)).waitFor();
  await rows.filter({ hasText: name }).waitFor({ state: 'detached' });
});
