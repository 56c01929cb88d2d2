// Every keyboard shortcut, in one table: the `?` overlay lists it and tooltips quote it.
import type { PracticeKind } from './bindings/PracticeKind';

/** What a shortcut does: the calendar's key handler switches on these. */
export type ShortcutAction =
  | 'new' | 'search' | 'find' | 'finder' | 'today' | 'previous' | 'next' | 'day_view' | 'week_view'
  | 'help' | 'clear' | 'lock'
  | 'open' | 'status' | 'cancel'
  | 'move' | 'handoff';

export interface Shortcut {
  keys: string[];
  does: string;
  action: ShortcutAction;
  /** Only with a booking selected (focused on the calendar). */
  onBooking?: boolean;
  /** Only on a practitioner's My day (its own handler; never the calendar's). */
  onMyDay?: boolean;
}

export function shortcuts(kind: PracticeKind): { group: string; items: Shortcut[] }[] {
  const hotel = kind === 'hotel';
  return [
    {
      group: 'Anywhere',
      items: [
        { keys: ['N', 'B'], does: hotel ? 'New stay' : 'New appointment', action: 'new' },
        { keys: ['/', 'Ctrl+K'], does: hotel ? 'Find a guest, from any screen' : 'Find a patient, from any screen', action: 'search' },
        { keys: ['F'], does: hotel ? 'Filter the stays in view' : 'Filter the appointments in view', action: 'find' },
        { keys: ['G'], does: hotel ? 'Find a free room' : 'Find next slot', action: 'finder' },
        { keys: ['T'], does: 'Go to today', action: 'today' },
        { keys: ['←'], does: hotel ? 'Previous week' : 'Previous day or week', action: 'previous' },
        { keys: ['→'], does: hotel ? 'Next week' : 'Next day or week', action: 'next' },
        ...(hotel
          ? []
          : [
              { keys: ['D'], does: 'Day view (chairs)', action: 'day_view' as const },
              { keys: ['W'], does: 'Week view', action: 'week_view' as const },
            ]),
        { keys: ['?'], does: 'Show this list of shortcuts', action: 'help' },
        { keys: ['Esc'], does: 'Close the top window or panel; clear the selection', action: 'clear' },
        { keys: ['Ctrl+L'], does: 'Lock the screen (unlock with your password)', action: 'lock' },
      ],
    },
    {
      group: hotel ? 'With a stay selected' : 'With an appointment selected',
      items: [
        { keys: ['Enter'], does: 'Open it', onBooking: true, action: 'open' },
        { keys: ['C'], does: 'Confirm', onBooking: true, action: 'status' },
        { keys: ['A'], does: hotel ? 'Check in' : 'Mark arrived', onBooking: true, action: 'status' },
        ...(hotel ? [] : [{ keys: ['S'], does: 'Start treatment', onBooking: true, action: 'status' as const }]),
        { keys: ['O'], does: hotel ? 'Check out' : 'Complete (out)', onBooking: true, action: 'status' },
        { keys: ['M'], does: 'No-show (missed)', onBooking: true, action: 'status' },
        { keys: ['X', 'Delete'], does: 'Cancel (asks for a reason)', onBooking: true, action: 'cancel' },
      ],
    },
    ...(hotel
      ? []
      : [
          {
            group: 'My day (practitioners)',
            items: [
              { keys: ['↑', '↓'], does: 'Previous or next patient', onMyDay: true, action: 'move' as const },
              { keys: ['H'], does: 'Hand off about this visit (templates: Alt+1, Alt+2, Alt+3)', onMyDay: true, action: 'handoff' as const },
              { keys: ['Enter'], does: "Open the patient's page", onMyDay: true, action: 'open' as const },
            ],
          },
        ]),
  ];
}

/** The names keys have in the table, from a key event's `key`. */
const KEY_NAMES: Record<string, string> = { ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc' };

/** The table's name for a key event ("N", "←", "Esc", "Ctrl+L"). */
export function keyName(e: Pick<KeyboardEvent, 'key' | 'ctrlKey'>): string {
  const base = KEY_NAMES[e.key] ?? (e.key.length === 1 ? e.key.toUpperCase() : e.key);
  return e.ctrlKey ? `Ctrl+${base}` : base;
}

/**
 * What a key does, read from the table: with a booking selected its own shortcuts come
 * first. No key means two things: a booking's keys are none of the keys that work anywhere
 * (N is always a new booking, F always the filter), so a key pressed with the wrong thing
 * selected never changes a status by surprise.
 */
export function actionFor(kind: PracticeKind, key: string, onBooking: boolean): ShortcutAction | undefined {
  const all = shortcuts(kind).flatMap((g) => g.items).filter((s) => !s.onMyDay);
  const pick = (items: Shortcut[]) => items.find((s) => s.keys.includes(key))?.action;
  return (onBooking ? pick(all.filter((s) => s.onBooking)) : undefined) ?? pick(all.filter((s) => !s.onBooking));
}

/** What a key does on My day (its own table group). */
export function myDayAction(key: string): ShortcutAction | undefined {
  return shortcuts('dental').flatMap((g) => g.items).find((s) => s.onMyDay && s.keys.includes(key))?.action;
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
