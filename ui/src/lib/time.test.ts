import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatWeekday, addDays, atMinute, daysBetween, describeAdjustment, durationWords, floatingIso, floatingToMs, formatDate, formatDateSpan, formatTime, fromWall,
  localDate, mondayOf, offsetText, parseFloating, resolveWall, toWall, weekdayOf,
  dateFieldHint, formatDateField, formatTimeField, parseDateField, parseTimeField, setPracticeFormat, timeFieldHint,
} from './time';

interface Case {
  zone: string;
  local: string;
  why: string;
  utc_ms: number;
  adjustment: 'exact' | 'moved_forward' | 'first_of_two';
  moved_minutes: number;
  local_after: string;
}

// The same table the core's tests read (scheduling/time.rs).
const table = JSON.parse(
  readFileSync(new URL('../../../tests/fixtures/local-time-cases.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

describe('the local-time rule, shared with the core', () => {
  it.each(table.cases)('$zone $local: $why', (c) => {
    const { ms, adjustment } = resolveWall(parseFloating(c.local), c.zone);
    expect(ms).toBe(c.utc_ms);
    expect(adjustment.kind).toBe(c.adjustment);
    expect(adjustment.kind === 'moved_forward' ? adjustment.minutes : 0).toBe(c.moved_minutes);
    expect(formatTime(ms, c.zone)).toBe(c.local_after);
  });

  it('says in words what it did to a typed time', () => {
    expect(describeAdjustment('2026-03-08', 150, 'America/New_York')).toBe(
      `02:30 does not exist on ${formatDate('2026-03-08')} (the clocks go forward), so it means 03:30.`,
    );
    expect(describeAdjustment('2026-11-01', 90, 'America/New_York')).toBe(
      `01:30 happens twice on ${formatDate('2026-11-01')} (the clocks go back); this is the first 01:30, before the change.`,
    );
    expect(describeAdjustment('2026-11-02', 90, 'America/New_York')).toBeNull();
  });
});

describe('time in the practice zone', () => {
  it('shows an instant in the practice zone, not the browser zone', () => {
    const ms = Date.UTC(2026, 5, 2, 8, 30); // 08:30 UTC, summer
    expect(formatTime(ms, 'Europe/London')).toBe('09:30');
    expect(formatTime(ms, 'America/New_York')).toBe('04:30');
    expect(formatTime(ms, 'Asia/Kolkata')).toBe('14:00');
  });

  it('round-trips wall clock and instants', () => {
    const ms = Date.UTC(2026, 10, 23, 15, 45);
    for (const tz of ['Europe/London', 'Pacific/Auckland', 'America/Los_Angeles', 'UTC']) {
      expect(floatingToMs(floatingIso(ms, tz), tz)).toBe(ms);
      expect(fromWall(toWall(ms, tz), tz)).toBe(ms);
    }
  });

  it('handles the spring-forward gap and the autumn repeat (London)', () => {
    // 29 March 2026: 01:00 → 02:00. 01:30 does not exist: it moves forward by the gap.
    expect(formatTime(atMinute('2026-03-29', 90, 'Europe/London'), 'Europe/London')).toBe('02:30');
    // A day that is 23 hours long.
    const start = atMinute('2026-03-29', 0, 'Europe/London');
    const next = atMinute('2026-03-30', 0, 'Europe/London');
    expect((next - start) / 3_600_000).toBe(23);
    // 25 October 2026: 01:30 happens twice; the first is taken.
    const first = atMinute('2026-10-25', 90, 'Europe/London');
    expect(first).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });

  it('counts dates and weekdays as the core does (0 = Monday)', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(daysBetween('2026-11-20', '2026-11-25')).toBe(5);
    expect(weekdayOf('2026-11-23')).toBe(0);
    expect(weekdayOf('2026-11-29')).toBe(6);
    expect(mondayOf('2026-11-26')).toBe('2026-11-23');
    expect(localDate(Date.UTC(2026, 10, 23, 23, 30), 'Europe/Berlin')).toBe('2026-11-24');
  });

  it('labels spans and offsets', () => {
    expect(formatDateSpan('2026-11-23', '2026-11-27')).toBe('23–27 November 2026');
    expect(formatDateSpan('2026-11-30', '2026-12-04')).toBe('30 November – 4 December 2026');
    expect(offsetText(Date.UTC(2026, 5, 1), 'Europe/London')).toBe('+01:00');
    expect(offsetText(Date.UTC(2026, 0, 1), 'America/New_York')).toBe('-05:00');
  });
});

describe('a time to resolve in words', () => {
  it('says it as the core does', () => {
    expect([30, 120, 125, 1440, 4320].map(durationWords)).toEqual(['30 min', '2 h', '2 h 5 min', '1 day', '3 days']);
  });
});

describe('the practice’s formats, whatever the computer’s locale', () => {
  afterEach(() => setPracticeFormat({ time_format: '24h', date_order: 'dmy' }));

  it('writes and reads dates day first, month first or year first', () => {
    expect(formatDateField('2026-11-24')).toBe('24/11/2026');
    expect(parseDateField('24/11/2026')).toBe('2026-11-24');
    expect(parseDateField('24.11.26')).toBe('2026-11-24');
    expect(parseDateField('2026-11-24')).toBe('2026-11-24');
    expect(parseDateField('31/02/2026')).toBeNull();
    expect(parseDateField('11/24/2026')).toBeNull();
    setPracticeFormat({ time_format: '24h', date_order: 'mdy' });
    expect(formatDateField('2026-11-24')).toBe('11/24/2026');
    expect(parseDateField('11/24/2026')).toBe('2026-11-24');
    expect(dateFieldHint()).toBe('MM/DD/YYYY');
    setPracticeFormat({ time_format: '24h', date_order: 'ymd' });
    expect(formatDateField('2026-11-24')).toBe('2026-11-24');
    expect(parseDateField('2026/11/24')).toBe('2026-11-24');
  });

  it('writes and reads times on a 24- or a 12-hour clock', () => {
    expect(formatTimeField('14:05')).toBe('14:05');
    expect(parseTimeField('1405')).toBe('14:05');
    expect(parseTimeField('9')).toBe('09:00');
    expect(parseTimeField('2:30 pm')).toBe('14:30');
    expect(parseTimeField('12am')).toBe('00:00');
    expect(parseTimeField('24:00')).toBeNull();
    expect(parseTimeField('13 pm')).toBeNull();
    setPracticeFormat({ time_format: '12h', date_order: 'dmy' });
    expect(formatTimeField('14:05')).toBe('2:05 pm');
    expect(formatTimeField('00:30')).toBe('12:30 am');
    expect(formatTime(Date.UTC(2026, 10, 24, 12, 0), 'Europe/London')).toBe('12:00 pm');
    expect(timeFieldHint()).toBe('h:mm am');
  });
});

describe('formatWeekday', () => {
  it('says the weekday alone, with no comma or date', () => {
    expect(formatWeekday('2026-11-24')).toBe('Tue');
    expect(formatWeekday('2026-11-29')).toBe('Sun');
    expect(formatWeekday('2024-02-29')).toBe('Thu');
  });
});
