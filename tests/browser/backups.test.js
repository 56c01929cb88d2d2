// The manager sees the practice's backups: the practice computer backed itself up as it
// started, checked, and Settings → Backups says when, how big and where. The front desk has
// no Backups section, and the core refuses it the read.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanups, demoPage, screenshot, seriousA11yProblems } from './harness.js';

const cleanup = cleanups(after);

test('Settings → Backups shows the last verified backup the practice computer took by itself', async () => {
  const { hearth, page } = await demoPage(cleanup, 'dental', 'helen');
  // The practice computer backs up at once on start: wait for the core to see it.
  let status;
  for (let i = 0; i < 50; i++) {
    status = await hearth.api('get_backup_status', {}, 'helen');
    if (status.newest_good_ms !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(status.newest_good_ms !== null && !status.stale, JSON.stringify(status));
  assert.match(status.folder, /-backups$/, 'beside the practice folder, not inside it');
  await page.goto(`${hearth.url}/#settings/backups`);
  const panel = page.getByTestId('backups');
  await panel.getByTestId('backups-newest').filter({ hasText: /Last verified backup: (Just now|\d+ min ago)/ }).waitFor();
  assert.match(await panel.getByTestId('backups-folder').innerText(), /-backups$/);
  await screenshot(page, 'settings-backups-1366');
  assert.deepEqual(await seriousA11yProblems(page), []);

  // The front desk: no such section, and the core says no.
  const refused = await hearth.api('get_backup_status', {}, 'maria').then(() => null, (e) => e);
  assert.equal(refused?.code, 'staff.forbidden');
});
