// Every keyboard shortcut, in one table: the `?` overlay lists it and tooltips quote it.
import type { PracticeKind } from './bindings/PracticeKind';

export interface Shortcut {
  keys: string[];
  does: string;
  /** Only with a booking selected (focused on the calendar). */
  onBooking?: boolean;
}

export function shortcuts(kind: PracticeKind): { group: string; items: Shortcut[] }[] {
  const hotel = kind === 'hotel';
  return [
    {
      group: 'Anywhere',
      items: [
        { keys: ['N', 'B'], does: hotel ? 'New stay' : 'New appointment' },
        { keys: ['/', 'F'], does: hotel ? 'Find a guest or stay' : 'Find a patient or appointment' },
        { keys: ['G'], does: hotel ? 'Find a free room' : 'Find next slot' },
        { keys: ['T'], does: 'Go to today' },
        { keys: ['←', '→'], does: hotel ? 'Previous / next week' : 'Previous / next day or week' },
        ...(hotel ? [] : [{ keys: ['D'], does: 'Day view (chairs)' }, { keys: ['W'], does: 'Week view' }]),
        { keys: ['?'], does: 'Show this list of shortcuts' },
        { keys: ['Ctrl+L'], does: 'Lock the screen (unlock with your password)' },
        { keys: ['Esc'], does: 'Close the top window or panel; clear the selection' },
      ],
    },
    {
      group: hotel ? 'With a stay selected' : 'With an appointment selected',
      items: [
        { keys: ['Enter'], does: 'Open it', onBooking: true },
        { keys: ['C'], does: 'Confirm', onBooking: true },
        { keys: ['A'], does: hotel ? 'Check in' : 'Mark arrived', onBooking: true },
        ...(hotel ? [] : [{ keys: ['S'], does: 'Start treatment', onBooking: true }]),
        { keys: ['F'], does: hotel ? 'Check out' : 'Complete', onBooking: true },
        { keys: ['N'], does: 'No-show', onBooking: true },
        { keys: ['X', 'Delete'], does: 'Cancel (asks for a reason)', onBooking: true },
      ],
    },
  ];
}

/** "New appointment (N)" — a tooltip that quotes the shortcut. */
export function withKey(label: string, ...keys: string[]): string {
  return keys.length ? `${label} (${keys.join(' or ')})` : label;
}

/** Whether a key event comes from typing in a field (then shortcuts stay quiet). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(type);
  }
  return false;
}
