// Turning the core's bookings, blocks and opening hours into items for the calendar grid.
// Pure functions: the grid shows the practice's wall clock as "floating" times.
import type { Block } from './bindings/Block';
import type { Booking } from './bindings/Booking';
import type { Shift } from './bindings/Shift';
import type { Practice } from './bindings/Practice';
import { addDays, atMinute, floatingIso, localDate, weekdayOf } from './time';

export interface GridEvent {
  id: string;
  start: string;
  end: string;
  allDay?: boolean;
  resourceIds?: string[];
  display?: 'auto' | 'background';
  title?: string;
  classNames?: string[];
  styles?: string[];
  editable?: boolean;
  extendedProps?: Record<string, unknown>;
}

/** The hours the day and week views show: earliest opening to latest closing. */
export function visibleHours(practice: Practice): { min: number; max: number } {
  const open = practice.opening_hours;
  if (open.length === 0) return { min: 8 * 60, max: 18 * 60 };
  const min = Math.min(...open.map((d) => d.opens));
  const max = Math.max(...open.map((d) => d.closes));
  // Whole hours read better on the time axis.
  return { min: Math.floor(min / 60) * 60, max: Math.min(24 * 60, Math.ceil(max / 60) * 60) };
}

/** Where a stay starts and ends on its arrival and departure days on the tape chart. */
const STAY_HALF_DAY = '12:00:00';

/** A booking on the grid. Stays run from noon on arrival to noon on departure; appointments are timed. */
export function bookingEvent(b: Booking, timeZone: string, placeIds: ReadonlySet<number>): GridEvent {
  const resourceIds = b.resource_ids.filter((id) => placeIds.has(id)).map(String);
  // What the item shows beyond the booking's own fields (its person's alert, occasions, the
  // other rooms of a family): when any of it changes, the grid draws the item anew.
  const looks = [b.version, b.alert ?? '', b.occasions.length, b.remembered, b.also_rooms.join(',')].join('|');
  const classNames = ['hearth-booking', `status-${b.status}`];
  if (b.overridden) classNames.push('overridden');
  const editable = b.status !== 'cancelled' && b.status !== 'no_show' && b.status !== 'completed' &&
    b.status !== 'checked_out';
  if (b.arrival_date && b.departure_date) {
    // A one-night stay is drawn a day wide: its name leads, without the status mark.
    if (b.departure_date <= addDays(b.arrival_date, 1)) classNames.push('one-night');
    // Noon to noon: the arrival's afternoon to the departure's morning, so a guest who
    // leaves today still has their half day on the chart, and the next one arrives beside it.
    return {
      id: String(b.id),
      start: `${b.arrival_date}T${STAY_HALF_DAY}`,
      end: `${b.departure_date}T${STAY_HALF_DAY}`,
      resourceIds,
      title: b.person_name,
      classNames,
      styles: [`--type-colour: ${b.colour}`],
      editable,
      extendedProps: { bookingId: b.id, looks },
    };
  }
  return {
    id: String(b.id),
    start: floatingIso(b.starts_at_ms, timeZone),
    end: floatingIso(b.ends_at_ms, timeZone),
    resourceIds,
    title: b.person_name,
    classNames,
    styles: [`--type-colour: ${b.colour}`],
    editable,
    extendedProps: { bookingId: b.id, looks },
  };
}

/**
 * Shaded time when the practice is closed: closed weekdays, before opening, after
 * closing and breaks, for `days` days from `from` (a local date).
 */
export function closedTimeEvents(
  practice: Practice,
  from: string,
  days: number,
  resourceIds: string[],
): GridEvent[] {
  const tz = practice.time_zone;
  const { min, max } = visibleHours(practice);
  const out: GridEvent[] = [];
  const push = (date: string, startMin: number, endMin: number, kind: string) => {
    if (endMin <= startMin) return;
    out.push({
      id: `closed-${date}-${startMin}-${kind}`,
      start: floatingIso(atMinute(date, startMin, tz), tz),
      end: floatingIso(atMinute(date, endMin, tz), tz),
      display: 'background',
      resourceIds,
      classNames: ['hearth-closed', `closed-${kind}`],
      editable: false,
      // A day closed all day says so, rather than leaving a blank grey grid.
      ...(kind === 'day' ? { extendedProps: { reason: 'Closed' } } : {}),
    });
  };
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i);
    const hours = practice.opening_hours.find((d) => d.weekday === weekdayOf(date));
    if (!hours) {
      push(date, min, max, 'day');
      continue;
    }
    push(date, min, hours.opens, 'before');
    push(date, hours.closes, max, 'after');
    for (const br of hours.breaks) push(date, br.start, br.end, 'break');
  }
  return out;
}

/**
 * A provider's time off inside the practice's hours (their rota: `shifts`; none means they
 * work whenever it is open), shaded in their week: "Not working", or "Day off" all day.
 */
export function offRotaEvents(practice: Practice, shifts: readonly Shift[], from: string, days: number): GridEvent[] {
  if (shifts.length === 0) return [];
  const tz = practice.time_zone;
  const out: GridEvent[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i);
    const wd = weekdayOf(date);
    const hours = practice.opening_hours.find((d) => d.weekday === wd);
    if (!hours) continue;
    const mine = shifts.filter((x) => x.weekday === wd).sort((a, b) => a.start - b.start);
    const off: [number, number][] = [];
    let cursor = hours.opens;
    for (const x of mine) {
      if (x.start > cursor) off.push([cursor, Math.min(x.start, hours.closes)]);
      cursor = Math.max(cursor, x.end);
    }
    if (cursor < hours.closes) off.push([cursor, hours.closes]);
    const reason = mine.length === 0 ? 'Day off' : 'Not working';
    for (const [a, b] of off) {
      if (b <= a) continue;
      out.push({
        id: `rota-${date}-${a}`,
        start: floatingIso(atMinute(date, a, tz), tz),
        end: floatingIso(atMinute(date, b, tz), tz),
        display: 'background',
        resourceIds: [],
        classNames: ['hearth-closed', 'closed-rota'],
        editable: false,
        extendedProps: { reason },
      });
    }
  }
  return out;
}

/** Blocked time (whole practice or one chair/room), shaded with its reason. */
export function blockEvents(
  blocks: readonly Block[],
  timeZone: string,
  placeIds: readonly string[],
  allDay = false,
): GridEvent[] {
  return blocks.map((bl) => {
    const resourceIds = bl.resource_id === null ? [...placeIds] : [String(bl.resource_id)];
    if (allDay) {
      const startDate = localDate(bl.starts_at_ms, timeZone);
      let endDate = localDate(bl.ends_at_ms, timeZone);
      if (endDate <= startDate) endDate = addDays(startDate, 1);
      return {
        id: `block-${bl.id}`,
        start: startDate,
        end: endDate,
        allDay: true,
        display: 'background' as const,
        resourceIds,
        title: bl.reason,
        classNames: ['hearth-closed', 'closed-block'],
        editable: false,
        extendedProps: { reason: bl.reason },
      };
    }
    return {
      id: `block-${bl.id}`,
      start: floatingIso(bl.starts_at_ms, timeZone),
      end: floatingIso(bl.ends_at_ms, timeZone),
      display: 'background' as const,
      resourceIds,
      title: bl.reason,
      classNames: ['hearth-closed', 'closed-block'],
      editable: false,
      extendedProps: { reason: bl.reason },
    };
  });
}
