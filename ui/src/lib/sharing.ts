// Words for Settings → Sharing: the pairing code as people read it aloud, how long it
// still holds, and when a paired computer was last seen.
import { formatTime, localDate, formatDateField } from './time';

/** "482913" → "482 913". */
export function codeGroups(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}

/** "3:07" until the code changes (never negative). */
export function countdown(untilMs: number, nowMs: number): string {
  const s = Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "Just now", "5 min ago", "Today 09:12", or the day and time. */
export function lastSeenWords(ms: number, nowMs: number, timeZone: string): string {
  const ago = nowMs - ms;
  if (ago < 90_000) return 'Just now';
  if (ago < 60 * 60_000) return `${Math.round(ago / 60_000)} min ago`;
  const day = localDate(ms, timeZone);
  if (day === localDate(nowMs, timeZone)) return `Today ${formatTime(ms, timeZone)}`;
  return `${formatDateField(day)} ${formatTime(ms, timeZone)}`;
}

/** What to say when a typed pairing code is not six digits. */
export const CODE_SHAPE = 'The code is six digits, such as 482 913. Type the one the practice computer shows now.';

/** The six digits of a pairing code as typed ("482 913", "482-913"), or null when it is not one. */
export function pairingDigits(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * What the practice computer's desk is told when it was left shared but could not share
 * at start (a port in use): the other computers can't connect, and who can fix it.
 */
export function shareProblemWords(problem: string, manager: boolean): string {
  const said = `The practice's other computers can't connect to this one: Hearth could not share the practice (${problem}).`;
  // A manager has the way there on the notice itself.
  return manager ? said : `${said} Ask a manager to look at Settings → Sharing.`;
}
