import { describe, expect, it } from 'vitest';
import { statusForKey, statusIcon, statusLabel, vocabulary, withArticle } from './vocabulary';
import type { BookingStatus } from './bindings/BookingStatus';

describe('vocabulary', () => {
  it('puts the right article before a word', () => {
    expect(withArticle('appointment type')).toBe('an appointment type');
    expect(withArticle('stay type')).toBe('a stay type');
  });
  it('follows the practice kind', () => {
    expect(vocabulary('dental')).toMatchObject({ person: 'patient', resource: 'chair', booking: 'appointment' });
    expect(vocabulary('hotel')).toMatchObject({ person: 'guest', resource: 'room', booking: 'stay' });
  });

  it('gives every status a distinct shape, not only a colour', () => {
    const all: BookingStatus[] = ['booked', 'confirmed', 'arrived', 'in_treatment', 'completed', 'cancelled', 'no_show'];
    expect(new Set(all.map(statusIcon)).size).toBe(all.length);
    expect(statusLabel('checked_in')).toBe('Checked in');
  });

  it('maps a key only to a status the core allows next', () => {
    expect(statusForKey('a', ['confirmed', 'arrived', 'no_show'])).toBe('arrived');
    expect(statusForKey('A', ['checked_in', 'no_show'])).toBe('checked_in');
    expect(statusForKey('a', ['in_treatment', 'completed'])).toBeUndefined();
    expect(statusForKey('o', ['checked_out', 'booked'])).toBe('checked_out');
    expect(statusForKey('m', ['confirmed', 'no_show'])).toBe('no_show');
  });
});
