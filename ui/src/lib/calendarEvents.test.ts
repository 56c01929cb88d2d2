import { describe, expect, it } from 'vitest';
import { blockEvents, bookingEvent, closedTimeEvents, visibleHours } from './calendarEvents';
import type { Booking } from './bindings/Booking';
import type { Practice } from './bindings/Practice';

const practice: Practice = {
  kind: 'dental',
  name: 'Test',
  time_zone: 'Europe/London',
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
    { weekday: 3, opens: 540, closes: 1140, breaks: [] },
  ],
  version: 1,
};

const booking: Booking = {
  id: 7, person_name: 'Ana Ruiz', person_phone: '', person_id: 3, alert: null, occasions: [], remembered: false, type_id: 1, type_name: 'Check-up', colour: '#0ea5e9',
  starts_at_ms: Date.UTC(2026, 5, 1, 9, 0), ends_at_ms: Date.UTC(2026, 5, 1, 9, 30),
  arrival_date: null, departure_date: null, status: 'booked', next_statuses: ['confirmed'], notes: '',
  resource_ids: [2, 5], cancel_reason: null, overridden: false, also_rooms: [], version: 1, updated_at_ms: 0, updated_by_name: null,
};

describe('calendar items', () => {
  it('spans the earliest opening to the latest closing', () => {
    expect(visibleHours(practice)).toEqual({ min: 480, max: 1140 });
  });

  it('places an appointment on its chair at the practice’s wall-clock time', () => {
    const ev = bookingEvent(booking, 'Europe/London', new Set([1, 2, 3]));
    expect(ev).toMatchObject({ id: '7', start: '2026-06-01T10:00:00', end: '2026-06-01T10:30:00', resourceIds: ['2'] });
  });

  it('draws a stay from noon on arrival to noon on departure, so a departure day still shows it', () => {
    const stay = { ...booking, arrival_date: '2026-06-01', departure_date: '2026-06-04', resource_ids: [9] };
    const ev = bookingEvent(stay, 'Europe/London', new Set([9]));
    expect(ev).toMatchObject({ start: '2026-06-01T12:00:00', end: '2026-06-04T12:00:00', resourceIds: ['9'] });
    expect(ev.allDay).toBeUndefined();
  });

  it('shades closed days, hours outside opening and breaks', () => {
    // Monday 1 June 2026 … Tuesday 2 June (closed).
    const evs = closedTimeEvents(practice, '2026-06-01', 2, ['1']);
    const spans = evs.map((e) => `${e.start.slice(5)}→${e.end.slice(11, 16)}`);
    expect(spans).toEqual([
      '06-01T17:00:00→19:00',
      '06-01T12:00:00→13:00',
      '06-02T08:00:00→19:00',
    ]);
    expect(evs.every((e) => e.display === 'background')).toBe(true);
    // The closed day says so in words; hours before and after opening do not.
    expect(evs.map((e) => e.extendedProps?.reason ?? null)).toEqual([null, null, 'Closed']);
  });

  it('shades a practice-wide block on every chair', () => {
    const [ev] = blockEvents(
      [{ id: 3, resource_id: null, starts_at_ms: Date.UTC(2026, 5, 1, 13), ends_at_ms: Date.UTC(2026, 5, 1, 14), reason: 'Staff training' }],
      'Europe/London',
      ['1', '2'],
    );
    expect(ev).toMatchObject({ start: '2026-06-01T14:00:00', resourceIds: ['1', '2'], extendedProps: { reason: 'Staff training' } });
  });
});
