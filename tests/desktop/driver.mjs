// What every desktop test does first: a home of its own (data, config, cache), tauri-driver
// on a free pair of ports with that home in its environment, and the window opened
// through it; and, at the end, the window ended if closing the session left it running.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { remote } from 'webdriverio';
import { deskMorning } from '../browser/clock.js';

/**
 * A fresh home for the app: `{ home, env, clockStartsAt }` (`extra` adds variables). The
 * app's practice clock starts at `clockStartsAt` (a Tuesday at 10:30, `deskMorning()`),
 * never the machine's, so the test passes whatever day it runs.
 */
export function freshHome(prefix, extra = {}) {
  const clockStartsAt = deskMorning();
  const home = mkdtempSync(join(tmpdir(), prefix));
  for (const d of ['data', 'config', 'cache']) mkdirSync(join(home, d));
  return {
    home,
    clockStartsAt,
    env: {
      ...process.env,
      HEARTH_CLOCK_STARTS_AT: String(clockStartsAt),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      // WebDriver's screenshots need WebKit's compositing, which Hearth leaves off to save memory.
      HEARTH_WEBKIT_COMPOSITING: '1',
      ...extra,
    },
  };
}

/**
 * Starts tauri-driver with `env` on a port from `base` up; resolves once it answers. A port
 * (or its native neighbour) that something else holds makes tauri-driver quit or never
 * answer without a word: then another pair is tried.
 */
export async function startDriver(env, base) {
  const bin = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
  for (let attempt = 1; attempt <= 4; attempt++) {
    const port = base + Math.floor(Math.random() * 400) * 2;
    const driver = spawn(existsSync(bin) ? bin : 'tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], {
      env, stdio: ['ignore', 'ignore', 'inherit'],
    });
    let exited = false;
    driver.on('exit', () => (exited = true));
    const until = Date.now() + 10_000;
    while (Date.now() < until && !exited) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/status`, { signal: AbortSignal.timeout(1000) });
        if (r.ok) return { driver, port };
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    driver.kill();
    console.error(`# tauri-driver did not answer on ports ${port}/${port + 1} (attempt ${attempt}); trying others`);
  }
  throw new Error('tauri-driver did not start');
}

/** Opens `app`'s window through the driver on `port`. */
export function openWindow(port, app) {
  return remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'error',
    connectionRetryTimeout: 120_000,
    capabilities: { browserName: 'wry', 'tauri:options': { application: app }, 'wdio:enforceWebDriverClassic': true },
  });
}

/** Opens `app`'s window at 1366×800 through a new tauri-driver with `env`: `{ driver, browser }`. */
export async function launchWindow(app, env, base) {
  const { driver, port } = await startDriver(env, base);
  const browser = await openWindow(port, app);
  await browser.setWindowSize(1366, 800).catch(() => {});
  return { driver, browser };
}

/** Ends a window from `launchWindow`; after a failed test, its last sight is kept as `name`.png in the temp folder. */
export async function closeWindow({ driver, browser }, app, name) {
  if (process.exitCode && browser) await browser.saveScreenshot(join(tmpdir(), `${name}.png`)).catch(() => {});
  await browser?.deleteSession().catch(() => {});
  endWindow(driver, app);
}

/**
 * Ends the driver and, if closing the session left it running, the window (it is the
 * driver's grandchild and holds this process's output open).
 */
export function endWindow(driver, app) {
  driver?.kill();
  try {
    execFileSync('pkill', ['-f', '--', app], { stdio: 'ignore' });
  } catch {
    /* none left: the usual case */
  }
}

/** Calls a Hearth command through the window's own IPC, as the screens do. */
export function command(browser, name, args, extra = {}) {
  return browser.executeAsync(
    (name, args, extra, done) => {
      window.__TAURI_INTERNALS__
        .invoke('hearth_command', { name, args: JSON.stringify(args), origin: 'desktop-test', ...extra })
        .then((v) => done({ ok: v }), (e) => done({ err: e }));
    },
    name,
    args,
    extra,
  );
}
