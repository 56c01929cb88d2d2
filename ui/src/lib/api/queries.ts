// The one query layer: every read a screen shows is an entry of one TanStack Query cache,
// keyed `[command, args]`, so identical reads in flight are one request. Entries go stale
// only when a change touches a topic their command depends on (COMMAND_TOPICS, generated
// with the bindings), never with time: a change batch from another window refetches the
// entries something shows (in the background) and marks the others stale; this window's
// own writes do the same at once, after their answer has gone into the entries it can
// update (so the screen shows it at once; a list is still asked again, once, for what the
// write changed in its other rows); this window's echo from the change stream is ignored.
import { QueryClient, createQuery, hashKey, keepPreviousData, type Query } from '@tanstack/svelte-query';
import { COMMAND_TOPICS, WRITES, type CommandName, type Commands } from '../bindings/commands';
import type { Booking } from '../bindings/Booking';
import type { ChangeBatch } from '../bindings/ChangeBatch';
import type { ListBookings } from '../bindings/ListBookings';
import type { PersonPage } from '../bindings/PersonPage';
import { adoptPracticeNow } from '../clock';
import { call, onChanges, onWrite, ORIGIN } from './client';

/** A command that only reads. */
export type ReadName = { [K in CommandName]: Commands[K]['write'] extends false ? K : never }[CommandName];
/** A command that writes. */
export type WriteName = Exclude<CommandName, ReadName>;
type Req<K extends CommandName> = Commands[K]['req'];
type Res<K extends CommandName> = Commands[K]['res'];
/** An entry's key: the command and its arguments. */
export type ReadKey<K extends ReadName = ReadName> = readonly [K, Req<K>];

/** How long an entry nothing shows is kept (a day switched back to, a dialog opened again). */
const UNSHOWN_MS = 60_000;

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The change stream is what makes data stale, not time, nor the window's focus.
      staleTime: Infinity,
      gcTime: UNSHOWN_MS,
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
      // The core's refusal is the answer: shown at once, never asked again by itself.
      retry: false,
      // A desk on the practice network is never "offline" to the browser's eyes.
      networkMode: 'always',
    },
  },
});

/** Entries whose next fetch follows another window's change (not this person's use). */
const inBackground = new Set<string>();

/** The key of `command` with `args`. */
export function keyOf<K extends ReadName>(command: K, args: Req<K>): ReadKey<K> {
  return [command, args] as const;
}

/** The options of the entry for `command` with `args`: what `read` and `fetchRead` share. */
export function readOptions<K extends ReadName>(command: K, args: Req<K>) {
  return {
    queryKey: keyOf(command, args),
    queryFn: async ({ queryKey }: { queryKey: ReadKey<K> }): Promise<Res<K>> => {
      const answer = await call(command, args, { background: inBackground.delete(hashKey(queryKey)) });
      followCoreClock(answer);
      return answer;
    },
  };
}

/** An answer that says the practice's time (the waiting room's `now_ms`) sets the clock. */
function followCoreClock(answer: unknown): void {
  const now = (answer as { now_ms?: unknown } | null)?.now_ms;
  if (typeof now === 'number') adoptPracticeNow(now);
}

/** What a screen shows of a read. */
export interface Read<T> {
  /** The newest answer (kept while a refetch runs, and after a failed one). */
  readonly data: T | undefined;
  /** The last fetch's failure, or null. */
  readonly error: Error | null;
  /** No answer yet, and one is on its way. */
  readonly loading: boolean;
  /** `data` is the answer to the arguments before (kept by `keepPrevious` while these come). */
  readonly previous: boolean;
  /** Ask again now (joining a fetch already on its way); resolves with the answer. */
  refetch(): Promise<T | undefined>;
}

/** How a screen shows a read. */
export interface ReadOptions {
  /** While other arguments' answer is on its way, the last answer stays shown (a filter changed). */
  keepPrevious?: boolean;
}

/**
 * Show the read `command(args)` in a component (call it while the component initialises).
 * `args` is a function so the entry follows the screen's state; `enabled` holds it back.
 */
export function read<K extends ReadName>(
  command: K,
  args: () => Req<K>,
  enabled: () => boolean = () => true,
  { keepPrevious = false }: ReadOptions = {},
): Read<Res<K>> {
  const q = createQuery(
    () => ({
      ...readOptions(command, args()),
      enabled: enabled(),
      // Every change of the result reaches the screen. TanStack otherwise notifies only of
      // the fields read so far, and a screen that reads one entry's `data` only once another
      // has answered (`every(r => r.data)`) would never hear that the first had answered.
      notifyOnChangeProps: 'all' as const,
      ...(keepPrevious ? { placeholderData: keepPreviousData } : {}),
    }),
    () => queryClient,
  );
  return {
    get data() { return q.data; },
    get error() { return q.error; },
    get loading() { return q.isLoading; },
    get previous() { return q.isPlaceholderData; },
    refetch: async () => (await q.refetch({ cancelRefetch: false })).data,
  };
}

/** The answer of `command(args)` from the cache, fetched (once, however many ask) if not there. */
export function fetchRead<K extends ReadName>(command: K, args: Req<K>): Promise<Res<K>> {
  return queryClient.fetchQuery(readOptions(command, args));
}

/** Start asking for `command(args)` now, if the cache lacks it (what shows it joins in). */
export function prefetchRead<K extends ReadName>(command: K, args: Req<K>): void {
  void queryClient.prefetchQuery(readOptions(command, args));
}

