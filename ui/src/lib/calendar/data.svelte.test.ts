import { beforeEach, describe, expect, it, vi } from 'vitest';

const asked: string[] = [];
vi.mock('../api/client', () => ({
  call: async (name: string, req: { from_ms: number; to_ms: number }) => {
    asked.push(`${name} ${req.from_ms}-${req.to_ms}`);
    return [];
  },
  HearthError: class extends Error {},
}));
vi.mock('../api/cache', () => ({ keepFresh: () => () => {} }));
// No page here: nothing has the focus.
vi.stubGlobal('HTMLElement', class {});
vi.stubGlobal('document', { activeElement: null, querySelector: () => null });
vi.stubGlobal('requestAnimationFrame', (f: (t: number) => void) => setTimeout(() => f(0), 0));

const { CalendarData } = await import('./data.svelte');

describe('CalendarData.show', () => {
  beforeEach(() => {
    asked.length = 0;
  });

  it('asks for the days once, however often the screen says which it shows', async () => {
    const data = new CalendarData();
    data.show('2026-11-24', 1, 'Europe/London');
    data.show('2026-11-24', 1, 'Europe/London');
    await vi.waitFor(() => expect(data.loaded).toBe('2026-11-24+1'));
    expect(asked.filter((a) => a.startsWith('list_bookings'))).toHaveLength(1);
    expect(asked.filter((a) => a.startsWith('list_blocks'))).toHaveLength(1);
  });

  it('asks again for other days, or for the same days in another zone', async () => {
    const data = new CalendarData();
    data.show('2026-11-24', 1, 'Europe/London');
    data.show('2026-11-25', 1, 'Europe/London');
    data.show('2026-11-25', 1, 'America/New_York');
    data.show('2026-11-25', 7, 'America/New_York');
    await vi.waitFor(() => expect(data.loaded).toBe('2026-11-25+7'));
    expect(new Set(asked.filter((a) => a.startsWith('list_bookings'))).size).toBe(4);
  });
});
