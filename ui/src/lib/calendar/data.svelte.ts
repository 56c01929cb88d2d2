// The calendar's data: the bookings and blocked time in the range on screen, loaded
// from the core and kept fresh by the client cache (another desk's change to a booking
// or blocked time refetches; this window's own saves update in place).
import { tick } from 'svelte';
import { call, HearthError } from '../api/client';
import { keepFresh } from '../api/cache';
import type { Block } from '../bindings/Block';
import type { Booking } from '../bindings/Booking';
import { mark } from '../marks';
import { notices } from '../notices.svelte';
import { dayRangeMs } from '../time';
import { wordsOf } from '../api/errors';

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

  #seq = 0;
  #range: { from: string; days: number; timeZone: string } | null = null;

  /** Show `days` local days from `from`, and load them. */
  show(from: string, days: number, timeZone: string): void {
    const r = this.#range;
    // Already showing (or loading) exactly these days: the change events keep them fresh.
    if (r && r.from === from && r.days === days && r.timeZone === timeZone) return;
    this.#range = { from, days, timeZone };
    void this.load();
  }

  async load(): Promise<void> {
    if (!this.#range) return;
    const seq = ++this.#seq;
    const [fromMs, toMs] = dayRangeMs(this.#range.from, this.#range.days, this.#range.timeZone);
    try {
      const [bs, bls] = await Promise.all([
        call('list_bookings', { from_ms: fromMs, to_ms: toMs, include_cancelled: this.showCancelled }),
        call('list_blocks', { from_ms: fromMs, to_ms: toMs }),
      ]);
      if (seq !== this.#seq) return;
      const focused = focusedBookingId();
      this.bookings = bs;
      this.blocks = bls;
      this.shown = { from: this.#range.from, days: this.#range.days };
      this.loaded = `${this.#range.from}+${this.#range.days}`;
      mark('bookings');
      void tick().then(() => mark('drawn'));
      // A refetch redraws the grid: the booking that had the focus keeps it.
      void keepFocus(focused);
    } catch (e) {
      if (seq !== this.#seq) return;
      // A session that ended (the lock, the idle limit) says so on the lock panel itself.
      if (e instanceof HearthError && (e.code === 'auth.required' || e.code === 'auth.expired')) return;
      notices.error(wordsOf(e));
    }
  }

  /** Keep fresh while the screen shows it; returns the function that stops. */
  follow(): () => void {
    return keepFresh(['list_bookings', 'list_blocks'], () => void this.load());
  }

  /** A booking saved here: replace it (or add it; a cancelled one leaves the grid unless they are shown). */
  put(b: Booking): void {
    if (b.status === 'cancelled' && !this.showCancelled) this.bookings = this.bookings.filter((x) => x.id !== b.id);
    else if (this.bookings.some((x) => x.id === b.id)) this.bookings = this.bookings.map((x) => (x.id === b.id ? b : x));
    else this.bookings = [...this.bookings, b];
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
