import { describe, expect, it } from 'vitest';
import { HearthError } from './client';
import { asHearthError, codeOf, wordsOf } from './errors';

describe('what a person reads of a failure', () => {
  it('is the core’s words, with its code kept apart', () => {
    const e = new HearthError({ code: 'staff.forbidden', message: 'Only managers can change staff.', details: {} });
    expect(wordsOf(e)).toBe('Only managers can change staff.');
    expect(codeOf(e)).toBe('staff.forbidden');
    expect(wordsOf({ message: 'x' })).toBe('x');
    expect(codeOf(null)).toBeUndefined();
  });

  it('makes any failure a HearthError', () => {
    const e = new HearthError({ code: 'booking.overlap', message: 'Chair 2 is taken.', details: {} });
    expect(asHearthError(e)).toBe(e);
    const other = asHearthError(new TypeError('failed to fetch'));
    expect([other.code, other.message]).toEqual(['internal', 'failed to fetch']);
  });
});
