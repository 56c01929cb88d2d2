// The installed package, as a person on a second computer meets it (not part of
// `npm test`: scripts/package-test.sh runs it after installing the .deb). The app the
// desktop menu entry starts opens to its first screen; a second launch hands over to
// the open window and ends; the window's size is remembered for the next start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endWindow, freshHome, openWindow, startDriver } from './driver.mjs';

const app = process.env.HEARTH_APP;
const { home, env: homeEnv } = freshHome('hearth-installed-');
const env = { ...homeEnv, HEARTH_DB: join(home, 'practice.db') };
let driver;
let port;

before(async () => {
  assert.ok(app && existsSync(app), `HEARTH_APP must name the installed hearth-desktop (${app})`);
  ({ driver, port } = await startDriver(env, 6444));
});

after(() => endWindow(driver, app));

test('the installed app opens to its first screen, once per computer, at the size it was left', async () => {
  const browser = await openWindow(port, app);
  await browser.$('button=Open the demo practice').waitForDisplayed({ timeout: 60_000 });
  assert.equal(await browser.getTitle(), 'Hearth');
  await browser.pause(600); // WebKit paints a frame behind the DOM
  await browser.saveScreenshot(join(tmpdir(), 'hearth-installed-first-run.png'));

  // A second launch (the menu entry clicked again) hands over to this window and ends.
  const second = spawn(app, [], { env, stdio: 'ignore' });
  const code = await new Promise((ok) => {
    const t = setTimeout(() => ok('still running'), 15_000);
    second.on('exit', (c) => {
      clearTimeout(t);
      ok(c);
    });
  });
  if (code === 'still running') second.kill();
  assert.equal(code, 0, 'the second launch ended at once');
  await browser.$('button=Open the demo practice').waitForDisplayed();

  // The window's size is kept for next time.
  await browser.setWindowSize(1200, 720);
  await browser.pause(500);
  // Closed as a person closes it (the window's close button asks the same).
  await browser.execute(() => {
    void window.__TAURI_INTERNALS__.invoke('plugin:window|close', { label: 'main' });
  }).catch(() => {});
  await browser.pause(1500);
  await browser.deleteSession().catch(() => {});
  await new Promise((r) => setTimeout(r, 1000));
  const kept = join(home, 'config', 'app.hearth.desktop', '.window-state.json');
  assert.ok(existsSync(kept), `the window state was kept (${kept})`);
  const state = JSON.parse(readFileSync(kept, 'utf8'));
  const main = state.main ?? Object.values(state)[0];
  assert.ok(Math.abs(main.width - 1200) <= 40 && Math.abs(main.height - 720) <= 80, JSON.stringify(state));
});
