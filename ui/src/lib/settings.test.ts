import { describe, expect, it } from 'vitest';
import type { Practice } from './bindings/Practice';
import {
  blockRange, bySortOrder, describeBlock, DraftError, draftToHours, draftToUpdate, editedIds, endTimeToMinute,
  hoursToDraft, isSettingsHash, mergeDrafts, minuteToTime, nextSortOrder, practiceToDraft, samePracticeDraft,
  sectionFromHash, settingsSections, timeToMinute, upcomingWindow, colourForInput,
} from './settings';
import { vocabulary } from './vocabulary';
import { atMinute } from './time';

const LONDON = 'Europe/London';

const practice: Practice = {
  kind: 'dental',
  name: 'Riverside Dental',
  time_zone: LONDON,
  slot_minutes: 15,
  check_in_minute: 900,
  check_out_minute: 660,
  early_arrival_minutes: 120,
  idle_lock_minutes: 10,
  occasion_lead_days: 7,
  country: '',
  waiting_alert_minutes: 10,
  demo: false,
  time_format: '24h',
  date_order: 'dmy',
  opening_hours: [
    { weekday: 0, opens: 480, closes: 1020, breaks: [{ start: 720, end: 780 }] },
    { weekday: 3, opens: 480, closes: 1140, breaks: [] },
  ],
  version: 3,
};

describe('sections and the address', () => {
  it('opens Settings from #settings and names a section', () => {
    expect(isSettingsHash('#settings')).toBe(true);
    expect(isSettingsHash('#settings/staff')).toBe(true);
    expect(isSettingsHash('#settingsx')).toBe(false);
    expect(isSettingsHash('')).toBe(false);
    expect(sectionFromHash('#settings/blocks')).toBe('blocks');
    expect(sectionFromHash('#settings/preparation')).toBe('preparation');
    expect(sectionFromHash('#settings/nonsense')).toBe('practice');
    expect(sectionFromHash('#settings')).toBe('practice');
  });

  it('speaks the practice kind', () => {
    const dental = settingsSections(vocabulary('dental'), false).map((s) => s.label);
    const hotel = settingsSections(vocabulary('hotel'), true).map((s) => s.label);
    expect(dental).toContain('Chairs and providers');
    expect(dental).toContain('Appointment types');
    expect(hotel).toContain('Rooms and room types');
    expect(hotel).toContain('Stay types');
  });
});

describe('times of day', () => {
  it('reads and writes HH:MM', () => {
    expect(timeToMinute('08:30')).toBe(510);
    expect(timeToMinute('')).toBeNull();
    expect(timeToMinute('25:00')).toBeNull();
    expect(minuteToTime(510)).toBe('08:30');
  });

  it('treats a closing time of midnight as the end of the day', () => {
    expect(endTimeToMinute('00:00')).toBe(1440);
    expect(endTimeToMinute('17:00')).toBe(1020);
    expect(minuteToTime(1440)).toBe('00:00');
  });
});

describe('opening hours', () => {
  it('lists all seven days, closed ones with default times', () => {
    const days = hoursToDraft(practice.opening_hours);
    expect(days).toHaveLength(7);
    expect(days[0]).toEqual({ weekday: 0, open: true, opens: '08:00', closes: '17:00', breaks: [{ start: '12:00', end: '13:00' }] });
    expect(days[1].open).toBe(false);
    expect(days[3].closes).toBe('19:00');
  });

  it('round-trips to what the core stores', () => {
    expect(draftToHours(hoursToDraft(practice.opening_hours))).toEqual(practice.opening_hours);
  });

  it('keeps a 24-hour day (hotels) as 00:00–24:00', () => {
    const hours = [{ weekday: 6, opens: 0, closes: 1440, breaks: [] }];
    expect(draftToHours(hoursToDraft(hours))).toEqual(hours);
  });

  it('asks for a time left empty rather than sending nonsense', () => {
    const days = hoursToDraft(practice.opening_hours);
    days[0].breaks[0].end = '';
    expect(() => draftToHours(days)).toThrow(DraftError);
    expect(() => draftToHours(days)).toThrow(/end of the break for Monday/);
  });

  it('builds the update with the version it was read at', () => {
    const d = practiceToDraft(practice);
    d.name = 'Riverside Dental Care';
    d.days[5].open = true;
    const req = draftToUpdate(d, practice.version);
    expect(req.expected_version).toBe(3);
    expect(req.name).toBe('Riverside Dental Care');
    expect(req.check_in_minute).toBe(900);
    expect(req.early_arrival_minutes).toBe(120);
    expect(req.opening_hours.map((h) => h.weekday)).toEqual([0, 3, 5]);
    expect(req.opening_hours[2]).toEqual({ weekday: 5, opens: 540, closes: 1020, breaks: [] });
  });

  it('ignores the hidden times of a closed day when telling edits apart', () => {
    const a = practiceToDraft(practice);
    const b = practiceToDraft(practice);
    b.days[1].opens = '07:00';
    expect(samePracticeDraft(a, b)).toBe(true);
    b.days[1].open = true;
    expect(samePracticeDraft(a, b)).toBe(false);
  });
});

