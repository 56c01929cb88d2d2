import { describe, expect, it } from 'vitest';
import { callAgainChoices, consentWords, contactWords, dueWords, searchFrom } from './recall';

describe('recall in words', () => {
  it('says how due someone is', () => {
    expect(dueWords({ days_overdue: 40, due_on: '2026-10-14' })).toBe('Overdue 40 days (due Wed 14 Oct)');
    expect(dueWords({ days_overdue: 1, due_on: '2026-11-23' })).toBe('Overdue 1 day (due Mon 23 Nov)');
    expect(dueWords({ days_overdue: 0, due_on: '2026-11-24' })).toBe('Due today');
    expect(dueWords({ days_overdue: -17, due_on: '2026-12-10' })).toBe('Due in 17 days (Thu 10 Dec)');
  });
  it('says how they may be reached', () => {
    expect(consentWords({ phone: true, sms: false })).toBe('Calls ✓ · Texts ✕ · E-mail not asked');
  });
  it("says what the desk's last call came to", () => {
    const c = {
      id: 1, person_id: 2, type_id: null, outcome: 'reached' as const, note: 'Busy until January',
      call_again_on: '2027-01-04', at_ms: 0, by_name: 'Maria Santos',
    };
    expect(contactWords(c, '2026-11-24')).toBe('Spoke to them — Maria Santos, Tue 24 Nov: “Busy until January” · call again Mon 4 Jan');
  });
  it('searches from the due day, never before today', () => {
    expect(searchFrom({ due_on: '2026-12-10' }, '2026-11-24')).toBe('2026-12-10');
    expect(searchFrom({ due_on: '2026-10-14' }, '2026-11-24')).toBe('2026-11-24');
    expect(callAgainChoices('2026-11-24')[0]).toEqual({ label: 'In a week', date: '2026-12-01' });
  });
});
