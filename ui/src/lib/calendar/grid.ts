// The grid adapter: what @event-calendar/core is told (view names, resources, hidden
// days, the options object, the accessibility fix for its markup) from Hearth's desk
// and practice. Nothing here knows about bookings being saved.
import { Interaction, ResourceTimeGrid, ResourceTimeline, TimeGrid } from '@event-calendar/core';
import type { Practice } from '../bindings/Practice';
import type { Desk } from '../desk.svelte';
import { currentFormat, localDate, minuteOfDay, minuteText } from '../time';
import { practiceNow } from '../clock';

export type ViewKind = 'day' | 'week' | 'tape';
/** The hotel's tape chart shows up to a fortnight: as many days as fit with a name in a night. */
export const TAPE_DAYS = 14;
/** The tape chart starts the day before the one asked for, so today's departures show whole, with their names. */
export const TAPE_DAYS_BEFORE = 1;
/** The fewest days the tape chart shows, however narrow the window. */
const TAPE_MIN_DAYS = 7;
/** A day on the tape chart is at least this wide, so a one-night stay shows its guest's name. */
const TAPE_DAY_MIN_PX = 110;
/** The width of the rooms' names on the left of the tape chart, until it is measured. */
export const TAPE_ROOM_HEAD_PX = 130;

/**
 * How many days the tape chart shows in a calendar `width` pixels wide, with the rooms'
 * names `roomHeadPx` wide on the left (as long as the longest name), and how wide each
 * half day is (a stay is drawn from noon on arrival to noon on departure, so the grid's
 * slots are half days).
 */
export function tapeLayout(width: number, roomHeadPx = TAPE_ROOM_HEAD_PX): { days: number; halfDayPx: number } {
  const room = Math.max(0, width - roomHeadPx - 24);
  const days = Math.max(TAPE_MIN_DAYS, Math.min(TAPE_DAYS, Math.floor(room / TAPE_DAY_MIN_PX)));
  const halfDayPx = Math.max(TAPE_DAY_MIN_PX / 2, Math.floor(room / days / 2));
  return { days, halfDayPx };
}

export const plugins = [ResourceTimeGrid, TimeGrid, ResourceTimeline, Interaction];
/** The grid's time labels, on the practice's clock. */
export function gridTimeFormat(): Record<string, unknown> {
  return currentFormat().twelveHour
    ? { hour: 'numeric', minute: '2-digit', hour12: true }
    : { hour: '2-digit', minute: '2-digit', hour12: false };
}

/** The grid's own name for a Hearth view. */
export function ecViewOf(view: ViewKind): string {
  // The tape chart is the timeline's timed view, in half-day slots, so a stay can start and
  // end mid-day; its length is set by tapeLayout.
  // The week is one chair's or one provider's (see weekColumns): a day a column, wide
  // enough for every name at 1366 px.
  return view === 'tape' ? 'resourceTimelineWeek' : view === 'week' ? 'timeGridWeek' : 'resourceTimeGridDay';
}

/** The rows (hotel: rooms grouped by room type) or columns (dental: chairs). */
export function resourcesOf(desk: Desk): { id: string; title: string; children?: { id: string; title: string }[] }[] {
  if (desk.isHotel) {
    const groups = desk.roomTypes
      .map((rt) => ({
        id: `rt-${rt.id}`,
        title: rt.name,
        children: desk.rooms.filter((r) => r.room_type_id === rt.id).map((r) => ({ id: String(r.id), title: r.name })),
      }))
      .filter((g) => g.children.length > 0);
    const loose = desk.rooms.filter((r) => !desk.roomTypes.some((rt) => rt.id === r.room_type_id));
    return [...groups, ...loose.map((r) => ({ id: String(r.id), title: r.name }))];
  }
  return desk.chairs.map((c) => ({ id: String(c.id), title: c.name }));
}

/** Whose week the week view shows: a chair's or a provider's ("chair-3", "provider-7"). */
export type WeekOf = `chair-${number}` | `provider-${number}`;

/** The chairs and providers a week can be shown for, in the switch's order. */
export function weekChoices(desk: Desk): { key: WeekOf; name: string; kind: 'chair' | 'provider' }[] {
  return [
    ...desk.chairs.map((c) => ({ key: `chair-${c.id}` as WeekOf, name: c.name, kind: 'chair' as const })),
    ...desk.providers.map((p) => ({ key: `provider-${p.id}` as WeekOf, name: p.name, kind: 'provider' as const })),
  ];
}

/** The week shown first: `asked` if it is a choice, else the signed-in practitioner's own column, else the first chair. */
export function defaultWeekOf(desk: Desk, asked: string | null): WeekOf | null {
  const choices = weekChoices(desk);
  const hit = choices.find((c) => c.key === asked);
  if (hit) return hit.key;
  const mine = desk.providers.find((p) => p.staff_id !== null && p.staff_id === desk.actor?.id);
  if (mine) return `provider-${mine.id}`;
  return choices[0]?.key ?? null;
}

