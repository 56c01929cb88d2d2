import { describe, expect, it } from 'vitest';
import { tapeLayout, TAPE_DAYS } from './grid';

describe('the tape chart’s days', () => {
  it('shows as many days as leave a night wide enough for a name, at most a fortnight', () => {
    const narrow = tapeLayout(1080);
    expect(narrow.days).toBeGreaterThanOrEqual(7);
    expect(narrow.days).toBeLessThan(TAPE_DAYS);
    expect(narrow.halfDayPx * 2).toBeGreaterThanOrEqual(110);
    expect(tapeLayout(2400).days).toBe(TAPE_DAYS);
  });

  it('leaves room for long room names: fewer or narrower days, never wider than the window', () => {
    const short = tapeLayout(1080);
    const long = tapeLayout(1080, 260);
    expect(long.days * long.halfDayPx * 2).toBeLessThanOrEqual(1080 - 260 - 24);
    expect(long.days * long.halfDayPx).toBeLessThan(short.days * short.halfDayPx);
  });

  it('never shows less than a week, however narrow the window', () => {
    expect(tapeLayout(300).days).toBe(7);
    expect(tapeLayout(0).halfDayPx).toBeGreaterThan(0);
  });
});
