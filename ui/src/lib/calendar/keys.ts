// The calendar's keyboard: a key event → the action the one shortcut table
// (lib/shortcuts.ts) gives it → the screen's handler for that action.
import type { Booking } from '../bindings/Booking';
import type { PracticeKind } from '../bindings/PracticeKind';
import { actionFor, isTyping, keyName, type ShortcutAction } from '../shortcuts';

export type KeyHandlers = {
  [A in Exclude<ShortcutAction, 'lock' | 'search' | 'open' | 'status' | 'cancel' | 'move' | 'handoff'>]: () => void;
} & {
  status: (selected: Booking, key: string) => void;
  cancel: (selected: Booking) => void;
};

/**
 * Handles a key on the calendar screen. `blocked` while a dialog or overlay is open;
 * `selected` is the booking whose item has the focus. Enter stays the item's own (it
 * opens it).
 */
export function onCalendarKey(
  e: KeyboardEvent,
  kind: PracticeKind,
  selected: Booking | undefined,
  blocked: boolean,
  on: KeyHandlers,
): void {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if (blocked || isTyping(e.target)) return;
  const key = keyName(e);
  const action = actionFor(kind, key, selected !== undefined);
  // Ctrl+L and the search box are the window's (App.svelte), from any screen.
  if (action === undefined || action === 'lock' || action === 'search' || action === 'open') return;
  // My day's own keys never reach here (actionFor leaves them out).
  if (action === 'move' || action === 'handoff') return;
  // Esc, D and W keep the browser's own meaning too.
  if (!['clear', 'day_view', 'week_view'].includes(action)) e.preventDefault();
  if (action === 'status') {
    if (selected) on.status(selected, key);
  } else if (action === 'cancel') {
    if (selected) on.cancel(selected);
  } else {
    on[action]();
  }
}
