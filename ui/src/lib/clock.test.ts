import { afterEach, describe, expect, it, vi } from 'vitest';
import { adoptPracticeNow, practiceNow } from './clock';
import { localDate } from './time';

describe("the practice's clock", () => {
  afterEach(() => vi.useRealTimers());

  it("runs on from the practice's answer, not from this computer's clock", () => {
    vi.useFakeTimers();
    // This computer thinks it is Sunday evening; the practice computer says Tuesday morning.
    vi.setSystemTime(Date.UTC(2026, 11, 6, 21, 45));
    const tuesday = Date.UTC(2026, 11, 8, 10, 30);
    adoptPracticeNow(tuesday);
    expect(practiceNow()).toBe(tuesday);
    expect(localDate(practiceNow(), 'Europe/London')).toBe('2026-12-08');
    vi.advanceTimersByTime(90_000);
    expect(practiceNow()).toBe(tuesday + 90_000);
    // A later answer replaces the earlier one.
    adoptPracticeNow(tuesday + 3_600_000);
    expect(practiceNow()).toBe(tuesday + 3_600_000);
  });
});
