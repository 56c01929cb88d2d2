// The ONE place for words that depend on the practice kind (patient/guest,
// chair/room, appointment/stay, arrived/checked in) and for how a status looks.
import type { BookingStatus } from './bindings/BookingStatus';
import type { PracticeKind } from './bindings/PracticeKind';
import type { AlertKind } from './bindings/AlertKind';
import type { AlertSeverity } from './bindings/AlertSeverity';

export interface Vocabulary {
  person: string;
  people: string;
  booking: string;
  bookings: string;
  resource: string;
  resources: string;
  /** The word for "a new booking" on buttons. */
  newBooking: string;
  /** "Find next slot" / "Find a free room". */
  finder: string;
  /** The place as a whole: "practice" / "hotel" ("the whole hotel" is closed). */
  place: string;
}

const DENTAL: Vocabulary = {
  person: 'patient',
  people: 'patients',
  booking: 'appointment',
  bookings: 'appointments',
  resource: 'chair',
  resources: 'chairs',
  newBooking: 'New appointment',
  finder: 'Find next slot',
  place: 'practice',
};

const HOTEL: Vocabulary = {
  person: 'guest',
  people: 'guests',
  booking: 'stay',
  bookings: 'stays',
  resource: 'room',
  resources: 'rooms',
  newBooking: 'New stay',
  finder: 'Find a free room',
  place: 'hotel',
};

export function vocabulary(kind: PracticeKind): Vocabulary {
  return kind === 'hotel' ? HOTEL : DENTAL;
}

/** Capitalise the first letter ("patient" → "Patient"). */
/** "an appointment type", "a stay type": the article a word takes. */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

export function cap(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const STATUS_LABEL: Record<BookingStatus, string> = {
  booked: 'Booked',
  confirmed: 'Confirmed',
  arrived: 'Arrived',
  in_treatment: 'In treatment',
  checked_in: 'Checked in',
  completed: 'Completed',
  checked_out: 'Checked out',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

/** How a status reads on a calendar item or a card. */
export function statusLabel(status: BookingStatus): string {
  return STATUS_LABEL[status];
}

const ACTION_LABEL: Record<BookingStatus, string> = {
  booked: 'Back to booked',
  confirmed: 'Confirm',
  arrived: 'Mark arrived',
  in_treatment: 'Start treatment',
  checked_in: 'Check in',
  completed: 'Complete',
  checked_out: 'Check out',
  cancelled: 'Cancel',
  no_show: 'No-show',
};

/** The verb on a button that moves a booking to `status`. */
export function statusAction(status: BookingStatus): string {
  return ACTION_LABEL[status];
}

/**
 * A shape for each status, so status never relies on colour alone
 * (colour-blind staff tell them apart by the icon).
 */
const STATUS_ICON: Record<BookingStatus, string> = {
  booked: '○',
  confirmed: '✓',
  arrived: '●',
  in_treatment: '▶',
  checked_in: '●',
  completed: '★',
  checked_out: '⇥',
  cancelled: '✕',
  no_show: '⊘',
};

export function statusIcon(status: BookingStatus): string {
  return STATUS_ICON[status];
}

/** Single-key shortcut (with a booking selected) that moves it to `status`. */
const STATUS_KEY: Partial<Record<BookingStatus, string>> = {
  confirmed: 'C',
  arrived: 'A',
  checked_in: 'A',
  in_treatment: 'S',
  completed: 'O',
  checked_out: 'O',
  no_show: 'M',
};

/** The statuses a kind of practice uses, in the order a visit or stay runs. */
export function statusesOf(hotel: boolean): BookingStatus[] {
  return hotel
    ? ['booked', 'confirmed', 'checked_in', 'checked_out', 'no_show']
    : ['booked', 'confirmed', 'arrived', 'in_treatment', 'completed', 'no_show'];
}

export function statusKey(status: BookingStatus): string | undefined {
  return STATUS_KEY[status];
}

/** The status a key moves a booking to, chosen among the core's allowed next statuses. */
export function statusForKey(key: string, allowed: readonly BookingStatus[]): BookingStatus | undefined {
  const k = key.toUpperCase();
  return allowed.find((s) => STATUS_KEY[s] === k);
}

/** Statuses that mean "here now" (shown strongest on the calendar). */
export function isPresent(status: BookingStatus): boolean {
  return status === 'arrived' || status === 'checked_in' || status === 'in_treatment';
}

/** Statuses that mean the booking no longer holds its time. */
export function isClosed(status: BookingStatus): boolean {
  return status === 'cancelled' || status === 'no_show';
}

/** A resource's title as shown in the calendar's column or row head. */
export function resourceKindLabel(kind: 'chair' | 'room' | 'provider'): string {
  return kind === 'provider' ? 'Provider' : cap(kind);
}

/** An alert's kinds in words, in the order the add form offers them. */
export const ALERT_KINDS: [AlertKind, string][] = [
  ['allergy', 'Allergy'], ['condition', 'Condition'], ['premedication', 'Premedication'],
  ['accessibility', 'Accessibility'], ['other', 'Other'],
];

export function alertKindLabel(kind: AlertKind): string {
  return ALERT_KINDS.find(([k]) => k === kind)?.[1] ?? kind;
}

/** A shape as well as a colour for each severity: ‼ critical, ⚠ warning, ℹ for information. */
export function alertMark(severity: AlertSeverity): string {
  return { critical: '‼', warning: '⚠', info: 'ℹ' }[severity];
}
