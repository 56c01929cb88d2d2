// Pure helpers for the manager's Settings screen: sections and their address, form drafts
// (opening hours as text fields, rows being edited), and how blocked time reads.
// No rule the core decides lives here: the drafts are sent as they are and the core answers.
import type { DateOrder } from './bindings/DateOrder';
import type { TimeFormat } from './bindings/TimeFormat';
import type { Block } from './bindings/Block';
import type { DayHours } from './bindings/DayHours';
import type { Practice } from './bindings/Practice';
import type { StaffRole } from './bindings/StaffRole';
import type { UpdatePractice } from './bindings/UpdatePractice';
import { addDays, atMinute, formatDate, formatTime, localDate, minuteOfDay, minuteText } from './time';
import { cap, type Vocabulary } from './vocabulary';

// ---------------------------------------------------------------- sections and the address

export type SectionId = 'practice' | 'resources' | 'staff' | 'types' | 'rota' | 'blocks' | 'preparation' | 'sharing' | 'backups' | 'import';

export interface Section {
  id: SectionId;
  label: string;
  hint: string;
}

/** The sections in the left list, in the practice's words. */
export function settingsSections(words: Vocabulary, isHotel: boolean): Section[] {
  return [
    {
      id: 'practice',
      label: isHotel ? 'Hotel' : 'Practice',
      hint: isHotel ? 'Name, time zone, check-in and check-out, front desk hours' : 'Name, time zone, booking grid, opening hours',
    },
    {
      id: 'resources',
      label: isHotel ? 'Rooms and room types' : `${cap(words.resources)} and providers`,
      hint: isHotel ? 'Add, rename, colour, order, archive' : 'Add, rename, colour, order, archive',
    },
    { id: 'staff', label: 'Staff', hint: 'Who works here and their role' },
    {
      id: 'types',
      label: `${cap(words.booking)} types`,
      hint: isHotel ? 'Length, colour and what each needs' : 'Length, colour, what each needs, recall',
    },
    ...(isHotel ? [] : [{ id: 'rota' as const, label: "Providers' hours", hint: 'Who works when, days off' }]),
    { id: 'blocks', label: 'Closed days and blocked time', hint: 'Public holidays, meetings, repairs' },
    { id: 'preparation', label: 'Preparation rules', hint: 'Tasks made for occasions and remembered incidents' },
    { id: 'sharing', label: 'Sharing and computers', hint: 'Other computers and tablets, pairing codes' },
    { id: 'backups', label: 'Backups', hint: 'The last verified backup, where they go' },
    { id: 'import', label: 'Import', hint: `Bring ${words.people} in from another system, undo an import` },
  ];
}

const SECTION_IDS: readonly SectionId[] = ['practice', 'resources', 'staff', 'types', 'rota', 'blocks', 'preparation', 'sharing', 'backups', 'import'];

/** Whether a location hash opens Settings (`#settings` or `#settings/staff`). */
export function isSettingsHash(hash: string): boolean {
  return /^#settings(\/|$)/.test(hash);
}

/** The section a location hash names, or the first one. */
export function sectionFromHash(hash: string): SectionId {
  const m = /^#settings\/([a-z]+)/.exec(hash);
  const id = m?.[1] as SectionId | undefined;
  return id && SECTION_IDS.includes(id) ? id : 'practice';
}

export function hashOf(section: SectionId): string {
  return `#settings/${section}`;
}

// ---------------------------------------------------------------- words

const ROLE_LABEL: Record<StaffRole, string> = {
  front_desk: 'Front desk',
  practitioner: 'Practitioner',
  housekeeping: 'Housekeeping',
  manager: 'Manager',
};

export const ROLES: readonly StaffRole[] = ['front_desk', 'practitioner', 'housekeeping', 'manager'];

export function roleLabel(role: StaffRole): string {
  return ROLE_LABEL[role];
}

