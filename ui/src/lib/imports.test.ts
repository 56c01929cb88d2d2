import { describe, expect, it } from 'vitest';
import { bookingVerdictLabel, countsLine, nameKindLabel, partsOf, verdictLabel, wouldBook, wouldImport } from './imports';
import { vocabulary } from './vocabulary';

describe('handing a file over', () => {
  it('splits it into base64 parts that join back to the file', () => {
    const bytes = new Uint8Array(600_000).map((_, i) => (i * 7) % 256);
    const parts = partsOf(bytes, 256 * 1024);
    expect(parts.length).toBe(3);
    const joined = parts.map((p) => Uint8Array.from(atob(p), (c) => c.charCodeAt(0)));
    expect(joined.reduce((n, p) => n + p.length, 0)).toBe(600_000);
    expect(Array.from(joined[2].slice(-3))).toEqual(Array.from(bytes.slice(-3)));
    expect(partsOf(new Uint8Array())).toEqual(['']);
  });
});

describe('import words', () => {
  it('names verdicts and counts', () => {
    expect(verdictLabel('in_file')).toBe('Twice in the file');
    expect(countsLine({ added: 18000, merged: 2, skipped: 1998 } as never)).toBe('18,000 added, 2 filled in, 1,998 skipped');
  });
  it('counts what the choices would bring in', () => {
    const c = { ready: 10, existing: 3, in_file: 2, problems: 4, can_leave_out: 3 };
    expect(wouldImport(c, { on_existing: 'skip', on_in_file: 'skip', on_problem: 'skip' })).toBe(10);
    expect(wouldImport(c, { on_existing: 'merge', on_in_file: 'add_anyway', on_problem: 'leave_out' })).toBe(18);
  });
});

describe('bookings import words', () => {
  it('names verdicts, kinds of names and counts', () => {
    expect(bookingVerdictLabel('closed')).toBe('Closed time');
    expect(bookingVerdictLabel('new_person')).toBe('Someone new');
    expect(nameKindLabel('type', vocabulary('dental'))).toBe('Appointment type');
    expect(nameKindLabel('type', vocabulary('hotel'))).toBe('Stay type');
    expect(countsLine({ kind: 'bookings', added: 312, merged: 0, skipped: 4 } as never)).toBe('312 booked, 4 skipped');
  });
  it('counts what would be booked', () => {
    const c = { ready: 10, new_person_rows: 4, booked_anyway: 1 };
    expect(wouldBook(c, 'add')).toBe(15);
    expect(wouldBook(c, 'skip')).toBe(11);
  });
});
