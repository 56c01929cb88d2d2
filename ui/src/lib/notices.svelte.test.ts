import { afterEach, describe, expect, it, vi } from 'vitest';
import { notices } from './notices.svelte';

describe('notices', () => {
  afterEach(() => {
    notices.clear();
    vi.useRealTimers();
  });

  it('keeps one notice per thing: a newer one with the same key replaces the older', () => {
    vi.useFakeTimers();
    notices.info('The practice computer is back: the calendar has caught up.', [], 'connection');
    notices.info('Ana Ruiz booked.');
    notices.info('The practice computer is back: this screen has caught up.', [], 'connection');
    expect(notices.list.map((n) => n.message)).toEqual([
      'Ana Ruiz booked.',
      'The practice computer is back: this screen has caught up.',
    ]);
  });

  it('shows one refusal at a time, and confirmations fade', () => {
    vi.useFakeTimers();
    notices.error('Chair 2 is booked 10:00–10:30.');
    notices.error('Chair 3 is booked 11:00–11:30.');
    notices.info('Saved.');
    expect(notices.list.map((n) => n.message)).toEqual(['Chair 3 is booked 11:00–11:30.', 'Saved.']);
    vi.advanceTimersByTime(4000);
    expect(notices.list.map((n) => n.message)).toEqual(['Chair 3 is booked 11:00–11:30.']);
  });
});

describe('never a pile', () => {
  it('shows at most three, dropping the oldest plain confirmation first and keeping an Undo', () => {
    notices.clear();
    const undo = notices.info('Booked for Ana.', [{ label: 'Undo', run: () => {} }]);
    notices.info('Saved one.');
    notices.info('Saved two.');
    notices.info('Saved three.');
    expect(notices.list.map((n) => n.message)).toEqual(['Booked for Ana.', 'Saved two.', 'Saved three.']);
    notices.error('Refused.');
    expect(notices.list.length).toBe(3);
    expect(notices.list.some((n) => n.id === undo)).toBe(true);
    expect(notices.list.some((n) => n.kind === 'error')).toBe(true);
    notices.clear();
  });
});
