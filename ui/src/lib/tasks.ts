// Task words and ordering shared by the task board, the arrival card and a person's page.
import type { Task } from './bindings/Task';
import type { StaffRole } from './bindings/StaffRole';
import type { Anchor } from './bindings/Anchor';
import type { RoomState } from './bindings/RoomState';

/** The roles a task board is kept for, in the order the board offers them. */
export const BOARD_ROLES: StaffRole[] = ['housekeeping', 'front_desk', 'manager', 'practitioner'];

/** The boards this practice keeps: a hotel has no practitioners, a dental practice no
 *  housekeeping (each still shows its own board to someone who has that role). */
export function boardRoles(isHotel: boolean, mine: StaffRole): StaffRole[] {
  // Housekeeping sees its own board only (the core answers it nothing else).
  if (mine === 'housekeeping') return ['housekeeping'];
  return BOARD_ROLES.filter((r) => r === mine || (isHotel ? r !== 'practitioner' : r !== 'housekeeping'));
}

/** Housekeeping's rooms today: departure cleans (the guest leaves today, or the room is
 *  dirty with nobody in) and stay-over cleans (a guest stays on), in room order. */
export function cleansOf(rooms: readonly RoomState[]): { departures: RoomState[]; stayovers: RoomState[] } {
  const departures = rooms.filter(
    (r) => r.status !== 'out_of_order' && (r.departing !== null || (r.status === 'dirty' && r.in_house === null)),
  );
  const stayovers = rooms.filter((r) => r.in_house !== null && r.departing === null && r.status !== 'out_of_order');
  return { departures, stayovers };
}

/** Open and past due at `nowMs` (the board's own clock, so it turns red while open). */
export function isOverdue(t: Task, nowMs: number): boolean {
  return t.status === 'open' && t.due_at_ms < nowMs;
}

/** Overdue first, then by when due; closed ones after the open ones. */
export function boardOrder(tasks: readonly Task[], nowMs: number): Task[] {
  const rank = (t: Task) => (isOverdue(t, nowMs) ? 0 : t.status === 'open' ? 1 : 2);
  return [...tasks].sort((a, b) => rank(a) - rank(b) || a.due_at_ms - b.due_at_ms || a.id - b.id);
}

/** "2 h before check-in", "30 min after the appointment starts", "at check-in". */
export function relativeWords(anchor: Anchor, offsetMinutes: number, hotel: boolean): string {
  const moment = anchor === 'start' ? (hotel ? 'check-in' : 'the start') : hotel ? 'check-out' : 'the end';
  if (offsetMinutes === 0) return `at ${moment}`;
  const m = Math.abs(offsetMinutes);
  const amount =
    m % 1440 === 0 ? `${m / 1440} day${m === 1440 ? '' : 's'}` : m % 60 === 0 ? `${m / 60} h` : m > 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`;
  return `${amount} ${offsetMinutes < 0 ? 'before' : 'after'} ${moment}`;
}

export function statusWord(t: Task, nowMs: number): string {
  if (isOverdue(t, nowMs)) return 'Overdue';
  return { open: 'To do', done: 'Done', skipped: 'Skipped', cancelled: 'Cancelled' }[t.status];
}

/** A shape as well as a colour for each state. */
export function statusMark(t: Task, nowMs: number): string {
  if (isOverdue(t, nowMs)) return '⚠';
  return { open: '○', done: '✓', skipped: '–', cancelled: '✕' }[t.status];
}
