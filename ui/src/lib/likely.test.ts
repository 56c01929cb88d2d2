import { describe, expect, it } from 'vitest';
import { apartWords, byName, likenessWords } from './likely';
import type { LikelyPerson } from './bindings/LikelyPerson';

const ana: LikelyPerson = {
  id: 1, full_name: 'Ana Ruiz', preferred_name: '', phone: '07700 900123', email: '', date_of_birth: '1980-03-01',
  last_visit_ms: Date.UTC(2026, 10, 3, 10), next_visit_ms: null, visits: 4, alert: null, likeness: ['same_name', 'same_phone'],
};

describe('likely matches in words', () => {
  it('says what they share and what tells them apart', () => {
    expect(likenessWords(ana.likeness)).toBe('same name, same phone');
    expect(apartWords(ana, 'Europe/London')).toMatch(/^07700 900123 · born .*1980 · 4 visits, last .*Nov/);
    expect(apartWords({ ...ana, phone: '', date_of_birth: null, visits: 0, last_visit_ms: null }, 'UTC')).toBe('no phone · no visits');
  });
  it('asks only about a match by name', () => {
    expect(byName(ana)).toBe(true);
    expect(byName({ ...ana, likeness: ['same_phone'] })).toBe(false);
  });
});
