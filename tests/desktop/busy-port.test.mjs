// The practice computer was left shared, but when Hearth starts another program holds its
// port (here a `hearth serve --share` on the same file). The other computers would only
// say they can't reach it, so whoever signs in at the practice computer is told why, and a
// manager is taken to Settings → Sharing to choose another port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHearth } from '../browser/harness.js';
import { closeWindow, freshHome, launchWindow } from './driver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const app = join(root, 'target/debug/hearth-desktop');
const shots = join(root, 'docs/screenshots');

let opened = {};
let browser;
let hearth;

before(async () => {
  assert.ok(existsSync(app), `build the desktop app first: cargo build -p hearth-desktop --features tauri/custom-protocol (${app})`);
  // The file says "shared on this port", and that port is taken.
  hearth = await startHearth({ demo: 'dental', share: true });
  const { env } = freshHome('hearth-busy-port-', { HEARTH_SHARE_ADDR: '127.0.0.1' });
  opened = await launchWindow(app, { ...env, HEARTH_DB: hearth.db }, 7444);
  ({ browser } = opened);
});

after(async () => {
  await closeWindow(opened, app, 'hearth-busy-port-failure');
  await hearth?.stop();
});

test('a practice computer that cannot share says so at sign-in, and a manager is taken to Sharing', async () => {
  const helen = await browser.$('[data-testid="demo-login-helen"]');
  await helen.waitForDisplayed({ timeout: 30_000 });
  await helen.click();
  const notice = await browser.$('[data-testid="notice-error"]');
  await notice.waitForDisplayed({ timeout: 15_000 });
  const words = await notice.getText();
  assert.match(words, /other computers can't connect to this one/);
  assert.match(words, new RegExp(`port ${hearth.port} is already in use`));
  assert.match(words, /choose another port or close what uses it/);
  await browser.pause(600); // WebKit paints a frame behind the DOM
  await browser.saveScreenshot(join(shots, 'desktop-share-port-busy.png'));

  await notice.$('button=Open Sharing').click();
  const problem = await browser.$('[data-testid="share-problem"]');
  await problem.waitForDisplayed({ timeout: 10_000 });
  assert.match(await problem.getText(), /Hearth could not share the practice: port \d+ is already in use/);
});