// ---------------------------------------------------------------- what makes entries stale

function commandOf(q: Query): CommandName {
  return q.queryKey[0] as CommandName;
}

/** Whether the entry `q` depends on any of `topics` ("*" touches everything). */
function touches(q: Query, topics: ReadonlySet<string>): boolean {
  return topics.has('*') || (COMMAND_TOPICS[commandOf(q)] ?? []).some((t) => topics.has(t));
}

/** What changed over a burst (several batches refetch once): topics changed elsewhere, and
 *  this window's writes, each with its topics and the entries (hashes) its answer made whole. */
const pending = {
  elsewhere: new Set<string>(),
  here: [] as { topics: ReadonlySet<string>; answered: ReadonlySet<string> }[],
  scheduled: false,
};
/** The last burst's refetches, answered. */
let flushed: Promise<void> = Promise.resolve();

function schedule(): void {
  if (pending.scheduled) return;
  pending.scheduled = true;
  flushed = new Promise((done) => setTimeout(() => void flush().then(done), 0));
}

/**
 * Resolves once what this window's last writes changed has been fetched again (what is
 * shown): a screen that must show the new lists before it moves on (Settings) waits here.
 */
export function whenFresh(): Promise<void> {
  return flushed;
}

async function flush(): Promise<void> {
  const elsewhere = new Set(pending.elsewhere);
  const here = [...pending.here];
  pending.elsewhere.clear();
  pending.here = [];
  pending.scheduled = false;
  const byHere = (q: Query) => here.some((w) => !w.answered.has(q.queryHash) && touches(q, w.topics));
  const byElsewhere = (q: Query) => !byHere(q) && touches(q, elsewhere);
  // Another window's change: a refetch nobody asked for here.
  for (const q of queryClient.getQueryCache().findAll({ predicate: byElsewhere, type: 'active' })) {
    inBackground.add(q.queryHash);
  }
  // What something shows is refetched now; the rest is marked stale, fetched when shown again.
  // After a write here, a fetch already on its way started after it, and is joined; one on
  // its way when another window's change came may predate it, and is asked again.
  await Promise.all([
    queryClient.invalidateQueries({ predicate: byHere, refetchType: 'active' }, { cancelRefetch: false }),
    queryClient.invalidateQueries({ predicate: byElsewhere, refetchType: 'active' }),
  ]);
}

/** What the layer does with a change batch from the stream. */
export function onBatch(batch: ChangeBatch): void {
  // This window's own write: its answer and refetch came when it succeeded.
  if (batch.origin === ORIGIN) return;
  for (const c of batch.changes) pending.elsewhere.add(c.topic);
  schedule();
}

/** What the layer does when this window's command succeeds with `answer`. */
export function onLocalWrite(command: CommandName, answer: unknown): void {
  if (!WRITES.includes(command)) return;
  const answered = new Set(applyAnswer(command as WriteName, answer));
  pending.here.push({ topics: new Set(COMMAND_TOPICS[command] ?? []), answered });
  schedule();
}

// ---------------------------------------------------------------- a write's answer into the cache

/** Writes that answer with the booking as it now is. */
const BOOKING_ANSWERS: readonly WriteName[] = [
  'create_booking', 'update_booking', 'cancel_booking', 'restore_booking', 'set_booking_status', 'book_from_waitlist',
];

/** A range's bookings with `b` as it now is: in or out of the list, by its time and status. */
export function withBooking(list: readonly Booking[], range: ListBookings, b: Booking): Booking[] {
  const inRange = b.starts_at_ms < range.to_ms && b.ends_at_ms > range.from_ms;
  const shown = inRange && (b.status !== 'cancelled' || range.include_cancelled);
  const rest = list.filter((x) => x.id !== b.id);
  if (!shown) return rest;
  return list.some((x) => x.id === b.id) ? list.map((x) => (x.id === b.id ? b : x)) : [...list, b];
}

/**
 * Put a write's answer into the entries it updates; returns the hashes of those it made
 * whole (the booking's own entry). A list of bookings shows the answer at once but is
 * still refetched: the write may have changed its other rows too (a second room for the
 * same guest: each stay names the other).
 */
function applyAnswer(command: WriteName, answer: unknown): string[] {
  if (command === 'open_person') {
    // Opening a record (recorded in the trail) answers with the page get_person would.
    const own = keyOf('get_person', { id: (answer as PersonPage).person.id });
    queryClient.setQueryData(own, answer);
    return [hashKey(own)];
  }
  if (!BOOKING_ANSWERS.includes(command)) return [];
  const b = answer as Booking;
  const own = keyOf('get_booking', { id: b.id });
  queryClient.setQueryData(own, b);
  for (const q of queryClient.getQueryCache().findAll({ queryKey: ['list_bookings'] })) {
    const list = q.state.data as Booking[] | undefined;
    if (list) queryClient.setQueryData(q.queryKey, withBooking(list, q.queryKey[1] as ListBookings, b));
  }
  return [hashKey(own)];
}

/** Drop every entry (another person signed in: nothing of the last one's reads stays). */
export function forgetEverything(): void {
  queryClient.removeQueries({ type: 'inactive' });
  void queryClient.invalidateQueries({ refetchType: 'active' });
}

let following = false;
/** Follow the change stream and this window's writes (once, as the app starts). */
export function followChanges(): void {
  if (following) return;
  following = true;
  onChanges(onBatch);
  onWrite(onLocalWrite);
}
followChanges();