/** The resource id in a week key. */
export function weekResource(of: WeekOf | null): number | null {
  if (!of) return null;
  const id = Number(of.slice(of.indexOf('-') + 1));
  return Number.isFinite(id) ? id : null;
}

/** Weekdays never open are hidden in the week view (the grid counts 0 = Sunday). */
export function hiddenDaysOf(practice: Practice): number[] {
  const open = new Set(practice.opening_hours.map((d) => (d.weekday + 1) % 7));
  const hidden = [0, 1, 2, 3, 4, 5, 6].filter((d) => !open.has(d));
  return hidden.length === 7 ? [] : hidden;
}

/**
 * Where the day view scrolls to: on today, an hour before now, within the opening hours;
 * on another day (the next open day, say), the start of the day's hours.
 */
export function scrollTarget(hours: { min: number; max: number }, timeZone: string, date: string): string {
  if (date !== localDate(practiceNow(), timeZone)) return minuteText(Math.floor(hours.min / 60) * 60);
  const now = minuteOfDay(practiceNow(), timeZone);
  const start = Math.max(hours.min, Math.min(now - 60, hours.max - 120));
  return minuteText(Math.max(0, Math.floor(start / 60) * 60));
}

export interface GridCallbacks {
  eventClick: (info: never) => void;
  eventDrop: (info: never) => void;
  eventResize: (info: never) => void;
  select: (info: never) => void;
  eventDidMount: (info: never) => void;
}

/**
 * The grid's fixed options. The moving parts (view, date, places, items, hours, zone) are
 * the screen's, which sets them from the start and keeps them in step.
 */
export function initialOptions(args: {
  hours: { min: number; max: number };
  timeZone: string;
  /** The day the grid opens on. */
  date: string;
  callbacks: GridCallbacks;
}): Record<string, unknown> {
  const { hours, timeZone, date, callbacks } = args;
  return {
    headerToolbar: { start: '', center: '', end: '' },
    locale: 'en-GB',
    firstDay: 1,
    allDaySlot: false,
    nowIndicator: true,
    selectable: true,
    editable: true,
    eventResizableFromStart: false,
    slotHeight: 22,
    scrollTime: scrollTarget(hours, timeZone, date),
    slotLabelFormat: gridTimeFormat(),
    // Hearth draws each item's time itself (eventContent); the grid's own time text,
    // formatted per item with Intl's slow formatRange, is never shown.
    eventTimeFormat: () => '',
    // A name cut short on the tape chart shows whole on hover.
    resourceLabelDidMount: ({ el, resource }: { el: HTMLElement; resource: { title: string } }) => {
      el.title = resource.title;
    },
    dayHeaderFormat: { weekday: 'short', day: 'numeric', month: 'short' },
    ...callbacks,
    views: {
      resourceTimeGridDay: { dayHeaderFormat: { weekday: 'long', day: 'numeric', month: 'long' } },
      resourceTimelineWeek: {
        duration: { days: TAPE_DAYS },
        slotDuration: { hours: 12 },
        // A drag or a selection moves by whole nights (in hours: the grid reads a snap of
        // "1 day" as zero and never returns).
        snapDuration: { hours: 24 },
        slotWidth: TAPE_DAY_MIN_PX / 2,
        slotMinTime: '00:00',
        slotMaxTime: '24:00',
        scrollTime: '00:00',
        dayHeaderFormat: { weekday: 'short', day: 'numeric' },
        slotLabelFormat: () => '',
      },
    },
  };
}

/**
 * The grid widget marks itself up as an ARIA table whose rows and cells do not nest
 * as ARIA requires (axe: aria-required-children/parent). Its items are buttons that
 * name the person, time, chair or room and status, and the list beside it carries
 * the same bookings, so the grid's table roles are dropped rather than left broken.
 * Returns the function that stops watching.
 */
export function keepGridRolesFlat(root: HTMLElement): () => void {
  const GRID_ROLES = ['table', 'rowgroup', 'row', 'cell', 'columnheader', 'rowheader', 'gridcell'];
  const flatten = () => {
    const selector = GRID_ROLES.map((r) => `[role="${r}"]`).join(',');
    root.querySelectorAll(selector).forEach((el) => el.removeAttribute('role'));
    root.querySelectorAll('[aria-colindex],[aria-colspan],[aria-rowindex],[aria-rowspan]').forEach((el) => {
      for (const a of ['aria-colindex', 'aria-colspan', 'aria-rowindex', 'aria-rowspan']) el.removeAttribute(a);
    });
  };
  flatten();
  const observer = new MutationObserver(flatten);
  observer.observe(root, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['role', 'aria-colindex', 'aria-colspan'],
  });
  return () => observer.disconnect();
}
