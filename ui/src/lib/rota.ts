// A provider's week as the rota form holds it — one shift a weekday, "works" or not — and
// as the core keeps it (shifts in minutes, weekday 0 = Monday), and in words for the list:
// "Mon, Tue, Thu 09:00–17:00 · Fri 09:00–13:00".
import type { DayHours } from './bindings/DayHours';
import type { Shift } from './bindings/Shift';
import { formatTimeField, minuteText } from './time';

export type RotaDay = { weekday: number; works: boolean; start: string; end: string };

const SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** The form for the practice's open weekdays: their shift, or the practice's hours when none. */
export function rotaForm(shifts: readonly Shift[], hours: readonly DayHours[]): RotaDay[] {
  return [...hours]
    .sort((a, b) => a.weekday - b.weekday)
    .map((h) => {
      const mine = shifts.filter((s) => s.weekday === h.weekday);
      const works = shifts.length === 0 || mine.length > 0;
      const start = mine.length > 0 ? Math.min(...mine.map((s) => s.start)) : h.opens;
      const end = mine.length > 0 ? Math.max(...mine.map((s) => s.end)) : h.closes;
      return { weekday: h.weekday, works, start: minuteText(start), end: minuteText(end) };
    });
}

/** The shifts to send: none when every open day is worked in full (the practice's hours). */
export function shiftsOf(days: readonly RotaDay[], hours: readonly DayHours[]): Shift[] {
  const full = days.every((d) => {
    const h = hours.find((x) => x.weekday === d.weekday);
    return d.works && h !== undefined && minutesOf(d.start) === h.opens && minutesOf(d.end) === h.closes;
  });
  if (full) return [];
  return days.filter((d) => d.works).map((d) => ({ weekday: d.weekday, start: minutesOf(d.start), end: minutesOf(d.end) }));
}

/** "Whenever the practice is open", or the days and hours: "Mon, Tue 09:00–17:00 · Fri 09:00–13:00". */
export function rotaWords(shifts: readonly Shift[]): string {
  if (shifts.length === 0) return 'Whenever the practice is open';
  const groups: { days: number[]; span: string }[] = [];
  for (const s of [...shifts].sort((a, b) => a.weekday - b.weekday || a.start - b.start)) {
    const span = `${formatTimeField(minuteText(s.start))}–${formatTimeField(minuteText(s.end))}`;
    const g = groups.find((x) => x.span === span);
    if (g) g.days.push(s.weekday);
    else groups.push({ days: [s.weekday], span });
  }
  return groups.map((g) => `${g.days.map((d) => SHORT[d]).join(', ')} ${g.span}`).join(' · ');
}
