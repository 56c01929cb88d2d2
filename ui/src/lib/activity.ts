// The Activity screen's words: what an audit entry says happened, in the practice's
// vocabulary, and what its outcome means. The entries come from `list_activity`.
import type { ActivityEntry } from './bindings/ActivityEntry';
import type { BookingStatus } from './bindings/BookingStatus';
import { statusLabel, type Vocabulary } from './vocabulary';

/** "Booked an appointment", "Signed in", … for an entry's action. */
export function describeAction(e: ActivityEntry, w: Vocabulary): string {
  const what: Record<string, string> = {
    create_booking: `Booked ${article(w.booking)}`,
    update_booking: e.detail['moved'] ? `Moved ${article(w.booking)}` : `Edited ${article(w.booking)}`,
    cancel_booking: `Cancelled ${article(w.booking)}`,
    set_booking_status: statusChange(e),
    add_block: 'Blocked time',
    add_closed_days: 'Closed days',
    remove_block: 'Removed blocked time',
    update_practice: 'Changed the practice settings',
    save_staff: 'Saved a staff member',
    archive_staff: e.detail['archived'] === false ? 'Restored a staff member' : 'Archived a staff member',
    reset_staff_password: 'Reset a password',
    change_password: 'Changed their password',
    save_resource: `Saved ${article(w.resource)} or provider`,
    archive_resource: `Archived or restored ${article(w.resource)} or provider`,
    save_room_type: 'Saved a room type',
    save_appointment_type: `Saved ${article(w.booking)} type`,
    sign_in: 'Signed in',
    sign_out: 'Signed out',
    setup_practice: 'Set up the practice',
    open_demo_practice: 'Opened the demo practice',
    first_password: 'Chose the first manager password',
    restore_booking: `Undid the cancelling of ${article(w.booking)}`,
    add_occasion: 'Noted an occasion',
    dismiss_occasion: 'Dismissed an occasion',
    open_person: 'Opened a record',
    add_person_alert: 'Added an alert',
    remove_person_alert: 'Removed an alert',
    save_person: 'Saved a record',
    add_important_date: 'Added an important date',
    remove_important_date: 'Removed an important date',
    archive_person: e.detail['archived'] === false ? 'Restored a record' : 'Archived a record',
    link_people: 'Linked two records',
    unlink_people: 'Unlinked two records',
    merge_people: 'Merged two records',
    export_person: 'Exported a record',
    erase_person: 'Erased a record on request',
    add_person_note: 'Added a note',
    remove_person_note: 'Removed a note',
    add_task: 'Added a task',
    close_task: 'Closed a task',
    save_task_rule: 'Saved a preparation rule',
    log_incident: 'Logged an incident',
    update_incident: 'Updated an incident',
    record_gesture: 'Recorded what was done',
    send_handoff: 'Sent a handoff',
    mark_handoff_seen: 'Read a handoff',
    close_handoff: 'Closed a handoff',
    book_follow_up: `Booked a follow-up`,
    add_to_waitlist: 'Added someone to the waitlist',
    remove_from_waitlist: 'Took someone off the waitlist',
    book_from_waitlist: 'Booked from the waitlist',
    set_room_status: 'Changed a room’s status',
    note_recall_contact: 'Noted a recall call',
    back_up_now: 'Backed the practice up',
    add_backup_destination: 'Added a backup folder',
    remove_backup_destination: 'Removed a backup folder',
    set_backup_schedule: 'Changed how often backups are taken',
    show_recovery_key: 'Saw the recovery sheet',
    confirm_recovery_sheet: 'Kept the recovery sheet',
    restore_backup: 'Restored a backup',
    restore_practice: 'Restored the practice from a backup',
    add_import_part: 'Handed over a file to import',
    export_people: `Exported every ${w.person}${typeof e.detail['people'] === 'number' ? ` (${(e.detail['people'] as number).toLocaleString('en-GB')})` : ''}`,
    import_people: importPeople(e),
    import_bookings: importBookings(e, w),
    undo_import: undoImport(e),
  };
  const through = e.detail['through'];
  if (typeof through === 'string') return `Saw ${e.person_name ? `${e.person_name}’s` : 'a record’s'} details · ${through}`;
  const opened = what[e.action];
  if (opened && e.person_name && (e.action === 'open_person' || e.action === 'export_person')) return `${opened}: ${e.person_name}`;
  return opened ?? e.action.replaceAll('_', ' ');
}

