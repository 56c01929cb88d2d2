// Handoff words and templates shared by the composer and the inbox.
import type { HandoffAction } from './bindings/HandoffAction';
import type { PracticeKind } from './bindings/PracticeKind';
import type { StaffRole } from './bindings/StaffRole';
import type { Window } from './bindings/Window';
import { formatDate } from './time';

export interface Template {
  label: string;
  body: string;
  action: HandoffAction;
  /** For a follow-up: about this many weeks. */
  weeks?: number;
  /** Who it usually goes to, when that is not the front desk. */
  to?: StaffRole;
}

const DENTAL: Template[] = [
  { label: 'Follow-up in 2 weeks', body: 'Follow-up in about two weeks', action: 'follow_up', weeks: 2 },
  { label: 'Needs an X-ray next time', body: 'Needs an X-ray at the next visit', action: 'none' },
  { label: 'Call with results', body: 'Call with the results', action: 'call_back' },
];

// A hotel books no follow-ups: what one desk leaves the next, or housekeeping.
const HOTEL: Template[] = [
  { label: 'Late check-out asked', body: 'Asked for a late check-out: confirm the time with them', action: 'call_back' },
  { label: 'Room needs attention', body: 'The room needs attention: ', action: 'task', to: 'housekeeping' },
  { label: 'Arriving late tonight', body: 'Arriving late tonight: keep the room and the key ready', action: 'none' },
];

/** The composer's templates for a kind of practice, one keystroke each (Alt+1, 2, 3). */
export function templatesFor(kind: PracticeKind): Template[] {
  return kind === 'hotel' ? HOTEL : DENTAL;
}

export const ACTION_LABEL: Record<HandoffAction, string> = {
  none: 'Just a note',
  follow_up: 'Book a follow-up',
  call_back: 'Call back',
  task: 'Make a task',
};

/** "Thu 3 Dec – Fri 11 Dec". */
export function windowWords(w: Window): string {
  return `${formatDate(w.from, 'short')} – ${formatDate(w.to, 'short')}`;
}