/** Everyone in a role, as a sentence says it: "the front desk", "practitioners". */
export function roleGroup(role: StaffRole): string {
  return { front_desk: 'the front desk', practitioner: 'practitioners', housekeeping: 'housekeeping', manager: 'managers' }[role];
}

/** Weekday names as the core counts them: 0 = Monday … 6 = Sunday. */
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

// ---------------------------------------------------------------- times of day as text

/** `HH:MM` (from an `<input type="time">`) → minutes after midnight, or null when empty/unreadable. */
export function timeToMinute(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/**
 * A closing (or end) time: like `timeToMinute`, but midnight means the end of the day
 * (1440), because a time field cannot show 24:00.
 */
export function endTimeToMinute(text: string): number | null {
  const m = timeToMinute(text);
  return m === 0 ? 1440 : m;
}

/** Minutes → `HH:MM` for a time field; the end of the day (1440) shows as 00:00. */
export function minuteToTime(minute: number): string {
  return minuteText(((minute % 1440) + 1440) % 1440);
}

// ---------------------------------------------------------------- the practice form

export interface BreakDraft {
  start: string;
  end: string;
}

export interface DayDraft {
  weekday: number;
  open: boolean;
  opens: string;
  closes: string;
  breaks: BreakDraft[];
}

export interface PracticeDraft {
  name: string;
  time_zone: string;
  slot_minutes: number;
  check_in: string;
  check_out: string;
  /** Minutes before the start an arrival (check-in) may be marked; never before its own day. */
  early_arrival_minutes: number;
  /** Minutes without use before the screen locks. */
  idle_lock_minutes: number;
  /** Days before a visit an important date still makes it an occasion. */
  occasion_lead_days: number;
  /** Country code for phone numbers typed without + ('' for none). */
  country: string;
  /** Minutes in the waiting room before the desk is told. */
  waiting_alert_minutes: number;
  /** A 24- or 12-hour clock, and the order of day, month and year, in every field and label. */
  time_format: TimeFormat;
  date_order: DateOrder;
  days: DayDraft[];
}

/** The clocks and date orders offered, in words. */
export const TIME_FORMATS: readonly { value: TimeFormat; label: string }[] = [
  { value: '24h', label: '24-hour (14:30)' },
  { value: '12h', label: '12-hour (2:30 pm)' },
];
export const DATE_ORDERS: readonly { value: DateOrder; label: string }[] = [
  { value: 'dmy', label: 'Day first (24/11/2026)' },
  { value: 'mdy', label: 'Month first (11/24/2026)' },
  { value: 'ymd', label: 'Year first (2026-11-24)' },
];

/** The idle-lock choices offered (the core takes 1–240). */
export const IDLE_LOCK_CHOICES: readonly number[] = [2, 5, 10, 15, 30, 60];

/** The choices offered for how early an arrival may be marked, in the practice's words. */
export function earlyArrivalChoices(hotel: boolean): { minutes: number; label: string }[] {
  const day = hotel ? 'from the arrival date' : 'any time that day';
  const before = (m: number) =>
    (m < 60 ? `${m} minutes` : `${m / 60} hour${m === 60 ? '' : 's'}`) + ' before the start';
  return [0, 15, 30, 60, 120, 240].map((m) => ({ minutes: m, label: m === 0 ? 'from the start' : before(m) }))
    .concat([{ minutes: 1440, label: day }]);
}

/** All seven weekdays, closed ones included (so opening one offers sensible times). */
export function hoursToDraft(hours: readonly DayHours[]): DayDraft[] {
  return WEEKDAYS.map((_, weekday) => {
    const d = hours.find((h) => h.weekday === weekday);
    if (!d) return { weekday, open: false, opens: '09:00', closes: '17:00', breaks: [] };
    return {
      weekday,
      open: true,
      opens: minuteToTime(d.opens),
      closes: minuteToTime(d.closes),
      breaks: d.breaks.map((b) => ({ start: minuteToTime(b.start), end: minuteToTime(b.end) })),
    };
  });
}

export class DraftError extends Error {}

/** The open weekdays as the core wants them. Throws `DraftError` when a time is left empty. */
export function draftToHours(days: readonly DayDraft[]): DayHours[] {
  const need = (v: number | null, what: string, day: number): number => {
    if (v === null) throw new DraftError(`Enter ${what} for ${WEEKDAYS[day]}.`);
    return v;
  };
  return days
    .filter((d) => d.open)
    .map((d) => ({
      weekday: d.weekday,
      opens: need(timeToMinute(d.opens), 'the opening time', d.weekday),
      closes: need(endTimeToMinute(d.closes), 'the closing time', d.weekday),
      breaks: d.breaks.map((b) => ({
        start: need(timeToMinute(b.start), 'the start of the break', d.weekday),
        end: need(endTimeToMinute(b.end), 'the end of the break', d.weekday),
      })),
    }));
}

export function practiceToDraft(p: Practice): PracticeDraft {
  return {
    name: p.name,
    time_zone: p.time_zone,
    slot_minutes: p.slot_minutes,
    check_in: minuteToTime(p.check_in_minute),
    check_out: minuteToTime(p.check_out_minute),
    early_arrival_minutes: p.early_arrival_minutes,
    idle_lock_minutes: p.idle_lock_minutes,
    occasion_lead_days: p.occasion_lead_days,
    country: p.country,
    waiting_alert_minutes: p.waiting_alert_minutes,
    time_format: p.time_format,
    date_order: p.date_order,
    days: hoursToDraft(p.opening_hours),
  };
}

/** The `update_practice` request for a draft. Throws `DraftError` when a time is left empty. */
export function draftToUpdate(d: PracticeDraft, expectedVersion: number): UpdatePractice {
  const checkIn = timeToMinute(d.check_in);
  const checkOut = timeToMinute(d.check_out);
  if (checkIn === null) throw new DraftError('Enter the check-in time.');
  if (checkOut === null) throw new DraftError('Enter the check-out time.');
  return {
    expected_version: expectedVersion,
    name: d.name,
    time_zone: d.time_zone,
    slot_minutes: d.slot_minutes,
    check_in_minute: checkIn,
    check_out_minute: checkOut,
    early_arrival_minutes: d.early_arrival_minutes,
    idle_lock_minutes: d.idle_lock_minutes,
    occasion_lead_days: d.occasion_lead_days,
    country: d.country,
    waiting_alert_minutes: d.waiting_alert_minutes,
    time_format: d.time_format,
    date_order: d.date_order,
    opening_hours: draftToHours(d.days),
  };
}

/** Whether two drafts hold the same values (closed days' hidden times do not count). */
export function samePracticeDraft(a: PracticeDraft, b: PracticeDraft): boolean {
  const norm = (d: PracticeDraft) => ({ ...d, days: d.days.map((x) => (x.open ? x : { weekday: x.weekday, open: false })) });
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

// ---------------------------------------------------------------- rows being edited

export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Fresh drafts after the list was reloaded: a row the person has changed keeps their
 * change; every other row takes the new values.
 */
export function mergeDrafts<T extends { id: number }, D>(
  prevDrafts: Readonly<Record<number, D>>,
  prevItems: readonly T[],
  nextItems: readonly T[],
  toDraft: (item: T) => D,
): Record<number, D> {
  const out: Record<number, D> = {};
  for (const item of nextItems) {
    const before = prevItems.find((p) => p.id === item.id);
    const draft = prevDrafts[item.id];
    const edited = before !== undefined && draft !== undefined && !same(draft, toDraft(before));
    out[item.id] = edited ? draft : toDraft(item);
  }
  return out;
}

/** Ids of rows whose draft differs from the stored item. */
export function editedIds<T extends { id: number }, D>(
  drafts: Readonly<Record<number, D>>,
  items: readonly T[],
  toDraft: (item: T) => D,
): number[] {
  return items.filter((i) => drafts[i.id] !== undefined && !same(drafts[i.id], toDraft(i))).map((i) => i.id);
}

/** Items in the order the calendar shows them (sort order, then name). */
export function bySortOrder<T extends { sort_order: number; name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name));
}

