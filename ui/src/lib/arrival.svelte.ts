// Marking arrival, whichever way the desk does it (the calendar's or tape chart's key, the
// Arrivals list): when the person's arrival card has something to read first (the core's
// `tell_first`: an occasion, an alert, something remembered from before, a preparation task
// not done), the card comes first, in a dialog wide enough to read, and the arrival is one
// more key from there. Otherwise the arrival happens at once.
import { call } from './api/client';

export interface PendingArrival {
  bookingId: number;
  /** The guest's or patient's arrival: checked in (hotel) or arrived (dental). */
  checkIn: boolean;
  go: () => Promise<void>;
}

class ArrivalPrompt {
  pending = $state<PendingArrival | null>(null);

  /**
   * Runs `mark` (the arrival itself), at once or after the card. `canSee`: whether this
   * member may read the person's card at all (else straight on).
   */
  async first(bookingId: number, checkIn: boolean, canSee: boolean, mark: () => Promise<void>): Promise<void> {
    if (canSee) {
      try {
        const card = await call('get_arrival_card', { booking_id: bookingId });
        if (card.tell_first) {
          this.pending = { bookingId, checkIn, go: mark };
          return;
        }
      } catch {
        // The arrival itself will say what is wrong.
      }
    }
    await mark();
  }

  /** The desk read the card: the arrival goes ahead. */
  async confirm(): Promise<void> {
    const p = this.pending;
    this.pending = null;
    await p?.go();
  }

  dismiss(): void {
    this.pending = null;
  }
}

export const arrivalPrompt = new ArrivalPrompt();
