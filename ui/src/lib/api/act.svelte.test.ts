import { afterEach, describe, expect, it } from 'vitest';
import { notices } from '../notices.svelte';
import { HearthError } from './client';
import { act, Acts } from './act.svelte';

const overlap = () => new HearthError({ code: 'booking.overlap', message: 'Chair 2 is taken.', details: { field: 'time' } });
const said = () => notices.list.map((n) => [n.kind, n.message]);

describe('a screen’s writes', () => {
  afterEach(() => notices.clear());

  it('names the write under way, and says it is done', async () => {
    const acts = new Acts();
    let during: string | null = null;
    const answer = await acts.run(async () => {
      during = acts.busy;
      return 7;
    }, { key: 'save', done: (n) => `Saved ${n}.` });
    expect([answer, during, acts.busy]).toEqual([7, 'save', null]);
    expect(said()).toEqual([['info', 'Saved 7.']]);
  });

  it('keeps an inline screen’s refusal, with its details, until the next write or clear()', async () => {
    const acts = new Acts({ inline: true });
    expect(await acts.run(() => Promise.reject(overlap()))).toBeUndefined();
    expect(acts.refusal?.details.field).toBe('time');
    expect(said()).toEqual([]);
    await acts.run(async () => 1);
    expect(acts.refusal).toBeNull();
    acts.refuse('The two passwords are different.');
    expect(acts.refusal?.message).toBe('The two passwords are different.');
    acts.clear();
    expect(acts.refusal).toBeNull();
  });

  it('lets `refused` say a refusal its own way, before busy ends', async () => {
    const acts = new Acts();
    let busyThen: string | null = null;
    await acts.run(() => Promise.reject(overlap()), {
      key: 'move',
      refused: (r) => {
        busyThen = acts.busy;
        notices.error(r.message, [{ label: 'Book anyway', run: () => {} }]);
      },
    });
    expect(busyThen).toBe('move');
    expect(notices.list.map((n) => n.actions.length)).toEqual([1]);
    const inline = new Acts({ inline: true });
    let seen: [string, HearthError | null] = ['', null];
    await inline.run(() => Promise.reject(overlap()), { refused: (r) => (seen = [r.code, inline.refusal]) });
    // The screen shows the refusal once its own step is done.
    expect(seen).toEqual(['booking.overlap', null]);
    expect(inline.refusal?.code).toBe('booking.overlap');
  });

  it('act() puts a refusal in a notice, or hands it to `refused`', async () => {
    expect(await act(() => Promise.reject(new TypeError('failed to fetch')))).toBeUndefined();
    expect(said()).toEqual([['error', 'failed to fetch']]);
    notices.clear();
    expect(await act(async () => 'Ana', (who) => `Booked ${who}.`)).toBe('Ana');
    let code = '';
    await act(() => Promise.reject(overlap()), { refused: (r) => (code = r.code) });
    expect(code).toBe('booking.overlap');
    expect(said()).toEqual([['info', 'Booked Ana.']]);
  });
});