/** A sort order just after the last one, for a new row. */
export function nextSortOrder(items: readonly { sort_order: number }[]): number {
  return items.reduce((m, i) => Math.max(m, i.sort_order), 0) + 1;
}

// ---------------------------------------------------------------- blocked time

const YEAR_MS = 366 * 86_400_000;

/** `[from, to)` of "upcoming": from now for a year. */
export function upcomingWindow(nowMs: number): { from_ms: number; to_ms: number } {
  return { from_ms: nowMs, to_ms: nowMs + YEAR_MS };
}

/** `[start, end)` instants of a date and two `HH:MM` times in the zone; an end of 00:00 means midnight after. */
export function blockRange(date: string, from: string, to: string, timeZone: string): [number, number] {
  const a = timeToMinute(from);
  const b = endTimeToMinute(to);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new DraftError('Pick the date.');
  if (a === null) throw new DraftError('Enter the time the block starts.');
  if (b === null) throw new DraftError('Enter the time the block ends.');
  return [atMinute(date, a, timeZone), atMinute(date, b, timeZone)];
}

export interface BlockText {
  /** Whole local days (a closed day or holiday) rather than part of a day. */
  wholeDays: boolean;
  when: string;
  /** "Whole practice" ("Whole hotel") or the resource's name. */
  who: string;
  reason: string;
}

