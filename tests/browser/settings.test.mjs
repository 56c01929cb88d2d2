// The manager's Settings, as a manager would use them: rename a chair and see it on the
// calendar, close a day and have the core refuse bookings on it, change opening hours,
// be told when another desk changed the practice meanwhile; and a front-desk member who
// tries to change settings sees the core's refusal.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { futureWeekday, instant, launchBrowser, openDay, screenshot, signIn, startHearth } from './harness.js';

let hearth, browser, page, practice, tz, chairs, providers, types, manager, desk, day;

async function practiceNow() {
  return (await hearth.api('get_practice')).practice;
}

/** Wait until `check()` holds (the core answers asynchronously to the screen). */
async function eventually(check, what, timeout = 5000) {
  const until = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Someone else takes over this window: lock it (Ctrl+L), "Someone else", their name. */
async function actAs(staff) {
  await page.keyboard.press('Control+l');
  await page.getByTestId('lock-panel').waitFor();
  await page.getByTestId('switch-staff').click();
  await page.getByTestId(`demo-login-${staff.login}`).click();
  await page.getByTestId('lock-panel').waitFor({ state: 'detached' });
}

/** Open Settings from the calendar's header and go to a section. */
async function openSettings(section = 'practice') {
  const settings = page.getByTestId('settings');
  if (!(await settings.isVisible())) {
    await page.getByTestId('open-settings').click();
    await settings.waitFor();
  }
  await page.getByTestId(`section-${section}`).click();
  await eventually(
    async () => (await page.getByTestId(`section-${section}`).getAttribute('aria-current')) === 'page',
    `the ${section} section`,
  );
}

before(async () => {
  hearth = await startHearth({ demo: 'dental' });
  practice = await practiceNow();
  tz = practice.time_zone;
  const resources = await hearth.api('list_resources', { include_archived: false });
  chairs = resources.filter((r) => r.kind === 'chair').sort((a, b) => a.sort_order - b.sort_order);
  providers = resources.filter((r) => r.kind === 'provider');
  types = await hearth.api('list_appointment_types', { include_archived: false });
  const staff = await hearth.api('list_staff', { include_archived: false });
  manager = staff.find((s) => s.role === 'manager');
  desk = staff.find((s) => s.role === 'front_desk');
  assert.ok(chairs.length >= 2 && manager && desk, 'the demo has chairs, a manager and a front desk');
  // A Wednesday some weeks ahead with nothing booked on it.
  for (let weeks = 10; ; weeks++) {
    day = futureWeekday(tz, 3, weeks, hearth.now());
    const booked = await hearth.api('list_bookings', {
      from_ms: instant(day, '00:00', tz),
      to_ms: instant(day, '23:59', tz),
      include_cancelled: false,
    });
    if (booked.length === 0) break;
    assert.ok(weeks < 40, 'found an empty day');
  }
  browser = await launchBrowser();
  page = await browser.newPage();
  await signIn(page, hearth.url, desk.login);
});

after(async () => {
  await browser?.close();
  await hearth?.stop();
});

test('Settings is in the header only for a manager', async () => {
  await openDay(page, hearth.url, day);
  assert.equal(await page.getByTestId('signed-in-as').innerText(), desk.name);
  const button = page.getByTestId('open-settings');
  assert.equal(await button.count(), 0, 'the front desk has no Settings button');

  await actAs(manager);
  assert.equal(await page.getByTestId('signed-in-as').innerText(), manager.name);
  await button.click();
  await page.getByTestId('settings').waitFor();
  await page.getByTestId('practice-form').waitFor();
  assert.equal(await page.getByTestId('practice-name-input').inputValue(), practice.name);
  await screenshot(page, 'settings-1366');

  const axe = await new AxeBuilder({ page }).include('[data-testid="settings"]').analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help}`), [], 'no serious accessibility problems');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'no horizontal scrolling at 1366×768');
});

test('the manager renames a chair and sees the new name as a calendar column', async () => {
  await openSettings('resources');
  const chair = chairs[1];
  const row = page.getByTestId(`resource-row-${chair.id}`);
  await row.getByLabel(`Name of ${chair.name}`).fill('Surgery 2');
  await row.getByRole('button', { name: 'Save' }).click();
  await eventually(
    async () => (await hearth.api('list_resources', { include_archived: false })).some((r) => r.id === chair.id && r.name === 'Surgery 2'),
    'the core to store the new name',
  );
  await eventually(async () => (await row.getByRole('button', { name: 'Save' }).isDisabled()), 'the row to be saved');
  await screenshot(page, 'settings-resources-1366');

  await page.keyboard.press('Escape');
  await page.locator('[data-testid="calendar"] .ec-body').waitFor();
  await eventually(
    async () => (await page.locator('.ec-col-head').allTextContents()).map((t) => t.trim()).includes('Surgery 2'),
    'the calendar column to read Surgery 2',
  );
});

test('archiving a chair that still has bookings is refused in the core’s words', async () => {
  await openSettings('resources');
  const chair = chairs[0];
  const row = page.getByTestId(`resource-row-${chair.id}`);
  await row.getByRole('button', { name: 'Archive' }).click();
  const refusal = page.getByTestId('settings-error');
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /upcoming bookings\. Move or cancel them first/);
  assert.equal((await hearth.api('list_resources', { include_archived: false })).some((r) => r.id === chair.id), true);
});

test('the manager closes a day, and the core then refuses a booking on it', async () => {
  await openSettings('blocks');
  await page.getByTestId('closed-from').fill(day);
  await page.getByTestId('closed-to').fill(day);
  await page.getByTestId('closed-reason').fill('Staff training');
  await page.getByTestId('add-closed-days').click();
  await eventually(
    async () => (await page.getByTestId('blocks-list').textContent()).includes('Staff training'),
    'the closed day in the list',
  );
  await screenshot(page, 'settings-blocks-1366');

  // The front desk, on another computer, tries to book on it.
  const refused = await hearth.api('create_booking', {
    person_name: 'Ana Quintero',
    person_phone: '07700 900555',
    type_id: types[0].id,
    resource_ids: [chairs[2]?.id ?? chairs[0].id, providers[0].id],
    time: { kind: 'timed', starts_at_ms: instant(day, '10:00', tz), ends_at_ms: instant(day, '10:30', tz) },
    notes: '',
    override_rules: false,
  }, desk.login).then(() => null, (e) => e);
  assert.equal(refused?.code, 'booking.blocked', refused?.message);

  // Removing it frees the day again.
  const blocks = await hearth.api('list_blocks', { from_ms: instant(day, '00:00', tz), to_ms: instant(day, '23:59', tz) });
  const ours = blocks.find((b) => b.reason === 'Staff training');
  await page.getByTestId(`block-row-${ours.id}`).getByRole('button', { name: 'Remove' }).click();
  await eventually(async () => (await page.getByTestId(`block-row-${ours.id}`).count()) === 0, 'the block to go');
});

test('the manager changes opening hours; leaving with unsaved changes asks first', async () => {
  await openSettings('practice');
  const friday = page.getByTestId('hours-friday');
  await friday.getByLabel('Friday closes').fill('13:00');
  await friday.getByRole('button', { name: 'Remove Friday break 1' }).click();
  const wednesday = page.getByTestId('hours-wednesday');
  await wednesday.getByRole('button', { name: 'Add a break on Wednesday' }).click();
  await wednesday.getByLabel('Wednesday break 2 starts').fill('15:00');
  await wednesday.getByLabel('Wednesday break 2 ends').fill('15:30');
  const saturday = page.getByTestId('hours-saturday');
  await saturday.getByLabel('Saturday open').check();
  await saturday.getByLabel('Saturday opens').fill('09:00');
  await saturday.getByLabel('Saturday closes').fill('12:00');
  // Arrivals may be marked from half an hour before the start.
  await page.getByLabel('Arrivals can be marked').selectOption({ label: '30 minutes before the start' });

  // Escape with unsaved changes asks; keep editing.
  await page.keyboard.press('Escape');
  const ask = page.getByRole('dialog', { name: /discard your unsaved changes/i });
  await ask.waitFor();
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  assert.equal(await page.getByTestId('settings').isVisible(), true);

  await page.getByTestId('save-practice').click();
  await eventually(async () => (await practiceNow()).version > practice.version, 'the practice to be saved');
  const hours = (await practiceNow()).opening_hours;
  const fri = hours.find((d) => d.weekday === 4);
  const wed = hours.find((d) => d.weekday === 2);
  const sat = hours.find((d) => d.weekday === 5);
  assert.deepEqual(fri, { weekday: 4, opens: 480, closes: 780, breaks: [] });
  assert.deepEqual(wed.breaks, [{ start: 720, end: 780 }, { start: 900, end: 930 }]);
  assert.deepEqual(sat, { weekday: 5, opens: 540, closes: 720, breaks: [] });
  assert.equal((await practiceNow()).early_arrival_minutes, 30);
  await eventually(async () => page.getByTestId('save-practice').isDisabled(), 'the form to be clean');
});

test('the manager sets how many months after a filling the patient is due back (the recall)', async () => {
  await openSettings('types');
  const filling = types.find((t) => t.name === 'Filling');
  const checkup = types.find((t) => t.name === 'Check-up');
  assert.equal(checkup.recall_months, 6, 'check-ups recall after six months');
  const row = page.getByTestId(`type-row-${filling.id}`);
  const recall = row.getByLabel('Recall after Filling, in months');
  assert.equal(await recall.inputValue(), '', 'a filling has no recall yet');
  await recall.fill('12');
  await row.getByRole('button', { name: 'Save' }).click();
  await eventually(
    async () => (await hearth.api('list_appointment_types', {})).some((t) => t.id === filling.id && t.recall_months === 12),
    'the core to store the recall',
  );
  // Out of range: the core's words, nothing stored.
  await recall.fill('0');
  await row.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Say after how many months they are due back').waitFor();
  assert.equal((await hearth.api('list_appointment_types', {})).find((t) => t.id === filling.id).recall_months, 12);
  await row.getByRole('button', { name: /Undo/ }).click();
  await screenshot(page, 'settings-types-recall-1366');
  await page.keyboard.press('Escape');
});

test('a change made meanwhile on another desk is not overwritten: the manager is told and sees it', async () => {
  await openSettings('practice');
  await page.getByTestId('practice-name-input').fill('Riverside Dental & Implants');
  // Another desk saves first.
  const p = await practiceNow();
  const { version: _v, kind: _k, demo: _d, ...rest } = p;
  await hearth.api('update_practice', { ...rest, expected_version: p.version, slot_minutes: 10 }, manager.id);
  await page.getByTestId('save-practice').click();
  const refusal = page.getByTestId('settings-error');
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /changed on another desk/);
  assert.equal(await refusal.getAttribute('data-code'), 'booking.stale');
  // The form now shows the other desk's change.
  await eventually(async () => (await page.getByTestId('slot-minutes').inputValue()) === '10', 'the other desk’s grid');
  assert.equal(await page.getByTestId('practice-name-input').inputValue(), p.name);
});

test('a front-desk member cannot reach Settings, and the core refuses what they force', async () => {
  await actAs(desk);
  await page.locator('[data-testid="calendar"]').waitFor();
  await page.goto(`${hearth.url}/#settings`);
  await page.getByRole('alert').filter({ hasText: 'Only managers can open Settings.' }).waitFor();
  assert.equal(await page.getByTestId('settings').count(), 0);
  const forced = await page.evaluate(async (id) => {
    const r = await fetch('/api/commands/save_resource', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, kind: 'chair', name: 'Chair A', colour: '#123456' }),
    });
    return [r.status, await r.json()];
  }, chairs[0].id);
  assert.equal(forced[0], 403);
  assert.equal(forced[1].code, 'staff.forbidden');
  assert.equal(forced[1].message, 'Only managers can change the practice settings.');
  const stored = (await hearth.api('list_resources', { include_archived: false })).find((r) => r.id === chairs[0].id);
  assert.equal(stored.name, chairs[0].name, 'nothing changed');
});

