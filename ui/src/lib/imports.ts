// Settings → Import: handing a file over in parts, and the words for what an
// import found and did. docs/import.md says the same to the manager.
import type { PersonField } from './bindings/PersonField';
import type { ImportRecord } from './bindings/ImportRecord';
import type { ImportVerdict } from './bindings/ImportVerdict';
import type { BookingRowKind } from './bindings/BookingRowKind';
import type { NameKind } from './bindings/NameKind';
import type { Vocabulary } from './vocabulary';
import { cap } from './vocabulary';

/** Bytes per part handed over (base64 makes each request a third larger, well under 1 MiB). */
export const PART_BYTES = 256 * 1024;

/** The parts of a file, base64, in order; an empty file is one empty part. */
export function partsOf(bytes: Uint8Array, size = PART_BYTES): string[] {
  if (bytes.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(base64(bytes.subarray(i, i + size)));
  return out;
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** What a verdict is called on screen. */
export function verdictLabel(v: ImportVerdict): string {
  switch (v) {
    case 'ready':
      return 'Ready';
    case 'existing':
      return 'Already here';
    case 'in_file':
      return 'Twice in the file';
    case 'problem':
      return 'Problem';
  }
}

/** "Leave out" for a column that maps to nothing. */
export function columnChoice(f: PersonField | null): string {
  return f ?? '';
}

/** An import's counts in a line: "1,998 added, 2 filled in, 0 skipped"; bookings: "312 booked, 4 skipped". */
export function countsLine(r: ImportRecord): string {
  const n = (x: number) => x.toLocaleString('en-GB');
  if (r.kind === 'bookings') return `${n(r.added)} booked, ${n(r.skipped)} skipped`;
  return `${n(r.added)} added, ${n(r.merged)} filled in, ${n(r.skipped)} skipped`;
}

/** What a row of bookings is called on screen. */
export function bookingVerdictLabel(v: BookingRowKind): string {
  switch (v) {
    case 'ready':
      return 'Ready';
    case 'new_person':
      return 'Someone new';
    case 'existing':
      return 'Already in the calendar';
    case 'clash':
      return 'Clash';
    case 'closed':
      return 'Closed time';
    case 'problem':
      return 'Problem';
  }
}

/** "Chair", "Provider", "Room", or the practice's word for a type ("Appointment type"). */
export function nameKindLabel(k: NameKind, words: Vocabulary): string {
  switch (k) {
    case 'chair':
      return 'Chair';
    case 'provider':
      return 'Provider';
    case 'room':
      return 'Room';
    case 'type':
      return `${cap(words.booking)} type`;
  }
}

/** How many rows an import of bookings with this choice would book. */
export function wouldBook(
  counts: { ready: number; new_person_rows: number; booked_anyway: number },
  onNewPerson: 'add' | 'skip',
): number {
  return counts.ready + (onNewPerson === 'add' ? counts.new_person_rows : 0) + counts.booked_anyway;
}

/** How many rows an import with these choices would bring in (added or filled in). */
export function wouldImport(
  counts: { ready: number; existing: number; in_file: number; problems: number; can_leave_out: number },
  choices: { on_existing: 'skip' | 'merge' | 'add_anyway'; on_in_file: 'skip' | 'add_anyway'; on_problem: 'skip' | 'leave_out' },
): number {
  return (
    counts.ready +
    (choices.on_existing === 'skip' ? 0 : counts.existing) +
    (choices.on_in_file === 'skip' ? 0 : counts.in_file) +
    (choices.on_problem === 'skip' ? 0 : counts.can_leave_out)
  );
}
