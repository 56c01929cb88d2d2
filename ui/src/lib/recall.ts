// Recall in words: how due someone is, how they may be reached, and what the desk's last
// call came to — as the Recall screen says them.
import type { Consent } from './bindings/Consent';
import type { RecallContact } from './bindings/RecallContact';
import type { RecallDue } from './bindings/RecallDue';
import type { RecallOutcome } from './bindings/RecallOutcome';
import { addDays, formatDate } from './time';

export const OUTCOMES: { value: RecallOutcome; label: string }[] = [
  { value: 'reached', label: 'Spoke to them' },
  { value: 'no_answer', label: 'No answer' },
  { value: 'left_message', label: 'Left a message' },
  { value: 'declined', label: 'Not coming back' },
];

export function outcomeLabel(o: RecallOutcome): string {
  return OUTCOMES.find((x) => x.value === o)?.label ?? o;
}

/** "Overdue 40 days (due Wed 14 Oct)", "Due today", "Due in 17 days (Thu 10 Dec)". */
export function dueWords(r: Pick<RecallDue, 'days_overdue' | 'due_on'>): string {
  const on = formatDate(r.due_on, 'short');
  const d = r.days_overdue;
  if (d > 0) return `Overdue ${d} day${d === 1 ? '' : 's'} (due ${on})`;
  if (d === 0) return 'Due today';
  return `Due in ${-d} day${d === -1 ? '' : 's'} (${on})`;
}

/** How they agreed to be reached: "Calls ✓ · Texts ✕ · E-mail not asked". */
export function consentWords(c: Consent): string {
  const word = (v: boolean | null | undefined) => (v === true ? '✓' : v === false ? '✕' : 'not asked');
  return `Calls ${word(c.phone)} · Texts ${word(c.sms)} · E-mail ${word(c.email)}`;
}

/** "No answer — Maria Santos, Tue 24 Nov · call again Mon 4 Jan". */
export function contactWords(c: RecallContact, day: string): string {
  const who = c.by_name ? ` — ${c.by_name}, ${formatDate(day, 'short')}` : ` — ${formatDate(day, 'short')}`;
  const note = c.note ? `: “${c.note}”` : '';
  const again = c.call_again_on ? ` · call again ${formatDate(c.call_again_on, 'short')}` : '';
  return `${outcomeLabel(c.outcome)}${who}${note}${again}`;
}

/** Where a slot search for a recall starts: the due day, or today when it has passed. */
export function searchFrom(r: Pick<RecallDue, 'due_on'>, today: string): string {
  return r.due_on > today ? r.due_on : today;
}

/** Quick "call again" choices, from today. */
export function callAgainChoices(today: string): { label: string; date: string }[] {
  return [
    { label: 'In a week', date: addDays(today, 7) },
    { label: 'In a month', date: addDays(today, 30) },
    { label: 'In 3 months', date: addDays(today, 91) },
  ];
}