describe('rows being edited', () => {
  const toDraft = (r: { id: number; name: string }) => ({ name: r.name });

  it('keeps a row being edited and refreshes the others', () => {
    const before = [{ id: 1, name: 'Chair 1' }, { id: 2, name: 'Chair 2' }];
    const drafts = { 1: { name: 'Chair One' }, 2: { name: 'Chair 2' } };
    const after = [{ id: 1, name: 'Chair 1' }, { id: 2, name: 'Surgery 2' }, { id: 3, name: 'Chair 3' }];
    expect(mergeDrafts(drafts, before, after, toDraft)).toEqual({
      1: { name: 'Chair One' },
      2: { name: 'Surgery 2' },
      3: { name: 'Chair 3' },
    });
    expect(editedIds({ 1: { name: 'Chair One' }, 2: { name: 'Chair 2' } }, before, toDraft)).toEqual([1]);
  });

  it('orders like the calendar and numbers a new row last', () => {
    const items = [
      { name: 'B', sort_order: 2 },
      { name: 'A', sort_order: 2 },
      { name: 'C', sort_order: 1 },
    ];
    expect(bySortOrder(items).map((i) => i.name)).toEqual(['C', 'A', 'B']);
    expect(nextSortOrder(items)).toBe(3);
    expect(nextSortOrder([])).toBe(1);
  });

  it('gives colour inputs the #rrggbb they need', () => {
    expect(colourForInput('#ABC')).toBe('#aabbcc');
    expect(colourForInput('#0ea5e9')).toBe('#0ea5e9');
    expect(colourForInput('teal')).toBe('#888888');
  });
});

describe('blocked time', () => {
  const name = (id: number) => `Chair ${id}`;

  it('turns a date and two times into instants in the practice zone (BST)', () => {
    const [a, b] = blockRange('2025-06-03', '10:00', '12:30', LONDON);
    expect(new Date(a).toISOString()).toBe('2025-06-03T09:00:00.000Z');
    expect(new Date(b).toISOString()).toBe('2025-06-03T11:30:00.000Z');
    const [, end] = blockRange('2025-06-03', '16:00', '00:00', LONDON);
    expect(new Date(end).toISOString()).toBe('2025-06-03T23:00:00.000Z');
    expect(() => blockRange('2025-06-03', '', '12:00', LONDON)).toThrow(DraftError);
    expect(() => blockRange('', '10:00', '12:00', LONDON)).toThrow(/date/);
  });

  it('reads a closed day, a closed span and part of a day', () => {
    const day = describeBlock(
      { id: 1, resource_id: null, starts_at_ms: atMinute('2025-12-25', 0, LONDON), ends_at_ms: atMinute('2025-12-26', 0, LONDON), reason: 'Christmas' },
      LONDON,
      name,
    );
    expect(day).toMatchObject({ wholeDays: true, who: 'Whole practice', reason: 'Christmas' });
    expect(day.when).toMatch(/^Thursday,? 25 December 2025$/); // ICU versions differ on the comma
    // A hotel closes as a hotel.
    const block = { id: 1, resource_id: null, starts_at_ms: atMinute('2025-12-25', 0, LONDON), ends_at_ms: atMinute('2025-12-26', 0, LONDON), reason: 'Christmas' };
    expect(describeBlock(block, LONDON, name, vocabulary('hotel').place).who).toBe('Whole hotel');

    const span = describeBlock(
      { id: 2, resource_id: 2, starts_at_ms: atMinute('2025-12-24', 0, LONDON), ends_at_ms: atMinute('2025-12-27', 0, LONDON), reason: 'Repair' },
      LONDON,
      name,
    );
    expect(span.wholeDays).toBe(true);
    expect(span.when).toMatch(/^Wed,? 24 Dec – Fri,? 26 Dec 2025$/);
    expect(span.who).toBe('Chair 2');

    const part = describeBlock(
      { id: 3, resource_id: 1, starts_at_ms: atMinute('2025-06-03', 600, LONDON), ends_at_ms: atMinute('2025-06-03', 720, LONDON), reason: 'Meeting' },
      LONDON,
      name,
    );
    expect(part).toMatchObject({ wholeDays: false, who: 'Chair 1', reason: 'Meeting' });
    expect(part.when).toMatch(/^Tue,? 3 Jun 2025, 10:00–12:00$/);
  });

  it('looks a year ahead', () => {
    const w = upcomingWindow(1_000);
    expect(w.from_ms).toBe(1_000);
    expect(w.to_ms - w.from_ms).toBeGreaterThanOrEqual(365 * 86_400_000);
  });
});
