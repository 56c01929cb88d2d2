// Who a typed name could already be, in the desk's words: what a likely match shares with
// what was typed, and what tells the two apart (their phone, birth date, visits).
import type { LikelyPerson } from './bindings/LikelyPerson';
import type { Likeness } from './bindings/Likeness';
import { formatDate, formatDateField, localDate } from './time';

const WORDS: Record<Likeness, string> = {
  same_name: 'same name',
  close_name: 'similar name',
  same_phone: 'same phone',
  same_email: 'same e-mail',
  same_birth_date: 'same birth date',
};

/** "same name, same phone". */
export function likenessWords(l: Likeness[]): string {
  return l.map((x) => WORDS[x]).join(', ');
}

/** Whether the match is by name (the core asks before making a new record next to it). */
export function byName(p: LikelyPerson): boolean {
  return p.likeness[0] === 'same_name' || p.likeness[0] === 'close_name';
}

/** What tells this record apart: "07700 900123 · born 01/03/1980 · 4 visits, last Tue 3 Nov". */
export function apartWords(p: LikelyPerson, timeZone: string): string {
  const visits =
    p.visits === 0
      ? 'no visits'
      : `${p.visits} ${p.visits === 1 ? 'visit' : 'visits'}` +
        (p.last_visit_ms !== null ? `, last ${formatDate(localDate(p.last_visit_ms, timeZone), 'short')}` : '') +
        (p.next_visit_ms !== null ? `, next ${formatDate(localDate(p.next_visit_ms, timeZone), 'short')}` : '');
  return [
    p.phone || 'no phone',
    p.date_of_birth ? `born ${formatDateField(p.date_of_birth)}` : '',
    p.email,
    visits,
  ]
    .filter(Boolean)
    .join(' · ');
}
