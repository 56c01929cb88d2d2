import { describe, expect, it } from 'vitest';
import { HearthError } from './api/client';
import { SettingsActions } from './settings.svelte';

// (RowDrafts follows a list with an effect, which runs only in a component: its merging
// rules are mergeDrafts/editedIds, tested in settings.test.ts, and the settings browser
// test covers a change from another desk arriving while a row is being edited.)

describe('SettingsActions', () => {
  it('runs a change, reloads after it and clears an earlier refusal', async () => {
    let reloads = 0;
    const ops = new SettingsActions(async () => {
      reloads++;
    });
    ops.errors.r1 = { message: 'old', code: 'x' };
    let during: string | null = null;
    const ok = await ops.run('r1', async () => {
      during = ops.busy;
    }, 'Saved.');
    expect(ok).toBe(true);
    expect(during).toBe('r1');
    expect(ops.busy).toBeNull();
    expect(reloads).toBe(1);
    expect(ops.errors.r1).toBeUndefined();
  });

  it('keeps the core’s refusal under its key and does not reload', async () => {
    let reloads = 0;
    const ops = new SettingsActions(async () => {
      reloads++;
    });
    ops.errors.other = { message: 'kept' };
    const refusal = new HearthError({ code: 'resource.in_use', message: 'Chair 1 still has bookings', details: {} });
    const ok = await ops.run('r2', () => Promise.reject(refusal), 'Archived.');
    expect(ok).toBe(false);
    expect(ops.busy).toBeNull();
    expect(reloads).toBe(0);
    expect(ops.errors.r2).toEqual({ message: 'Chair 1 still has bookings', code: 'resource.in_use' });
    expect(ops.errors.other).toEqual({ message: 'kept' });
  });
});
