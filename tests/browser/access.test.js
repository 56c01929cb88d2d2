// Who is at the desk, for real: a newcomer is in the demo with one click; the screen locks
// after the practice's idle minutes without losing what was typed, and unlocks with the
// password or switches to someone else; housekeeping sees no Settings and is refused if it
// forces its way; the manager's Activity screen shows the booking just made, and who has
// looked at a patient's record.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanups, launchBrowser, screenshot, seriousA11yProblems, signIn, startHearth } from './harness.js';

const cleanup = cleanups(after);
const serious = seriousA11yProblems;

async function start(demo) {
  const hearth = await startHearth({ demo });
  cleanup(() => hearth.stop());
  const browser = await launchBrowser();
  cleanup(() => browser.close());
  return { hearth, browser };
}

test('a newcomer signs into the demo with one click; a wrong password is refused in words', async () => {
  const { hearth, browser } = await start('dental');
  const page = await browser.newPage();
  await page.goto(hearth.url);
  await page.getByTestId('demo-note').waitFor();
  assert.match(await page.getByTestId('demo-note').innerText(), /password is\s+demo/);
  // Nothing behind the sign-in screen answers without a session.
  const refused = await page.evaluate(async () => {
    const r = await fetch('/api/commands/list_staff', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
    });
    return [r.status, (await r.json()).code];
  });
  assert.deepEqual(refused, [401, 'auth.required']);
  // A plain-text post (what another site's form can send unasked) is refused
  // before anything else is looked at.
  const plain = await page.evaluate(async () => {
    const r = await fetch('/api/sign-in', { method: 'POST', body: JSON.stringify({ login: 'maria', password: 'demo' }) });
    return [r.status, (await r.json()).code];
  });
  assert.deepEqual(plain, [415, 'input.content_type']);
  await screenshot(page, 'sign-in-1366');
  assert.deepEqual(await serious(page), []);

  await page.getByTestId('login').fill('maria');
  await page.getByTestId('password').fill('not-her-password');
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('sign-in-error').filter({ hasText: /don't match/ }).waitFor();

  await page.getByTestId('demo-login-maria').click();
  await page.locator('[data-testid="calendar"] [data-booking-id]').first().waitFor();
  assert.equal(await page.getByTestId('signed-in-as').innerText(), 'Maria Santos');
  // The front desk books but does not manage: no Settings, no Activity.
  assert.equal(await page.getByTestId('open-settings').count(), 0);
  assert.equal(await page.getByTestId('open-activity').count(), 0);
});

test('the screen locks after the idle minutes, keeps the open dialog, unlocks with the password, and switches staff', async () => {
  const { hearth, browser } = await start('dental');
  const page = await browser.newPage();
  // The page's clock is the test's: ten idle minutes pass in a moment.
  await page.clock.install();
  await signIn(page, hearth.url, 'maria');
  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog', { name: /new appointment/i });
  await dialog.waitFor();
  await page.getByTestId('person-name').fill('Ana Half-Typed');

  await page.clock.fastForward('10:30');
  const lock = page.getByTestId('lock-panel');
  await lock.waitFor();
  assert.match(await page.getByTestId('locked-for').innerText(), /Maria Santos was signed in/);
  // The lock covers everything: no appointment and no half-typed name is visible.
  assert.equal(await page.getByText('Ana Half-Typed').isVisible().catch(() => false), false);
  assert.equal(await page.locator('[data-testid="calendar"]').isVisible(), false, 'the calendar is hidden');
  await screenshot(page, 'lock-1366');
  assert.deepEqual(await serious(page), []);
  // The session ended at the core too.
  const after = await page.evaluate(async () => (await fetch('/api/session')).json());
  assert.equal(after.signed_in, null);

  // While it is locked, another desk books: the locked screen hears of it, and nothing it
  // tried meanwhile ("Sign in to carry on") is waiting on screen after the unlock.
  const types = await hearth.api('list_appointment_types', {});
  const [slot] = await hearth.api('find_slots', { type_id: types[0].id, from_date: new Date(hearth.now()).toISOString().slice(0, 10), within_days: 14, count: 1 });
  await hearth.api('create_booking', {
    person_name: 'Elsewhere Booked', someone_new: true, type_id: types[0].id, resource_ids: slot.resource_ids,
    time: { kind: 'timed', starts_at_ms: slot.starts_at_ms, ends_at_ms: slot.ends_at_ms },
  });
  await page.clock.fastForward('00:05');

  await page.getByTestId('password').fill('wrong-password');
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('sign-in-error').waitFor();
  await page.getByTestId('password').fill('demo');
  await page.getByTestId('sign-in-submit').click();
  await lock.waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('person-name').inputValue(), 'Ana Half-Typed', 'nothing typed was lost');
  assert.equal(await page.getByTestId('signed-in-as').count() > 0, true);
  await page.clock.fastForward('00:03');
  assert.equal(await page.getByTestId('notice-error').count(), 0, 'no stale error after the unlock');

  // Ctrl+L locks at once; someone else takes over the desk.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+l');
  await lock.waitFor();
  await page.getByTestId('switch-staff').click();
  await page.getByTestId('demo-login-tom').click();
  await lock.waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('signed-in-as').innerText(), 'Tom Reid');
});

