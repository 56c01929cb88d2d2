import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueryObserver } from '@tanstack/svelte-query';
import type { ChangeBatch } from '../bindings/ChangeBatch';
import type { Booking } from '../bindings/Booking';

/** Every command the layer asked the core for, with whether it was a background refetch. */
const asked: { name: string; req: unknown; background: boolean }[] = [];
/** What the fake core answers, by command. */
const answers: Record<string, (req: never) => unknown> = {};
vi.mock('./client', () => ({
  ORIGIN: 'this-window',
  onChanges: () => () => {},
  onWrite: () => () => {},
  call: async (name: string, req: never, opts: { background?: boolean } = {}) => {
    asked.push({ name, req, background: opts.background ?? false });
    await new Promise((r) => setTimeout(r, 5));
    return answers[name]?.(req) ?? [];
  },
}));

const { queryClient, readOptions, fetchRead, onBatch, onLocalWrite, keyOf, whenFresh, withBooking } = await import('./queries');

const batch = (topic: string, origin: string | null = 'another-window'): ChangeBatch => ({
  id: 7, origin, changes: [{ topic, ids: [1] }],
});
const DAY = { from_ms: 1000, to_ms: 2000, include_cancelled: false };
const booking = (id: number, starts: number, status: Booking['status'] = 'booked'): Booking => ({
  id, person_name: `Person ${id}`, person_phone: '', person_id: null, alert: null, occasions: [], remembered: false,
  type_id: 1, type_name: 'Check-up', colour: '#000', starts_at_ms: starts, ends_at_ms: starts + 100,
  arrival_date: null, departure_date: null, status, next_statuses: [], notes: '', resource_ids: [1],
  cancel_reason: null, overridden: false, also_rooms: [], version: 1, updated_at_ms: 0, updated_by_name: null,
});
const count = (name: string) => asked.filter((a) => a.name === name).length;

/** Show a read the way a screen does: an observer that stays subscribed until stopped. */
function show<K extends Parameters<typeof readOptions>[0]>(command: K, args: Parameters<typeof readOptions<K>>[1]) {
  const o = new QueryObserver(queryClient, readOptions(command, args));
  return o.subscribe(() => {});
}
/** Let the burst's timer and the answers run out. */
async function settle() {
  await new Promise((r) => setTimeout(r, 1));
  await vi.waitFor(() => expect(queryClient.isFetching()).toBe(0));
}

