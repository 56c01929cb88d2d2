import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { batchTouches, keepFresh, onBatch, onLocalWrite, topicsOf } from './cache';
import { ORIGIN } from './client';
import type { ChangeBatch } from '../bindings/ChangeBatch';

const batch = (topic: string, origin: string | null = 'another-window'): ChangeBatch => ({
  id: 7, origin, changes: [{ topic, ids: [1] }],
});

describe('the client cache', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('knows what each read depends on from the core', () => {
    const t = topicsOf(['list_bookings']);
    expect(t.has('booking.changed')).toBe(true);
    expect(t.has('appointment_type.changed')).toBe(true);
    expect(t.has('room_type.changed')).toBe(false);
    expect(batchTouches(batch('*'), topicsOf(['list_staff']))).toBe(true);
  });

  it('refetches exactly the reads a change from elsewhere touches, once per burst', () => {
    const bookings = vi.fn();
    const staff = vi.fn();
    const offA = keepFresh(['list_bookings'], bookings);
    const offB = keepFresh(['list_staff'], staff);
    onBatch(batch('booking.changed'));
    onBatch(batch('booking.changed'));
    vi.runAllTimers();
    expect(bookings).toHaveBeenCalledTimes(1);
    expect(bookings).toHaveBeenCalledWith(true);
    expect(staff).not.toHaveBeenCalled();
    offA();
    offB();
  });

  it("ignores this window's own echo, and refetches at once after its own write", () => {
    const bookings = vi.fn();
    const off = keepFresh(['list_bookings', 'list_blocks'], bookings);
    onBatch(batch('booking.changed', ORIGIN));
    vi.runAllTimers();
    expect(bookings).not.toHaveBeenCalled();
    onLocalWrite('create_booking');
    vi.runAllTimers();
    expect(bookings).toHaveBeenCalledWith(false);
    onLocalWrite('list_staff'); // a read changes nothing
    onLocalWrite('save_room_type'); // not a topic list_bookings or list_blocks depends on
    vi.runAllTimers();
    expect(bookings).toHaveBeenCalledTimes(1);
    off();
    onBatch(batch('booking.changed'));
    vi.runAllTimers();
    expect(bookings).toHaveBeenCalledTimes(1);
  });
});
