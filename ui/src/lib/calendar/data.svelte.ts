// The calendar's data: the bookings and blocked time in the range on screen, two reads of
// the query layer (another desk's change to a booking or blocked time refetches them; this
// window's own saves go into them with the write's answer).
import { tick, untrack } from 'svelte';
import { SESSION_LOST } from '../api/client';
import { codeOf, wordsOf } from '../api/errors';
import { prefetchRead, read, type Read } from '../api/queries';
import type { Block } from '../bindings/Block';
import type { Booking } from '../bindings/Booking';
import type { ListBlocks } from '../bindings/ListBlocks';
import type { ListBookings } from '../bindings/ListBookings';
import { mark } from '../marks';
import { notices } from '../notices.svelte';
import { addDays, dayRangeMs } from '../time';

/** Local days on screen: `days` from `from`, in `timeZone`; `step` days to the next or last. */
interface Range {
  from: string;
  days: number;
  timeZone: string;
  step: number;
}

function blocksArgs(r: Range | null): ListBlocks {
  const [from_ms, to_ms] = r ? dayRangeMs(r.from, r.days, r.timeZone) : [0, 0];
  return { from_ms, to_ms };
}

export class CalendarData {
  bookings = $state<Booking[]>([]);
  /** The range whose bookings are on screen ("2026-11-24+1"), once loaded: tests and the
   *  speed benchmark wait on it. */
  loaded = $state('');
  /** Cancelled bookings shown too (faded and struck through), with who and why. */
  showCancelled = $state(false);
  blocks = $state<Block[]>([]);
  /** The range whose bookings these are: the grid moves to a new day only when its
   *  bookings are here, so it is drawn once per switch, not empty first. */
  shown = $state<{ from: string; days: number } | null>(null);
  byId: Map<number, Booking> = $derived(new Map(this.bookings.map((b) => [b.id, b])));

  #range = $state.raw<Range | null>(null);
  /** The range whose neighbours were last asked for. */
  #aroundOf: Range | null = null;
  #bookings: Read<Booking[]>;
  #blocks: Read<Block[]>;

  /** Create it while a component initialises: it follows its reads with effects. */
  constructor() {
    this.#bookings = read('list_bookings', () => this.#bookingsArgs(), () => this.#range !== null);
    this.#blocks = read('list_blocks', () => this.#blocksArgs(), () => this.#range !== null);
    // Both reads of the range answered (or answered again): the grid shows them.
    $effect(() => {
      const [bs, bls, r] = [this.#bookings.data, this.#blocks.data, this.#range];
      if (bs && bls && r) untrack(() => this.#apply(bs, bls, r));
    });
    $effect(() => {
      const e = this.#bookings.error ?? this.#blocks.error;
      // A session that ended (the lock, the idle limit) says so on the lock panel itself.
      if (e && !SESSION_LOST.has(codeOf(e) ?? '')) untrack(() => notices.error(wordsOf(e)));
    });
  }

  #blocksArgs(): ListBlocks {
    return blocksArgs(this.#range);
  }

  #bookingsArgs(r: Range | null = this.#range): ListBookings {
    return { ...blocksArgs(r), include_cancelled: this.showCancelled };
  }

  /**
   * Show `days` local days from `from`, and ask for them now (the reads follow). `step`:
   * how many days the desk's ← and → move (their ranges are asked for once these are drawn).
   */
  show(from: string, days: number, timeZone: string, step = days): void {
    const r = this.#range;
    // Already showing (or loading) exactly these days: the change events keep them fresh.
    if (r && r.from === from && r.days === days && r.timeZone === timeZone && r.step === step) return;
    this.#range = { from, days, timeZone, step };
    this.#ask(this.#range);
  }

  /** Ask for range `r`'s reads now, unless the cache has them (what shows them joins in). */
  #ask(r: Range): void {
    // Asked at once, not when the reads' effects next run: the grid is drawn while they come.
    prefetchRead('list_bookings', this.#bookingsArgs(r));
    prefetchRead('list_blocks', blocksArgs(r));
  }

  /**
   * The ranges ← and → lead to, asked for after `r` is painted: a switch then has its
   * bookings at once. Each is asked once, then kept like any entry (shown at once when
   * switched to; if a change made it stale, asked again as it is shown).
   */
  #around(r: Range): void {
    // A refetch of the same range (a change) does not ask again: a neighbour another desk
    // changed was marked stale, and is asked again when it is shown.
    if (this.#aroundOf === r) return;
    this.#aroundOf = r;
    const later = (f: () => void) => requestAnimationFrame(() => setTimeout(f, 0));
    later(() => {
      // Moved on before the paint: the new range asks for its own neighbours.
      if (this.#range !== r) return;
      for (const d of [r.step, -r.step]) this.#ask({ ...r, from: addDays(r.from, d) });
    });
  }

  /** Ask the core again (a stale edit: someone else changed a booking). */
  async refetch(): Promise<void> {
    await Promise.all([this.#bookings.refetch(), this.#blocks.refetch()]);
  }

  #apply(bs: Booking[], bls: Block[], r: Range): void {
    const focused = focusedBookingId();
    this.bookings = bs;
    this.blocks = bls;
    this.shown = { from: r.from, days: r.days };
    this.loaded = `${r.from}+${r.days}`;
    mark('bookings');
    void tick().then(() => mark('drawn'));
    this.#around(r);
    // A refetch redraws the grid: the booking that had the focus keeps it.
    void keepFocus(focused);
  }
}

/** The booking the keyboard is on, if any. */
function focusedBookingId(): string | null {
  const el = document.activeElement;
  return el instanceof HTMLElement ? (el.closest('[data-booking-id]')?.getAttribute('data-booking-id') ?? null) : null;
}

/** Puts the focus back on booking `id` if a redraw dropped it (and only then). */
async function keepFocus(id: string | null): Promise<void> {
  if (id === null) return;
  await tick();
  for (let i = 0; i < 6; i++) {
    const active = document.activeElement;
    if (active && active !== document.body) return;
    document.querySelector<HTMLElement>(`[data-booking-id="${id}"]`)?.focus();
    await new Promise((r) => requestAnimationFrame(() => r(null)));
  }
}