/** The person an Activity address names (`#activity/person/12`), if any. */
export function personOfHash(hash: string): number | null {
  const m = /^#activity\/person\/(\d+)$/.exec(hash);
  return m ? Number(m[1]) : null;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/** A count from an entry's detail, as a number reads ("18,000"); 0 when it has none. */
function countOf(d: Record<string, unknown>, k: string): string {
  return typeof d[k] === 'number' ? (d[k] as number).toLocaleString('en-GB') : '0';
}

/** An import's entries: its start, each batch, and its end with the counts. */
function importPeople(e: ActivityEntry): string {
  const d = e.detail;
  const n = (k: string) => countOf(d, k);
  if (d['started']) return `Started importing people (${n('rows')} rows)`;
  if (d['done']) return `Imported people: ${n('added')} added, ${n('merged')} filled in, ${n('skipped')} skipped`;
  if (typeof d['from_row'] === 'number') {
    return `Imported people, rows ${n('from_row')}–${n('to_row')}: ${n('added')} added, ${n('merged')} filled in`;
  }
  return 'Imported people';
}

function importBookings(e: ActivityEntry, w: Vocabulary): string {
  const d = e.detail;
  const n = (k: string) => countOf(d, k);
  if (d['started']) return `Started importing ${w.bookings} (${n('rows')} rows)`;
  if (d['done']) return `Imported ${w.bookings}: ${n('added')} booked, ${n('skipped')} skipped`;
  if (typeof d['from_row'] === 'number') {
    return `Imported ${w.bookings}, rows ${n('from_row')}–${n('to_row')}: ${n('added')} booked, ${n('skipped')} skipped`;
  }
  return `Imported ${w.bookings}`;
}

function undoImport(e: ActivityEntry): string {
  const d = e.detail;
  const n = (k: string) => countOf(d, k);
  const kept = typeof d['kept'] === 'number' && (d['kept'] as number) > 0 ? `, ${n('kept')} kept (used since)` : '';
  if (d['started']) {
    const bookings = typeof d['bookings'] === 'number' && (d['bookings'] as number) > 0 ? `, ${n('bookings')} bookings` : '';
    return `Started undoing an import (${n('people')} people${bookings}; ${n('restored')} fields put back)`;
  }
  if (d['done']) return `Undid an import: ${n('removed')} removed, ${n('restored')} fields put back${kept}`;
  return `Undoing an import: ${n('removed')} removed${kept}`;
}

function statusChange(e: ActivityEntry): string {
  const to = e.detail['to'];
  return typeof to === 'string' ? `Set status: ${statusLabel(to as BookingStatus)}` : 'Changed a status';
}

const OUTCOME: Record<string, string> = {
  done: 'Done',
  'staff.forbidden': 'Refused: not allowed',
  'auth.required': 'Refused: not signed in',
  'auth.expired': 'Refused: session timed out',
  'auth.bad_credentials': 'Refused: wrong password',
  'auth.locked': 'Refused: login locked',
  'auth.password_change': 'Refused: must change password first',
  'auth.cross_origin': 'Refused: another web page',
};

/**
 * How an outcome reads; a refusal of a rule shows its code's words. Refusals of
 * one kind within a minute are one entry and a count (`detail.more`): "… × 250 more".
 */
export function describeOutcome(outcome: string, detail: Record<string, unknown> = {}): string {
  const words = OUTCOME[outcome] ?? `Refused (${outcome.replace(/^[a-z]+\./, '').replaceAll('_', ' ')})`;
  const more = detail['more'];
  return typeof more === 'number' && more > 0 ? `${words} × ${more.toLocaleString('en-GB')} more` : words;
}

/** The booking ids an entry touched (for "open this booking" links). */
export function bookingsOf(e: ActivityEntry): number[] {
  return e.entities.filter((c) => c.topic === 'booking.changed').flatMap((c) => c.ids);
}