test('housekeeping sees no Settings and is refused when it forces its way', async () => {
  const { hearth, browser } = await start('hotel');
  const page = await browser.newPage();
  await signIn(page, hearth.url, 'ines');
  // Housekeeping's day starts on its task board; the calendar is one click away.
  await page.getByTestId('tasks').waitFor();
  await page.getByTestId('tasks-close').click();
  assert.equal(await page.getByTestId('signed-in-as').innerText(), 'Ines Duarte');
  assert.equal(await page.getByTestId('open-settings').count(), 0);
  await page.goto(`${hearth.url}/#settings`);
  await page.getByRole('alert').filter({ hasText: 'Only managers can open Settings.' }).waitFor();
  assert.equal(await page.getByTestId('settings').count(), 0);
  await page.locator('[data-testid="calendar"]').waitFor();
  const forced = await page.evaluate(async () => {
    const r = await fetch('/api/commands/save_room_type', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Suite' }),
    });
    return [r.status, (await r.json()).code];
  });
  assert.deepEqual(forced, [403, 'staff.forbidden']);
  // Nor can it book.
  const booking = await page.evaluate(async () => {
    const r = await fetch('/api/commands/create_booking', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
    });
    return (await r.json()).code;
  });
  assert.equal(booking, 'staff.forbidden');
});

test("the manager's Activity screen shows the booking just made, by whom and where", async () => {
  const { hearth, browser } = await start('dental');
  const types = await hearth.api('list_appointment_types', { include_archived: false });
  const resources = await hearth.api('list_resources', { include_archived: false });
  const checkup = types.find((t) => t.needs_chair && t.needs_provider);
  const chair = resources.find((r) => r.kind === 'chair');
  const provider = resources.find((r) => r.kind === 'provider');
  const at = Date.UTC(2031, 2, 4, 10, 0);
  const b = await hearth.api('create_booking', {
    person_name: 'Activity Person', type_id: checkup.id, resource_ids: [chair.id, provider.id],
    time: { kind: 'timed', starts_at_ms: at, ends_at_ms: at + checkup.duration_minutes * 60_000 },
  }, 'maria');

  // A device that is not signed in sends 25 requests: one entry, then a count
  // once the minute is over (here: the practice computer restarts two minutes on).
  for (let i = 0; i < 25; i++) {
    const r = await fetch(`${hearth.url}/api/commands/list_staff`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Scanner' }, body: '{}',
    });
    assert.equal(r.status, 401);
  }
  await hearth.moveClock(hearth.now() + 2 * 60_000);

  const page = await browser.newPage();
  await signIn(page, hearth.url, 'helen');
  await page.getByTestId('open-activity').click();
  await page.getByTestId('activity').waitFor();
  const flood = page.getByTestId('activity-row').filter({ hasText: /Refused: not signed in × 24 more/ });
  await flood.waitFor();
  const row = page.getByTestId('activity-row').filter({ hasText: `#${b.id}` });
  await row.first().waitFor();
  const text = await row.first().innerText();
  assert.match(text, /Maria Santos/);
  assert.match(text, /Booked an appointment/);
  assert.match(text, /Done/);
  await screenshot(page, 'activity-1366');
  assert.deepEqual(await serious(page), []);
  // Filtered by the booking, only its entries are left.
  await page.getByTestId('activity-booking').fill(String(b.id));
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="activity-row"]').length === 1);
  // Filtered by staff member: Tom did nothing.
  await page.getByTestId('activity-booking').fill('');
  await page.getByTestId('activity-staff').selectOption({ label: 'Tom Reid' });
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByText('Nothing matches these filters.').waitFor();
});

