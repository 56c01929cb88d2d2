// The week at 1366×768: one chair's or one provider's week, a day a column, so every
// booking shows its person's whole name; the switch says whose week it is; a focused
// booking shows all its details beside the grid; the first hour's label is on screen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, cleanups, demoPage, instant, localDate, screenshot, seriousA11yProblems,
} from './harness.js';

const cleanup = cleanups(after);
let hearth, page, tz, resources, monday;

/** The week's live bookings holding a resource, from the core. */
async function weekOf(resourceId) {
  const all = await hearth.api('list_bookings', {
    from_ms: instant(monday, '00:00', tz), to_ms: instant(addDays(monday, 7), '00:00', tz), include_cancelled: false,
  });
  return all.filter((b) => b.resource_ids.includes(resourceId));
}

/** Each booking item on the grid: whether its name shows whole and is tall enough to read. */
async function itemsOnGrid() {
  return page.locator('[data-testid="calendar"] [data-booking-id]').evaluateAll((els) =>
    els.map((el) => {
      const who = el.querySelector('.who');
      const r = who.getBoundingClientRect();
      return {
        id: Number(el.dataset.bookingId),
        name: who.textContent,
        whole: who.scrollWidth <= who.clientWidth + 1 && r.height >= 12 && r.width >= 60,
      };
    }));
}

before(async () => {
  ({ hearth, page } = await demoPage(cleanup, 'dental', 'maria'));
  const { practice } = await hearth.api('get_practice');
  tz = practice.time_zone;
  resources = await hearth.api('list_resources', { include_archived: false });
  const today = localDate(hearth.now(), tz);
  const dow = new Date(`${today}T12:00:00Z`).getUTCDay() || 7;
  monday = addDays(today, 1 - dow);
});

test('the week of one chair names every booking in full at 1366 px, and a provider’s week is a click away', async () => {
  await page.goto(`${hearth.url}/?view=week&date=${monday}`);
  const chair1 = resources.find((r) => r.name === 'Chair 1');
  const switcher = page.getByTestId('week-of');
  await switcher.getByRole('button', { name: 'Chair 1' }).and(page.locator('[aria-pressed="true"]')).waitFor();
  const expected = await weekOf(chair1.id);
  assert.ok(expected.length >= 10, 'the demo keeps Chair 1 busy this week');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="calendar"] [data-booking-id]').length === n, expected.length);
  const items = await itemsOnGrid();
  assert.deepEqual(items.map((i) => i.id).sort(), expected.map((b) => b.id).sort(), 'Chair 1’s bookings, and only those');
  for (const i of items) {
    const b = expected.find((x) => x.id === i.id);
    assert.ok(i.whole && i.name.includes(b.person_name), `${b.person_name}'s name shows whole on the week`);
  }
  await page.getByTestId('calendar').evaluate((el) => {
    el.querySelector('.ec-main').scrollTop = 0;
  });
  // The first hour's label is on screen, below the day headings.
  const first = page.locator('.ec-sidebar time', { hasText: /\d/ }).first();
  const [label, heads] = await Promise.all([first.boundingBox(), page.locator('.ec-header').first().boundingBox()]);
  assert.ok(label.y >= heads.y + heads.height - 1, `the ${await first.innerText()} label shows below the headings`);
  assert.equal(await first.innerText(), '08:00');
  await screenshot(page, 'dental-week-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);

  // Dr Lind's week: their bookings in every chair, the chair on each.
  const lind = resources.find((r) => r.name === 'Dr Lind');
  await switcher.getByRole('button', { name: 'Dr Lind' }).click();
  const lindsWeek = await weekOf(lind.id);
  await page.waitForFunction(
    (ids) => {
      const on = [...document.querySelectorAll('[data-testid="calendar"] [data-booking-id]')].map((e) => Number(e.dataset.bookingId));
      return on.length === ids.length && ids.every((id) => on.includes(id));
    },
    lindsWeek.map((b) => b.id),
  );
  assert.match(page.url(), new RegExp(`of=provider-${lind.id}`), 'the address keeps whose week it is');
  for (const i of await itemsOnGrid()) assert.ok(i.whole, `${i.name} shows whole in Dr Lind's week`);
  await page.getByRole('heading', { name: /this week — Dr Lind/ }).waitFor();
  // The week's list says which day each one is on.
  const earliest = [...lindsWeek].sort((a, b) => a.starts_at_ms - b.starts_at_ms)[0];
  const list = page.getByRole('list', { name: /in view/ });
  await list.getByText(new RegExp(`^${new Date(earliest.starts_at_ms).toLocaleDateString('en-GB', { weekday: 'short', timeZone: tz })} \\d{2}:\\d{2}`)).first().waitFor();
});

test('a booking chosen on the week shows its person, day, time, type, provider, phone and note beside the grid', async () => {
  const chair2 = resources.find((r) => r.name === 'Chair 2');
  const withNote = (await weekOf(chair2.id)).find((b) => b.person_phone);
  assert.ok(withNote, 'a booking with a phone in Chair 2 this week');
  await page.goto(`${hearth.url}/?view=week&date=${monday}&of=chair-${chair2.id}`);
  const item = page.locator(`[data-testid="calendar"] [data-booking-id="${withNote.id}"]`);
  await item.waitFor();
  await item.focus();
  const details = page.getByTestId('focused-details');
  await details.getByText(withNote.person_name, { exact: false }).first().waitFor();
  const text = await details.innerText();
  assert.match(text, new RegExp(withNote.type_name));
  assert.match(text, new RegExp(`☎ ${withNote.person_phone}`));
  assert.match(text, /\w{3} \d{1,2} \w{3}, \d{2}:\d{2}, Chair 2/, `the day and time: ${text}`);
  // Hovering shows the same in the item's title.
  assert.match(await item.getAttribute('title'), new RegExp(withNote.type_name));
});
