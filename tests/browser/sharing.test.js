// S7 in a browser: housekeeping's tablet joins the practice shared by the front desk's
// computer (`hearth serve --share`, TLS, loopback here). Until it pairs it reaches nothing
// but the pairing screen, which explains the one-time certificate warning; a wrong code is
// refused in plain words; with the code of the moment it pairs and signs in as usual. A
// manager sees the code, the certificate's fingerprint and the paired computers in
// Settings → Sharing, and disconnects the tablet: it is refused at once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanups, fetchInsecure, launchBrowser, screenshot, seriousA11yProblems, startHearth } from './harness.js';

const cleanup = cleanups(after);
let hearth, tablet, manager;

before(async () => {
  hearth = await startHearth({ demo: 'hotel', share: true });
  cleanup(() => hearth.stop());
  const browser = await launchBrowser({ acceptPracticeCertificate: true });
  cleanup(() => browser.close());
  tablet = await browser.newPage();
  // The manager works at another computer: its own browser profile, its own pairing.
  const other = await launchBrowser({ acceptPracticeCertificate: true });
  cleanup(() => other.close());
  manager = await other.newPage();
});

test('an unpaired computer reaches nothing but pairing, whatever it asks', async () => {
  for (const [method, path] of [['GET', '/api/session'], ['POST', '/api/sign-in'], ['POST', '/api/commands/list_staff'], ['GET', '/api/events']]) {
    const r = await fetchInsecure(`${hearth.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'POST' ? JSON.stringify({ login: 'helen', password: 'demo' }) : undefined,
    });
    assert.equal(r.status, 401, path);
    assert.equal((await r.json()).code, 'workstation.unpaired', path);
  }
});

test('the tablet pairs with the code of the moment, after a wrong one, and signs in as usual', async () => {
  await tablet.goto(hearth.url);
  const screen = tablet.getByTestId('pair-screen');
  await screen.waitFor();
  assert.match(await screen.innerText(), /About the warning your browser showed/);
  assert.match(await screen.innerText(), /made its own certificate/);
  assert.deepEqual(await seriousA11yProblems(tablet), []);
  await screenshot(tablet, 'pair-browser');

  const code = hearth.shareCode();
  const wrong = code === '000000' ? '000001' : '000000';
  await tablet.getByTestId('pair-code').fill(wrong);
  await tablet.getByTestId('pair-name').fill('Housekeeping tablet');
  await tablet.getByTestId('pair-connect').click();
  const error = tablet.getByTestId('pair-error');
  await error.waitFor();
  assert.match(await error.innerText(), /doesn't match the one on the practice computer/);

  await tablet.getByTestId('pair-code').fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  await tablet.getByTestId('pair-connect').click();
  // Paired: the sign-in screen, as on any desk.
  await tablet.getByTestId('demo-login-maria').click();
  await tablet.locator('[data-testid="calendar"] .ec-body, [data-testid="tasks"]').first().waitFor();
  // The credential is an HttpOnly cookie: no script on the page can read it.
  assert.equal(await tablet.evaluate(() => document.cookie.includes('hearth_workstation')), false);
});

test('a manager sees the code, the fingerprint and the tablet, and disconnects it: refused at once', async () => {
  await manager.goto(hearth.url);
  await manager.getByTestId('pair-code').fill(hearth.shareCode());
  await manager.getByTestId('pair-name').fill('Back office');
  await manager.getByTestId('pair-connect').click();
  await manager.getByTestId('demo-login-helen').click();
  await manager.locator('[data-testid="calendar"] .ec-body').waitFor();
  await manager.goto(`${hearth.url}/#settings/sharing`);
  const section = manager.getByTestId('sharing-section');
  await section.waitFor();
  const shown = (await manager.getByTestId('pairing-code').innerText()).replace(/\s/g, '');
  assert.match(shown, /^\d{6}$/);
  assert.equal(shown, hearth.shareCode());
  assert.match(await manager.getByTestId('share-fingerprint').innerText(), /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  assert.match(await manager.getByTestId('share-addresses').innerText(), new RegExp(`127\\.0\\.0\\.1:${hearth.port}`));
  const row = manager.locator('[data-testid="workstation-row"][data-name="Housekeeping tablet"]');
  await row.waitFor();
  assert.match(await row.innerText(), /Browser or tablet/);
  assert.match(await row.innerText(), /Just now|min ago/);
  assert.deepEqual(await seriousA11yProblems(manager), []);
  await screenshot(manager, 'settings-sharing');

  await row.getByTestId('disconnect').click();
  await row.getByTestId('confirm-disconnect').click();
  await row.waitFor({ state: 'detached' });

  // The tablet's next step is refused: the pairing screen, saying why.
  await tablet.reload();
  const reason = tablet.getByTestId('pair-reason');
  await reason.waitFor({ timeout: 5000 });
  assert.match(await reason.innerText(), /withdrew this computer's access/);
  const api = await fetchInsecure(`${hearth.url}/api/session`);
  assert.equal(api.status, 401);
});
