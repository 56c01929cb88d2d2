// Handoff words and templates shared by the composer and the inbox.
import type { HandoffAction } from './bindings/HandoffAction';
import type { Window } from './bindings/Window';
import { formatDate } from './time';

export interface Template {
  label: string;
  body: string;
  action: HandoffAction;
  /** For a follow-up: about this many weeks. */
  weeks?: number;
}

/** The composer's templates, one keystroke each (1, 2, 3). */
export const TEMPLATES: Template[] = [
  { label: 'Follow-up in 2 weeks', body: 'Follow-up in about two weeks', action: 'follow_up', weeks: 2 },
  { label: 'Needs an X-ray next time', body: 'Needs an X-ray at the next visit', action: 'none' },
  { label: 'Call with results', body: 'Call with the results', action: 'call_back' },
];

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
