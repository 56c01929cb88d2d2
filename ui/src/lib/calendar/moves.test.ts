import { describe, expect, it } from 'vitest';
import type { Booking } from '../bindings/Booking';
import { resourcesAfterDrop, selectionPrefill } from './moves';

const booking = { id: 1, resource_ids: [10, 20] } as unknown as Booking;
const item = { id: '1', start: new Date(), end: new Date(), extendedProps: {}, resourceIds: [] };

describe('drag and resize', () => {
  it('a drop onto another chair swaps that chair only, keeping the provider', () => {
    expect(resourcesAfterDrop(booking, { event: item, oldResource: { id: '10' }, newResource: { id: '11' }, revert: () => {} }))
      .toEqual([11, 20]);
    expect(resourcesAfterDrop(booking, { event: item, oldResource: { id: '10' }, newResource: { id: '10' }, revert: () => {} }))
      .toBeNull();
    expect(resourcesAfterDrop(booking, { event: item, revert: () => {} })).toBeNull();
  });
  it('a drop onto a room-type heading is refused', () => {
    expect(resourcesAfterDrop(booking, { event: item, oldResource: { id: '10' }, newResource: { id: 'rt-2' }, revert: () => {} }))
      .toBe('refuse');
  });
  it('a selection of nights always covers at least one night', () => {
    const d = (s: string) => new Date(`${s}T00:00:00`);
    expect(selectionPrefill({ start: d('2026-12-01'), end: d('2026-12-01'), resource: { id: '5' } }, true, 'Europe/London'))
      .toEqual({ arrival: '2026-12-01', departure: '2026-12-02', placeId: 5 });
    expect(selectionPrefill({ start: d('2026-12-01'), end: d('2026-12-04'), resource: { id: 'rt-1' } }, true, 'Europe/London'))
      .toEqual({ arrival: '2026-12-01', departure: '2026-12-04', placeId: undefined });
  });
});