test("a manager sees, from a patient's page, who has looked at the record and through what", async () => {
  const { hearth, browser } = await start('dental');
  const types = await hearth.api('list_appointment_types', { include_archived: false });
  const resources = await hearth.api('list_resources', { include_archived: false });
  const checkup = types.find((t) => t.needs_chair && t.needs_provider);
  const chair = resources.find((r) => r.kind === 'chair');
  const provider = resources.find((r) => r.kind === 'provider');
  const quentin = await hearth.api('save_person', {
    given_name: 'Quentin', family_name: 'Quill', phone: '07700 900555', date_of_birth: '1961-04-02',
  }, 'maria');
  const at = Date.UTC(2031, 2, 4, 10, 0);
  const b = await hearth.api('create_booking', {
    person_id: quentin.id, type_id: checkup.id, resource_ids: [chair.id, provider.id],
    time: { kind: 'timed', starts_at_ms: at, ends_at_ms: at + checkup.duration_minutes * 60_000 },
  }, 'maria');
  // The receptionist finds him and opens his arrival card; refreshing it all hour is one look.
  await hearth.api('search_people', { query: 'Quill' }, 'maria');
  for (let i = 0; i < 5; i++) await hearth.api('get_arrival_card', { booking_id: b.id }, 'maria');

  const page = await browser.newPage();
  await signIn(page, hearth.url, 'helen');
  await page.getByTestId('open-search').click();
  const box = page.getByTestId('person-search-input');
  await box.fill('Quill');
  await page.locator('[data-testid="person-results"][data-query="Quill"]').waitFor();
  await box.press('Enter');
  await page.getByTestId('person-page').waitFor();
  await page.getByTestId('who-looked-button').click();
  await page.getByTestId('activity').waitFor();
  assert.match(await page.getByTestId('activity-person').innerText(), /Quentin Quill/);
  const rows = page.getByTestId('who-looked-row');
  await rows.filter({ hasText: 'arrival card' }).waitFor();
  const maria = await rows.filter({ hasText: 'Maria Santos' }).allInnerTexts();
  assert.equal(maria.length, 2, maria.join('\n'));
  assert.ok(maria.some((r) => /search/.test(r)) && maria.some((r) => /arrival card\s+\S+.*\s1$/s.test(r)), maria.join('\n'));
  // Helen's own look, through his page just now, is there too.
  await rows.filter({ hasText: 'Helen' }).filter({ hasText: 'person page' }).waitFor();
  // The trail below: one entry per member, screen and hour.
  const looked = page.getByTestId('activity-row').filter({ hasText: /Saw Quentin Quill’s details · arrival card/ });
  assert.equal(await looked.count(), 1);
  await screenshot(page, 'who-looked-1366');
  assert.deepEqual(await serious(page), []);
  // The chip clears the person: everyone's activity again.
  await page.getByRole('button', { name: 'Show everyone’s activity' }).click();
  await page.getByTestId('activity-person').waitFor({ state: 'detached' });
  await page.getByTestId('who-looked').waitFor({ state: 'detached' });
});

test('a practice file from before sign-in: a manager chooses the first password, then gives the others theirs', async () => {
  const old = await startHearth({ fixture: 'v1.db' });
  cleanup(() => old.stop());
  const browser = await launchBrowser();
  cleanup(() => browser.close());
  const page = await browser.newPage();
  await page.goto(old.url);
  await page.getByRole('heading', { name: 'Choose a manager password' }).waitFor();
  await screenshot(page, 'first-password-1366');
  assert.deepEqual(await serious(page), []);
  await page.getByTestId('login').fill('helen');
  await page.getByTestId('password').fill('short');
  await page.getByTestId('password-again').fill('short');
  await page.getByRole('button', { name: 'Save and sign in' }).click();
  // The browser's own check (minlength) or the core's: nothing is saved either way.
  assert.equal((await old.session()).first_password_managers.length, 1);
  await page.getByTestId('password').fill('helen-first-pw');
  await page.getByTestId('password-again').fill('helen-first-pw');
  await page.getByRole('button', { name: 'Save and sign in' }).click();
  await page.locator('[data-testid="calendar"]').waitFor();
  assert.equal((await old.session()).first_password_managers.length, 0, 'only once');

  // The manager gives the front desk a login and a temporary password in Settings → Staff.
  await page.getByTestId('open-settings').click();
  await page.getByTestId('section-staff').click();
  const form = page.getByTestId('add-staff');
  await form.getByLabel('Name of the new staff member').fill('Tom Reid');
  await form.getByLabel('Login of the new staff member').fill('tom');
  await form.getByLabel('Temporary password of the new staff member').fill('welcome-tom');
  await form.getByRole('button', { name: 'Add staff member' }).click();
  await page.getByText('Tom Reid added.', { exact: false }).waitFor();
  await page.getByTestId('staff-list').getByText('temporary password').first().waitFor();
  await screenshot(page, 'settings-staff-1366');

  // Tom signs in at another computer and must choose his own password first.
  const second = await launchBrowser();
  cleanup(() => second.close());
  const other = await second.newPage();
  await other.goto(old.url);
  await other.getByTestId('login').fill('tom');
  await other.getByTestId('password').fill('welcome-tom');
  await other.getByTestId('sign-in-submit').click();
  await other.getByTestId('change-first').waitFor();
  await screenshot(other, 'change-password-first-1366');
  await other.getByTestId('current-password').fill('welcome-tom');
  await other.getByTestId('new-password').fill('toms-own-pw');
  await other.getByTestId('new-password-again').fill('toms-own-pw');
  await other.getByRole('button', { name: 'Save and carry on' }).click();
  await other.locator('[data-testid="calendar"]').waitFor();
  assert.equal(await other.getByTestId('signed-in-as').innerText(), 'Tom Reid');
});