/** How a block reads in the list, in the practice's zone. */
export function describeBlock(
  block: Block,
  timeZone: string,
  resourceName: (id: number) => string,
  place = 'practice',
): BlockText {
  const who = block.resource_id === null ? `Whole ${place}` : resourceName(block.resource_id);
  const startDay = localDate(block.starts_at_ms, timeZone);
  const endDay = localDate(block.ends_at_ms, timeZone);
  const midnight = (ms: number) => minuteOfDay(ms, timeZone) === 0;
  if (midnight(block.starts_at_ms) && midnight(block.ends_at_ms) && endDay > startDay) {
    const last = addDays(endDay, -1);
    const when =
      last === startDay
        ? formatDate(startDay)
        : `${formatDate(startDay, 'short')} – ${formatDate(last, 'short')} ${last.slice(0, 4)}`;
    return { wholeDays: true, when, who, reason: block.reason };
  }
  const when =
    startDay === endDay || (midnight(block.ends_at_ms) && addDays(startDay, 1) === endDay)
      ? `${formatDate(startDay, 'short')} ${startDay.slice(0, 4)}, ${formatTime(block.starts_at_ms, timeZone)}–${formatTime(block.ends_at_ms, timeZone)}`
      : `${formatDate(startDay, 'short')} ${formatTime(block.starts_at_ms, timeZone)} – ${formatDate(endDay, 'short')} ${formatTime(block.ends_at_ms, timeZone)}`;
  return { wholeDays: false, when, who, reason: block.reason };
}

/** A tidy hex colour for `<input type="color">` (which only takes `#rrggbb`). */
export function colourForInput(colour: string): string {
  const c = colour.trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(c)) return c;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(c);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  return '#888888';
}

/** Countries offered for phone numbers (the core accepts any ISO code). */
export const PHONE_COUNTRIES: [string, string][] = [
  ['', 'None (keep numbers as typed)'], ['GB', 'United Kingdom'], ['IE', 'Ireland'], ['PT', 'Portugal'], ['ES', 'Spain'],
  ['FR', 'France'], ['DE', 'Germany'], ['NL', 'Netherlands'], ['BE', 'Belgium'], ['IT', 'Italy'], ['CH', 'Switzerland'],
  ['AT', 'Austria'], ['DK', 'Denmark'], ['SE', 'Sweden'], ['NO', 'Norway'], ['PL', 'Poland'], ['US', 'United States'],
  ['CA', 'Canada'], ['AU', 'Australia'], ['NZ', 'New Zealand'],
];
