// Whether the search box or a person's page is open, over any screen: the header's
// Find button, the `/` and Ctrl+K keys and a booking's person link all open them here.
// "Book" on a person's page asks the calendar for a new booking for them (`bookWith`),
// going back to the calendar first from any other screen.
import type { BookingPrefill } from '../components/BookingDialog.svelte';

class Finder {
  searching = $state(false);
  personId = $state<number | null>(null);
  bookWith = $state<BookingPrefill | null>(null);

  book(prefill: BookingPrefill): void {
    this.close();
    this.bookWith = prefill;
    if (location.hash !== '') location.hash = '';
  }

  /** The calendar takes the request (once). */
  takeBooking(): BookingPrefill | null {
    const p = this.bookWith;
    this.bookWith = null;
    return p;
  }

  search(): void {
    if (this.personId === null) this.searching = true;
  }

  open(id: number): void {
    this.searching = false;
    this.personId = id;
  }

  close(): void {
    this.searching = false;
    this.personId = null;
  }
}

export const finder = new Finder();
