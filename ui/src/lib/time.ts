// Time in the practice's zone. Instants are UTC epoch milliseconds; the practice's
// IANA zone turns them into wall-clock times. Nothing here reads the browser's zone
// except `browserTimeZone` (the default offered at setup). Times and numeric dates are
// written the practice's way (24- or 12-hour, day/month order), never the computer's.
import type { DateOrder } from './bindings/DateOrder';
import type { TimeFormat } from './bindings/TimeFormat';
import { practiceNow } from './clock';

/** A wall-clock reading in some zone. `month` is 1–12. */
export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a zone. */
export function toWall(ms: number, timeZone: string): Wall {
  // The same few hundred instants are read on every redraw of the calendar; Intl's
  // formatToParts is the slow part, so readings are remembered (a bounded memo).
  const key = `${timeZone} ${ms}`;
  const known = wallMemo.get(key);
  if (known) return { ...known };
  const parts = partsFormatter(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const w = {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second'),
  };
  if (wallMemo.size >= WALL_MEMO_SIZE) wallMemo.clear();
  wallMemo.set(key, w);
  return { ...w };
}
const WALL_MEMO_SIZE = 20_000;
const wallMemo = new Map<string, Wall>();

function wallAsUtc(w: Wall): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** The zone's offset from UTC at an instant, in milliseconds. */
export function offsetAt(ms: number, timeZone: string): number {
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(toWall(wholeSecond, timeZone)) - wholeSecond;
}

/** What happened to a wall-clock time on its way to an instant (the core's `LocalAdjustment`). */
export type WallAdjustment =
  | { kind: 'exact' }
  /** The time falls in a spring-forward gap: moved forward by the gap. */
  | { kind: 'moved_forward'; minutes: number }
  /** The time happens twice (fall-back): the first occurrence was taken. */
  | { kind: 'first_of_two' };

/**
 * The local-time rule, the same as the core's (`scheduling/time.rs`), both tested
 * against `tests/fixtures/local-time-cases.json`: a time a spring-forward jump skips
 * moves forward by the length of the jump (02:30 → 03:30); a time a fall-back repeats
 * means its first occurrence.
 */
export function resolveWall(w: Wall, timeZone: string): { ms: number; adjustment: WallAdjustment } {
  const asUtc = wallAsUtc(w);
  // The offsets a day either side of the reading bracket any DST change, for every
  // offset from -12 to +14 hours.
  const day = 24 * 3_600_000;
  const before = offsetAt(asUtc - day, timeZone);
  const after = offsetAt(asUtc + day, timeZone);
  const offsets = new Set([before, offsetAt(asUtc, timeZone), after]);
  const candidates = [...offsets]
    .map((o) => asUtc - o)
    .filter((c) => wallAsUtc(toWall(c, timeZone)) === asUtc);
  if (candidates.length > 1) return { ms: Math.min(...candidates), adjustment: { kind: 'first_of_two' } };
  if (candidates.length === 1) return { ms: candidates[0], adjustment: { kind: 'exact' } };
  // In a gap: read the time with the offset in force before the jump.
  return { ms: asUtc - before, adjustment: { kind: 'moved_forward', minutes: Math.round((after - before) / 60_000) } };
}

/** The instant a wall-clock reading names in a zone, under the local-time rule. */
export function fromWall(w: Wall, timeZone: string): number {
  return resolveWall(w, timeZone).ms;
}

/**
 * A sentence for the booking dialog when the rule adjusted a typed time, or null:
 * "02:30 does not exist on Sunday 8 March 2026 (the clocks go forward) — it means 03:30."
 */
export function describeAdjustment(date: string, minute: number, timeZone: string): string | null {
  const w = { ...parseFloating(date), hour: Math.floor(minute / 60), minute: minute % 60, second: 0 };
  const { ms, adjustment } = resolveWall(w, timeZone);
  const typed = `${pad(w.hour)}:${pad(w.minute)}`;
  switch (adjustment.kind) {
    case 'exact':
      return null;
    case 'moved_forward':
      return `${typed} does not exist on ${formatDate(date)} (the clocks go forward), so it means ${formatTime(ms, timeZone)}.`;
    case 'first_of_two':
      return `${typed} happens twice on ${formatDate(date)} (the clocks go back); this is the first ${typed}, before the change.`;
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of a wall reading. */
export function wallDate(w: Wall): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** Floating ISO text (`YYYY-MM-DDTHH:MM:SS`, no offset) of an instant in a zone. */
export function floatingIso(ms: number, timeZone: string): string {
  const w = toWall(ms, timeZone);
  return `${wallDate(w)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** Parse floating ISO text (date, or date and time) into a wall reading. */
export function parseFloating(text: string): Wall {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
  if (!m) throw new Error(`not a date: ${text}`);
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
}

/** The instant that floating ISO text names in a zone. */
export function floatingToMs(text: string, timeZone: string): number {
  return fromWall(parseFloating(text), timeZone);
}

/**
 * The wall reading held in a browser-local Date (the calendar widget hands out
 * Dates whose local fields are the practice's wall clock).
 */
export function wallOfLocalDate(d: Date): Wall {
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
  };
}

/** The local date (`YYYY-MM-DD`) of an instant in a zone. */
export function localDate(ms: number, timeZone: string): string {
  return wallDate(toWall(ms, timeZone));
}

/** Add days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const w = parseFloating(date);
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Whole days from `a` to `b` (both `YYYY-MM-DD`). */
export function daysBetween(a: string, b: string): number {
  const wa = parseFloating(a);
  const wb = parseFloating(b);
  return Math.round(
    (Date.UTC(wb.year, wb.month - 1, wb.day) - Date.UTC(wa.year, wa.month - 1, wa.day)) / 86_400_000,
  );
}

/** Weekday of a `YYYY-MM-DD` date, 0 = Monday … 6 = Sunday (as the core counts). */
export function weekdayOf(date: string): number {
  const w = parseFloating(date);
  return (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7;
}

/** The Monday on or before a date. */
export function mondayOf(date: string): string {
  return addDays(date, -weekdayOf(date));
}

/** `[start, end)` instants of local days `from`..`from + days`. */
export function dayRangeMs(from: string, days: number, timeZone: string): [number, number] {
  const start = floatingToMs(from, timeZone);
  const end = floatingToMs(addDays(from, days), timeZone);
  return [start, end];
}

/** The instant of a local date plus minutes after midnight. */
export function atMinute(date: string, minute: number, timeZone: string): number {
  const w = parseFloating(date);
  return fromWall({ ...w, hour: Math.floor(minute / 60), minute: minute % 60, second: 0 }, timeZone);
}

/** Minutes after local midnight of an instant. */
export function minuteOfDay(ms: number, timeZone: string): number {
  const w = toWall(ms, timeZone);
  return w.hour * 60 + w.minute;
}

/** `HH:MM` of minutes after midnight (e.g. for the calendar's slotMinTime). */
export function minuteText(minute: number): string {
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

/** `HH:MM` of an instant in a zone, as a time field holds it (24-hour, whatever the practice shows). */
export function wallTime(ms: number, timeZone: string): string {
  const w = toWall(ms, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** An instant's time as the practice writes it: "14:30", or "2:30 pm" on a 12-hour clock. */
export function formatTime(ms: number, timeZone: string): string {
  const w = toWall(ms, timeZone);
  return formatMinute(w.hour * 60 + w.minute);
}

// ---------------------------------------------------------------- the practice's formats

/** How the practice writes times and numeric dates (Settings), whatever the computer's locale. */
export interface PracticeFormat {
  twelveHour: boolean;
  dateOrder: DateOrder;
}
const practiceFormat: PracticeFormat = { twelveHour: false, dateOrder: 'dmy' };

/** Follow the practice's settings from now on (the desk calls this whenever the practice loads). */
export function setPracticeFormat(p: { time_format: TimeFormat; date_order: DateOrder }): void {
  practiceFormat.twelveHour = p.time_format === '12h';
  practiceFormat.dateOrder = p.date_order;
}
export function currentFormat(): Readonly<PracticeFormat> {
  return practiceFormat;
}

/** A minute of the day as the practice writes it: "14:30" or "2:30 pm". */
export function formatMinute(minute: number): string {
  const h = Math.floor(minute / 60) % 24;
  const m = minute % 60;
  if (!practiceFormat.twelveHour) return `${pad(h)}:${pad(m)}`;
  return `${h % 12 === 0 ? 12 : h % 12}:${pad(m)} ${h < 12 ? 'am' : 'pm'}`;
}

/** A time field's text for `HH:MM`: "14:30" or "2:30 pm". */
export function formatTimeField(hhmm: string): string {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  return m ? formatMinute(Number(m[1]) * 60 + Number(m[2])) : '';
}

/** What a time field asks for: "HH:MM" or "h:mm am". */
export function timeFieldHint(): string {
  return practiceFormat.twelveHour ? 'h:mm am' : 'HH:MM';
}

/**
 * What a person typed in a time field, as `HH:MM`, or null: "14:30", "1430", "9",
 * "9.15", "2:30 pm", "2pm", "12 am".
 */
export function parseTimeField(text: string): string | null {
  const m = /^\s*(\d{1,2})(?:[:.h]?(\d{2}))?\s*(a|am|a\.m\.|p|pm|p\.m\.)?\s*$/i.exec(text);
  if (!m) return null;
  let h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (min > 59) return null;
  const half = m[3]?.toLowerCase()[0];
  if (half) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (half === 'p' ? 12 : 0);
  } else if (h > 23) return null;
  return `${pad(h)}:${pad(min)}`;
}

/** A date field's text for `YYYY-MM-DD`, in the practice's order: 24/11/2026, 11/24/2026 or 2026-11-24. */
export function formatDateField(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return '';
  const [, y, mo, d] = m;
  if (practiceFormat.dateOrder === 'ymd') return `${y}-${mo}-${d}`;
  return practiceFormat.dateOrder === 'mdy' ? `${mo}/${d}/${y}` : `${d}/${mo}/${y}`;
}

/** What a date field asks for: "DD/MM/YYYY". */
export function dateFieldHint(): string {
  return formatDateField('2000-01-02').replace('2000', 'YYYY').replace('01', 'MM').replace('02', 'DD');
}

/**
 * What a person typed in a date field, as `YYYY-MM-DD`, or null: numbers in the
 * practice's order with any separator ("24/11/2026", "24.11.26", "24 11 2026"), or
 * an ISO date (2026-11-24) whatever the order. A two-digit year is this century.
 */
export function parseDateField(text: string): string | null {
  const t = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  let y: number, mo: number, d: number;
  if (iso) [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else {
    const parts = t.split(/[\s/.-]+/).filter(Boolean);
    if (parts.length !== 3 || parts.some((p) => !/^\d+$/.test(p))) return null;
    const n = parts.map(Number);
    const order = practiceFormat.dateOrder;
    [y, mo, d] = order === 'ymd' ? [n[0], n[1], n[2]] : order === 'mdy' ? [n[2], n[0], n[1]] : [n[2], n[1], n[0]];
    const yearText = order === 'ymd' ? parts[0] : parts[2];
    if (yearText.length === 2) y += 2000;
    else if (yearText.length !== 4) return null;
  }
  if (mo < 1 || mo > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

/** `HH:MM–HH:MM`. */
export function formatTimeRange(startMs: number, endMs: number, timeZone: string): string {
  return `${formatTime(startMs, timeZone)}–${formatTime(endMs, timeZone)}`;
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter for dates on the UTC calendar (`YYYY-MM-DD` dates carry no zone), made once per kind. */
function dateFormatter(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = dateFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...options });
    dateFormatters.set(key, f);
  }
  return f;
}

/** A `YYYY-MM-DD` date as the instant its formatters read. */
function utcDay(date: string): Date {
  const w = parseFloating(date);
  return new Date(Date.UTC(w.year, w.month - 1, w.day));
}

/**
 * Prepare the formatting of dates and times in a zone before the first screen that needs
 * it: the first use of a zone's rules, and of each formatter, is what costs.
 */
export function warmFormats(timeZone: string): void {
  try {
    const today = localDate(practiceNow(), timeZone);
    formatDate(today);
    formatDate(today, 'short');
  } catch {
    // An unknown zone is reported where it is used.
  }
}

/** A human date such as "Tuesday 3 June 2025" for a `YYYY-MM-DD` date. */
export function formatDate(date: string, style: 'long' | 'short' = 'long'): string {
  const f = dateFormatter(style, {
    weekday: style === 'long' ? 'long' : 'short',
    day: 'numeric',
    month: style === 'long' ? 'long' : 'short',
    year: style === 'long' ? 'numeric' : undefined,
  });
  return f.format(utcDay(date));
}

/** The short weekday of a `YYYY-MM-DD` date ("Tue"), whatever the platform's date style. */
export function formatWeekday(date: string): string {
  return dateFormatter('weekday', { weekday: 'short' }).format(utcDay(date));
}

/** "3–9 June 2025" style label for a span of dates (inclusive). */
export function formatDateSpan(from: string, to: string, style: 'long' | 'short' = 'long'): string {
  const a = parseFloating(from);
  const b = parseFloating(to);
  const month = (w: Wall) =>
    dateFormatter(`month-${style}`, { month: style }).format(new Date(Date.UTC(w.year, w.month - 1, 1)));
  if (a.year === b.year && a.month === b.month) return `${a.day}–${b.day} ${month(b)} ${b.year}`;
  if (a.year === b.year) return `${a.day} ${month(a)} – ${b.day} ${month(b)} ${b.year}`;
  return `${a.day} ${month(a)} ${a.year} – ${b.day} ${month(b)} ${b.year}`;
}

/** The browser's own zone, offered as the default at setup only. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** IANA zone names this browser knows, for the setup select. */
export function knownTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  const here = browserTimeZone();
  const all = new Set([...zones, here, 'UTC']);
  return [...all].sort();
}

/** `±HH:MM` offset text of a zone at an instant (for the calendar widget's "now"). */
export function offsetText(ms: number, timeZone: string): string {
  const minutes = Math.round(offsetAt(ms, timeZone) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "30 min", "2 h", "2 h 5 min", "3 days" — as the core says a time to resolve. */
export function durationWords(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 1440) return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  const days = Math.round(minutes / 1440);
  return `${days} day${days === 1 ? '' : 's'}`;
}
