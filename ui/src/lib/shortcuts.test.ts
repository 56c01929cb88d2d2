import { describe, expect, it } from 'vitest';
import { actionFor, myDayAction, keyName, shortcuts } from './shortcuts';

describe('the one shortcut table', () => {
  it('is what the key handler reads', () => {
    expect(actionFor('dental', 'N', false)).toBe('new');
    expect(actionFor('dental', 'N', true)).toBe('new'); // N is a new booking, whatever is selected
    expect(actionFor('dental', 'M', true)).toBe('status'); // no-show (missed) on a selected booking
    expect(actionFor('dental', 'O', true)).toBe('status'); // complete (out)
    expect(actionFor('dental', 'X', true)).toBe('cancel');
    expect(actionFor('dental', 'X', false)).toBeUndefined();
    expect(actionFor('dental', 'W', false)).toBe('week_view');
    expect(actionFor('hotel', 'W', false)).toBeUndefined(); // the tape chart has one view
    expect(actionFor('hotel', 'S', true)).toBeUndefined(); // no treatment in a hotel
    expect(actionFor('dental', keyName({ key: 'ArrowLeft', ctrlKey: false }), false)).toBe('previous');
    expect(actionFor('dental', keyName({ key: 'l', ctrlKey: true }), false)).toBe('lock');
    expect(actionFor('hotel', '/', false)).toBe('search');
    expect(actionFor('hotel', keyName({ key: 'k', ctrlKey: true }), true)).toBe('search');
    expect(actionFor('dental', 'F', false)).toBe('find');
  });
  it('gives no key two meanings: a booking\'s keys are none of the keys that work anywhere', () => {
    for (const kind of ['dental', 'hotel'] as const) {
      const all = shortcuts(kind).flatMap((g) => g.items).filter((s) => !s.onMyDay);
      const anywhere = new Set(all.filter((s) => !s.onBooking).flatMap((s) => s.keys));
      const onBooking = all.filter((s) => s.onBooking).flatMap((s) => s.keys);
      expect(onBooking.filter((k) => anywhere.has(k))).toEqual([]);
    }
  });
  it("keeps My day's keys to My day: H and the arrows there, never on the calendar", () => {
    expect(myDayAction('H')).toBe('handoff');
    expect(myDayAction(keyName({ key: 'ArrowDown', ctrlKey: false }))).toBe('move');
    expect(actionFor('dental', 'H', true)).toBeUndefined();
    expect(actionFor('dental', 'Enter', true)).toBe('open');
  });
  it('lists every key once per context', () => {
    for (const kind of ['dental', 'hotel'] as const) {
      for (const group of shortcuts(kind)) {
        const keys = group.items.flatMap((s) => s.keys);
        expect(new Set(keys).size).toBe(keys.length);
      }
    }
  });
});
