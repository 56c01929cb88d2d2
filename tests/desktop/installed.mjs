// The installed package, as a person on a second computer meets it (not part of
// `npm test`: scripts/package-test.sh runs it after installing the .deb). The app the
// desktop menu entry starts opens to its first screen; a second launch hands over to
// the open window and ends; the window's size is remembered for the next start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { remote } from 'webdriverio';

const app = process.env.HEARTH_APP;
const port = 6444 + Math.floor(Math.random() * 400) * 2;
const home = mkdtempSync(join(tmpdir(), 'hearth-installed-'));
for (const d of ['data', 'config', 'cache']) mkdirSync(join(home, d));
const env = {
  ...process.env,
  HEARTH_DB: join(home, 'practice.db'),
  XDG_DATA_HOME: join(home, 'data'),
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_CACHE_HOME: join(home, 'cache'),
};
let driver;

async function waitForDriver() {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('tauri-driver did not start');
}

async function open() {
  return remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'error',
    connectionRetryTimeout: 120_000,
    capabilities: { browserName: 'wry', 'tauri:options': { application: app }, 'wdio:enforceWebDriverClassic': true },
  });
}

before(async () => {
  assert.ok(app && existsSync(app), `HEARTH_APP must name the installed hearth-desktop (${app})`);
  const tauriDriver = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
  driver = spawn(existsSync(tauriDriver) ? tauriDriver : 'tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], {
    env, stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForDriver();
});

after(() => {
  driver?.kill();
  try {
    execFileSync('pkill', ['-f', '--', app], { stdio: 'ignore' });
  } catch {
    /* none left */
  }
});

test('the installed app opens to its first screen, once per computer, at the size it was left', async () => {
  let browser = await open();
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
