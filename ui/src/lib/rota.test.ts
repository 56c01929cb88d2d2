import { describe, expect, it } from 'vitest';
import { rotaForm, rotaWords, shiftsOf } from './rota';
import type { DayHours } from './bindings/DayHours';

const week: DayHours[] = [0, 1, 2, 3, 4].map((weekday) => ({ weekday, opens: 480, closes: 1020, breaks: [] }));

describe('a provider’s week', () => {
  it('starts from the practice’s hours and sends nothing when unchanged', () => {
    const form = rotaForm([], week);
    expect(form.map((d) => [d.works, d.start, d.end])).toEqual(Array(5).fill([true, '08:00', '17:00']));
    expect(shiftsOf(form, week)).toEqual([]);
    expect(rotaWords([])).toBe('Whenever the practice is open');
  });
  it('keeps days off and shorter days, and says them in words', () => {
    const form = rotaForm([], week);
    form[2].works = false;
    form[4].end = '13:00';
    const shifts = shiftsOf(form, week);
    expect(shifts).toEqual([
      { weekday: 0, start: 480, end: 1020 }, { weekday: 1, start: 480, end: 1020 },
      { weekday: 3, start: 480, end: 1020 }, { weekday: 4, start: 480, end: 780 },
    ]);
    expect(rotaWords(shifts)).toBe('Mon, Tue, Thu 08:00–17:00 · Fri 08:00–13:00');
    // Read back, Wednesday stays off.
    expect(rotaForm(shifts, week)[2].works).toBe(false);
  });
});
