// Drag and resize: what a move on the grid means as a booking change (new time, new
// chair or room), sent to the core; a refusal puts the item back and says why, with
// "Book anyway" when the core says the rule may be set aside on purpose.
import { call } from '../api/client';
import { act } from '../api/act.svelte';
import type { Booking } from '../bindings/Booking';
import type { BookingTime } from '../bindings/BookingTime';
import { notices } from '../notices.svelte';
import { addDays, fromWall, wallDate, wallOfLocalDate } from '../time';

/** An item on the grid as the grid hands it over. */
export type GridItem = { id: string; start: Date; end: Date; display?: string; extendedProps: Record<string, unknown>; resourceIds: string[] };
export type MoveInfo = { event: GridItem; oldResource?: { id: string }; newResource?: { id: string }; revert: () => void };

/** The grid works in the practice's wall clock: a grid Date → epoch ms. */
export function msOfGrid(d: Date, timeZone: string): number {
  return fromWall(wallOfLocalDate(d), timeZone);
}

/** The booking time an item now covers: nights for a hotel, a timed span otherwise. */
export function timeOf(item: GridItem, hotel: boolean, timeZone: string): BookingTime {
  if (hotel) {
    return { kind: 'nights', arrival: wallDate(wallOfLocalDate(item.start)), departure: wallDate(wallOfLocalDate(item.end)) };
  }
  return { kind: 'timed', starts_at_ms: msOfGrid(item.start, timeZone), ends_at_ms: msOfGrid(item.end, timeZone) };
}

/** The time a booking holds now, as a move would send it. */
export function timeOfBooking(b: Booking): BookingTime {
  if (b.arrival_date && b.departure_date) return { kind: 'nights', arrival: b.arrival_date, departure: b.departure_date };
  return { kind: 'timed', starts_at_ms: b.starts_at_ms, ends_at_ms: b.ends_at_ms };
}

/**
 * The booking's resources after a drop onto another column or row (null: unchanged),
 * or `'refuse'` for a drop onto a room-type heading.
 */
export function resourcesAfterDrop(b: Booking, info: MoveInfo): number[] | null | 'refuse' {
  if (!info.oldResource || !info.newResource || info.oldResource.id === info.newResource.id) return null;
  if (info.newResource.id.startsWith('rt-')) return 'refuse';
  const from = Number(info.oldResource.id);
  const to = Number(info.newResource.id);
  return b.resource_ids.map((r) => (r === from ? to : r));
}

/** A selection on the grid, as what a new booking is prefilled with. */
export function selectionPrefill(
  info: { start: Date; end: Date; resource?: { id: string } },
  hotel: boolean,
  timeZone: string,
): { arrival?: string; departure?: string; startMs?: number; endMs?: number; placeId?: number } {
  const rid = info.resource?.id;
  const placeId = rid && !rid.startsWith('rt-') ? Number(rid) : undefined;
  if (hotel) {
    const arrival = wallDate(wallOfLocalDate(info.start));
    let departure = wallDate(wallOfLocalDate(info.end));
    if (departure <= arrival) departure = addDays(arrival, 1);
    return { arrival, departure, placeId };
  }
  return { startMs: msOfGrid(info.start, timeZone), endMs: msOfGrid(info.end, timeZone), placeId };
}

/**
 * Sends a move to the core. On success its answer is already in the calendar's reads (the
 * query layer puts it there); on refusal the item goes back (`revert`), the core's words
 * show, and a stale copy reloads (`reload`).
 */
export async function moveBooking(args: {
  booking: Booking;
  time: BookingTime;
  resourceIds: number[] | null;
  override: boolean;
  revert: () => void;
  reload: () => void;
  describe: (b: Booking) => string;
}): Promise<void> {
  const { booking: b, time, resourceIds, override, revert, reload, describe } = args;
  const saved = await act(() => call('update_booking', {
    id: b.id,
    expected_version: b.version,
    person_name: null,
    person_phone: null,
    type_id: null,
    resource_ids: resourceIds,
    time,
    notes: null,
    override_rules: override,
    someone_new: false,
  }), {
    refused: (err) => {
      revert();
      if (err.code === 'booking.stale') reload();
      const actions =
        err.details.overridable === true
          ? [{ label: 'Book anyway', danger: true, run: () => moveBooking({ ...args, override: true, revert: reload }) }]
          : [];
      notices.error(err.message, actions);
    },
  });
  if (!saved) return;
  notices.clearErrors();
  // Undo puts it back where it was, as one more move (the core checks it again).
  const back = () => moveBooking({ ...args, booking: saved, time: timeOfBooking(b), resourceIds: b.resource_ids, override: false, revert: reload });
  notices.info(`Moved ${saved.person_name} to ${describe(saved)}.`, [{ label: 'Undo', run: back }]);
}
