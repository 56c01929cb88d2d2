import { describe, expect, it } from 'vitest';
import { boardOrder, boardRoles, cleansOf, isOverdue, relativeWords, statusMark } from './tasks';
import type { RoomState } from './bindings/RoomState';
import type { Task } from './bindings/Task';

function task(id: number, due: number, status: Task['status'] = 'open'): Task {
  return {
    id, title: `t${id}`, details: '', person_id: null, person_name: null, booking_id: null, incident_id: null,
    occasion_id: null, from_rule: false, role: 'housekeeping', staff_id: null, staff_name: null, relative: null,
    due_at_ms: due, status, overdue: false, closed_by_name: null, closed_at_ms: null, close_note: '', version: 1,
  };
}

describe('the task board', () => {
  it('puts overdue tasks first, then open by due time, then closed', () => {
    const order = boardOrder([task(1, 500), task(2, 50, 'done'), task(3, 100), task(4, 300)], 200).map((t) => t.id);
    expect(order).toEqual([3, 4, 1, 2]);
  });
  it('turns an open task overdue by the clock, never a done one', () => {
    expect(isOverdue(task(1, 100), 101)).toBe(true);
    expect(isOverdue(task(1, 100, 'done'), 101)).toBe(false);
    expect(statusMark(task(1, 100), 101)).toBe('⚠');
  });
  it('says relative due times as the desk would', () => {
    expect(relativeWords('start', -120, true)).toBe('2 h before check-in');
    expect(relativeWords('start', -1440, false)).toBe('1 day before the start');
    expect(relativeWords('end', 90, true)).toBe('1 h 30 min after check-out');
    expect(relativeWords('start', 0, true)).toBe('at check-in');
  });
});

describe('the boards a practice keeps', () => {
  it('a hotel has no practitioners’ board, a dental practice no housekeeping, each keeps its own', () => {
    expect(boardRoles(true, 'front_desk')).toEqual(['housekeeping', 'front_desk', 'manager']);
    expect(boardRoles(false, 'front_desk')).toEqual(['front_desk', 'manager', 'practitioner']);
    expect(boardRoles(false, 'housekeeping')).toEqual(['housekeeping']);
    expect(boardRoles(true, 'housekeeping')).toEqual(['housekeeping']);
  });
  it('housekeeping’s cleans: departures (leaving today, or dirty and empty) and stay-overs', () => {
    const room = (id: number, o: Partial<RoomState>): RoomState => ({
      resource_id: id, name: `Room ${id}`, room_type: null, status: 'clean', note: '', changed_at_ms: null,
      changed_by_name: null, in_house: null, departing: null, arriving: null, ...o,
    });
    const rooms = [
      room(101, { in_house: 'Ana', departing: 'Ana' }),
      room(102, { in_house: 'Ben' }),
      room(103, { status: 'dirty' }),
      room(104, {}),
      room(105, { status: 'out_of_order', in_house: null }),
    ];
    const { departures, stayovers } = cleansOf(rooms);
    expect(departures.map((r) => r.resource_id)).toEqual([101, 103]);
    expect(stayovers.map((r) => r.resource_id)).toEqual([102]);
  });
});
