import { beforeEach, describe, expect, it, vi } from 'vitest';

const asked: string[] = [];
vi.mock('../api/client', () => ({
  call: async (name: string, req: { from_ms: number; to_ms: number }) => {
    asked.push(`${name} ${req.from_ms}-${req.to_ms}`);
    return [];
  },
  HearthError: class extends Error {},
  SESSION_LOST: new Set(['auth.required', 'auth.expired']),
  ORIGIN: 'this-window',
  onChanges: () => () => {},
  onWrite: () => () => {},
}));
// No page here: nothing has the focus.
vi.stubGlobal('HTMLElement', class {});
vi.stubGlobal('document', { activeElement: null, querySelector: () => null });
vi.stubGlobal('requestAnimationFrame', (f: (t: number) => void) => setTimeout(() => f(0), 0));

const { CalendarData } = await import('./data.svelte');
const { queryClient } = await import('../api/queries');

// (The reads' effects run only in a component; here `show` is what asks, as it does while
// the calendar's script runs. The grid's waiting for both reads is the browser tests'.)
const listed = (name: string) => asked.filter((a) => a.startsWith(name));

describe('CalendarData.show', () => {
  beforeEach(() => {
    asked.length = 0;
    queryClient.clear();
  });

  it('asks for the days once, however often the screen says which it shows', async () => {
    const data = new CalendarData();
    data.show('2026-11-24', 1, 'Europe/London');
    data.show('2026-11-24', 1, 'Europe/London');
    await vi.waitFor(() => expect(queryClient.isFetching()).toBe(0));
    expect(listed('list_bookings')).toHaveLength(1);
    expect(listed('list_blocks')).toHaveLength(1);
  });

  it('asks again for other days, or for the same days in another zone', async () => {
    const data = new CalendarData();
    data.show('2026-11-24', 1, 'Europe/London');
    data.show('2026-11-25', 1, 'Europe/London');
    data.show('2026-11-25', 1, 'America/New_York');
    data.show('2026-11-25', 7, 'America/New_York');
    await vi.waitFor(() => expect(queryClient.isFetching()).toBe(0));
    expect(new Set(listed('list_bookings')).size).toBe(4);
  });
});