test('the manager changes when a preparation rule\'s task is due, and adds one', async () => {
  await actAs(manager);
  await openSettings('preparation');
  // The rows are the core's rules in its order.
  const rules = await hearth.api('list_task_rules', { include_inactive: true });
  const birthday = rules.find((r) => r.occasion_kind === 'birthday');
  const row = page.getByTestId('rule').nth(rules.indexOf(birthday));
  assert.equal(await row.getByTestId('rule-title').inputValue(), birthday.title);
  await row.getByTestId('rule-hours').fill('48');
  await row.getByText('2 days before the start').waitFor();
  await row.getByRole('button', { name: 'Save' }).click();
  await eventually(
    async () => (await hearth.api('list_task_rules', {})).some((r) => r.id === birthday.id && r.offset_minutes === -2880),
    'the core to store two days before',
  );
  await page.getByTestId('add-rule').click();
  const added = page.getByTestId('new-rule');
  await added.getByLabel('Which occasion').selectOption('first_visit');
  await added.getByTestId('rule-title').fill('Call {name} the day before');
  await added.getByTestId('rule-hours').fill('24');
  await added.getByRole('button', { name: 'Add' }).click();
  await eventually(
    async () => (await hearth.api('list_task_rules', {})).some((r) => r.title === 'Call {name} the day before' && r.offset_minutes === -1440),
    'the core to store the new rule',
  );
  await screenshot(page, 'settings-preparation-rules-1366');
  await page.keyboard.press('Escape');
});

test('a manager whose role is taken away on another desk loses Settings at once', async () => {
  // A second manager, who has chosen their own password.
  await hearth.api('save_staff', { name: 'Sam Lee', role: 'manager', colour: '#654321', login: 'sam', temporary_password: 'temporary-1' });
  await hearth.signInAs('sam', 'temporary-1');
  await hearth.api('change_password', { current_password: 'temporary-1', new_password: 'sam-own-password' }, 'sam');
  await actAs(manager);
  await openSettings('resources');
  // Sam makes Helen front desk.
  await hearth.api('save_staff', {
    id: manager.id, name: manager.name, role: 'front_desk', colour: manager.colour, login: null, temporary_password: null,
  }, 'sam');
  await page.getByRole('alert').filter({ hasText: 'Only managers can open Settings.' }).waitFor();
  await page.locator('[data-testid="calendar"]').waitFor();
  assert.equal(await page.getByTestId('open-settings').count(), 0);
  assert.deepEqual(browser.errors, []);
});