describe('the query layer', () => {
  beforeEach(() => {
    asked.length = 0;
    queryClient.clear();
  });
  afterEach(() => queryClient.clear());

  it('merges identical reads in flight into one request, and keys by arguments', async () => {
    const stopA = show('list_bookings', DAY);
    const stopB = show('list_bookings', DAY);
    const third = fetchRead('list_bookings', DAY);
    const other = fetchRead('list_bookings', { ...DAY, from_ms: 1500 });
    await Promise.all([third, other]);
    expect(count('list_bookings')).toBe(2);
    // Asked again once answered: the cache has it, nothing goes to the core.
    await fetchRead('list_bookings', DAY);
    expect(count('list_bookings')).toBe(2);
    stopA();
    stopB();
  });

  it('refetches what a change elsewhere touches, once per burst, in the background', async () => {
    const stopBookings = show('list_bookings', DAY);
    const stopStaff = show('list_staff', { include_archived: false });
    await settle();
    asked.length = 0;
    onBatch(batch('booking.changed'));
    onBatch(batch('booking.changed'));
    await settle();
    expect(asked.map((a) => [a.name, a.background])).toEqual([['list_bookings', true]]);
    // "*" (after a reconnect) touches everything.
    asked.length = 0;
    onBatch(batch('*'));
    await settle();
    expect(asked.map((a) => a.name).sort()).toEqual(['list_bookings', 'list_staff']);
    stopBookings();
    stopStaff();
  });

  it("ignores this window's own echo", async () => {
    const stop = show('list_blocks', { from_ms: 1000, to_ms: 2000 });
    await settle();
    asked.length = 0;
    onBatch(batch('block.changed', 'this-window'));
    await settle();
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toEqual([]);
    // Its own write refetches at once instead, not in the background.
    onLocalWrite('add_block', {});
    await settle();
    expect(asked.map((a) => [a.name, a.background])).toEqual([['list_blocks', false]]);
    // A read, or a write of something else, refetches nothing.
    asked.length = 0;
    onLocalWrite('list_staff', []);
    onLocalWrite('save_room_type', {});
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toEqual([]);
    stop();
  });

  it("puts a write's answer into the entries it updates at once; only the lists are asked again", async () => {
    answers.list_bookings = () => [booking(1, 1100)];
    const stop = show('list_bookings', DAY);
    const stopTasks = show('list_tasks', { include_closed: false });
    const stopOwn = show('get_booking', { id: 2 });
    const stopOther = show('get_booking', { id: 1 });
    await settle();
    asked.length = 0;
    const made = booking(2, 1200);
    onLocalWrite('create_booking', made);
    expect(queryClient.getQueryData(keyOf('list_bookings', DAY))).toEqual([booking(1, 1100), made]);
    expect(queryClient.getQueryData(keyOf('get_booking', { id: 2 }))).toEqual(made);
    // The list is asked again (its other rows may have changed); the booking itself is not.
    answers.list_bookings = () => [booking(1, 1100), made];
    await settle();
    expect(asked.map((a) => [a.name, a.req]).sort()).toEqual([
      ['get_booking', { id: 1 }], ['list_bookings', DAY], ['list_tasks', { include_closed: false }],
    ]);
    // Cancelled: it leaves a list that does not show cancelled bookings.
    onLocalWrite('cancel_booking', { ...made, status: 'cancelled' });
    expect(queryClient.getQueryData(keyOf('list_bookings', DAY))).toEqual([booking(1, 1100)]);
    answers.list_bookings = () => [booking(1, 1100)];
    await settle();
    stop();
    stopTasks();
    stopOwn();
    stopOther();
    delete answers.list_bookings;
  });

  it("takes open_person's answer as the person's page: opening a record does not fetch it again", async () => {
    const page = { person: { id: 9 }, alerts: [] };
    const stop = show('list_tasks', { person_id: 9, include_closed: true });
    await settle();
    asked.length = 0;
    onLocalWrite('open_person', page);
    const shown = show('get_person', { id: 9 });
    await settle();
    expect(queryClient.getQueryData(keyOf('get_person', { id: 9 }))).toEqual(page);
    // What else a change to the person touches (their tasks) is asked again; the page is not.
    expect(asked.map((a) => a.name)).toEqual(['list_tasks']);
    stop();
    shown();
  });

  it("resolves whenFresh once a write's refetches have answered", async () => {
    let answered = false;
    answers.list_blocks = () => {
      answered = true;
      return [];
    };
    const stop = show('list_blocks', { from_ms: 1000, to_ms: 2000 });
    await settle();
    answered = false;
    onLocalWrite('add_block', {});
    await whenFresh();
    expect(answered).toBe(true);
    stop();
    delete answers.list_blocks;
  });

  it('places a booking by its time and status in a range', () => {
    const list = [booking(1, 1100)];
    expect(withBooking(list, DAY, booking(2, 5000))).toEqual(list);
    expect(withBooking(list, DAY, booking(1, 5000))).toEqual([]);
    expect(withBooking(list, { ...DAY, include_cancelled: true }, booking(1, 1100, 'cancelled'))[0].status).toBe('cancelled');
  });

  it('marks an entry nothing shows stale without fetching it, and fetches it when shown again', async () => {
    const stop = show('list_resources', { include_archived: false });
    await settle();
    stop();
    asked.length = 0;
    onBatch(batch('resource.changed'));
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toEqual([]);
    expect(queryClient.getQueryState(keyOf('list_resources', { include_archived: false }))?.isInvalidated).toBe(true);
    const again = show('list_resources', { include_archived: false });
    await settle();
    expect(count('list_resources')).toBe(1);
    again();
  });

  it('drops an entry nothing shows after a while', async () => {
    vi.useFakeTimers();
    try {
      const stop = show('list_room_types', {});
      await vi.advanceTimersByTimeAsync(10);
      stop();
      expect(queryClient.getQueryData(keyOf('list_room_types', {}))).toBeDefined();
      await vi.advanceTimersByTimeAsync(61_000);
      expect(queryClient.getQueryData(keyOf('list_room_types', {}))).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
