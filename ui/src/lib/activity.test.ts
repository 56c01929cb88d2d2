import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from './bindings/ActivityEntry';
import { bookingsOf, describeAction, describeOutcome, personOfHash } from './activity';
import { vocabulary } from './vocabulary';

const entry = (action: string, detail: Record<string, unknown> = {}): ActivityEntry => ({
  id: 1, at_ms: 0, staff_id: 1, staff_name: 'Helen', workstation: 'Browser on Linux', action, outcome: 'done',
  entities: [{ topic: 'booking.changed', ids: [7] }], person_id: null, person_name: null, detail,
});
const words = vocabulary('dental');

describe('activity words', () => {
  it('speaks the practice’s language', () => {
    expect(describeAction(entry('create_booking'), vocabulary('dental'))).toBe('Booked an appointment');
    expect(describeAction(entry('create_booking'), vocabulary('hotel'))).toBe('Booked a stay');
    expect(describeAction(entry('restore_backup'), vocabulary('dental'))).toBe('Restored a backup');
    expect(describeAction(entry('show_recovery_key'), vocabulary('hotel'))).toBe('Saw the recovery sheet');
    expect(describeAction(entry('update_booking', { moved: true }), vocabulary('dental'))).toBe('Moved an appointment');
    expect(describeAction(entry('set_booking_status', { to: 'arrived' }), vocabulary('dental'))).toBe('Set status: Arrived');
  });
  it('explains refusals and finds the booking', () => {
    expect(describeOutcome('done')).toBe('Done');
    expect(describeOutcome('auth.locked')).toBe('Refused: login locked');
    expect(describeOutcome('booking.overlap')).toBe('Refused (overlap)');
    expect(describeOutcome('auth.required', { more: 9999 })).toBe('Refused: not signed in × 9,999 more');
    expect(describeOutcome('auth.required', { more: 'x' })).toBe('Refused: not signed in');
    expect(bookingsOf(entry('create_booking'))).toEqual([7]);
  });
});

describe('imports', () => {
  it('tells an import of bookings in the practice\'s words', () => {
    expect(describeAction(entry('import_bookings', { import: 4, added: 312, skipped: 4, done: true }), words)).toBe(
      'Imported appointments: 312 booked, 4 skipped',
    );
    expect(describeAction(entry('undo_import', { import: 4, people: 3, bookings: 312, restored: 0, started: true }), words)).toBe(
      'Started undoing an import (3 people, 312 bookings; 0 fields put back)',
    );
  });
  it('tells an import’s start, batches and end with their counts', () => {
    expect(describeAction(entry('import_people', { import: 3, rows: 20000, started: true }), words)).toBe('Started importing people (20,000 rows)');
    expect(describeAction(entry('import_people', { import: 3, from_row: 2, to_row: 501, added: 498, merged: 2 }), words)).toBe(
      'Imported people, rows 2–501: 498 added, 2 filled in',
    );
    expect(describeAction(entry('import_people', { import: 3, added: 18000, merged: 2, skipped: 1998, done: true }), words)).toBe(
      'Imported people: 18,000 added, 2 filled in, 1,998 skipped',
    );
    expect(describeAction(entry('undo_import', { import: 3, removed: 200, kept: 0 }), words)).toBe('Undoing an import: 200 removed');
    expect(describeAction(entry('undo_import', { import: 3, removed: 17999, restored: 4, kept: 1, done: true }), words)).toBe(
      'Undid an import: 17,999 removed, 4 fields put back, 1 kept (used since)',
    );
  });
});

describe('looks at a record', () => {
  const look = (detail: Record<string, unknown>, person_name: string | null): ActivityEntry => ({
    id: 9, at_ms: 0, staff_id: 1, staff_name: 'Fred', workstation: null, action: 'looked', outcome: 'done',
    entities: [], person_id: 3, person_name, detail,
  });

  it('says whose details were seen and through what', () => {
    expect(describeAction(look({ through: 'day sheet' }, 'Quentin Quill'), words)).toBe('Saw Quentin Quill’s details · day sheet');
    expect(describeAction(look({ through: 'search' }, null), words)).toBe('Saw a record’s details · search');
  });

  it('reads the person from the Activity address', () => {
    expect(personOfHash('#activity/person/12')).toBe(12);
    expect(personOfHash('#activity')).toBeNull();
    expect(personOfHash('#activity/person/x')).toBeNull();
  });
});
