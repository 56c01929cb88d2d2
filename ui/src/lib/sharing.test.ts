import { describe, expect, it } from 'vitest';
import { codeGroups, countdown, lastSeenWords, pairingDigits, shareProblemWords } from './sharing';
import { setPracticeFormat } from './time';

describe('sharing words', () => {
  it('reads a code in two groups and counts down to its change', () => {
    expect(codeGroups('482913')).toBe('482 913');
    expect(countdown(1_000_000 + 187_000, 1_000_000)).toBe('3:07');
    expect(countdown(1_000, 5_000)).toBe('0:00');
  });

  it('tells the desk the other computers cannot connect, and who can fix it', () => {
    const problem = 'port 8443 is already in use on this computer; choose another port or close what uses it';
    expect(shareProblemWords(problem, true)).toBe(
      `The practice's other computers can't connect to this one: Hearth could not share the practice (${problem}).`,
    );
    expect(shareProblemWords(problem, false)).toMatch(/Ask a manager to look at Settings → Sharing\.$/);
  });

  it('takes a pairing code as people type it, and nothing else', () => {
    expect(pairingDigits('482 913')).toBe('482913');
    expect(pairingDigits(' 482-913 ')).toBe('482913');
    expect(pairingDigits('48291')).toBeNull();
    expect(pairingDigits('4829134')).toBeNull();
    expect(pairingDigits('48a913')).toBeNull();
  });

  it('says when a computer was last seen in the practice’s words', () => {
    setPracticeFormat({ time_format: '24h', date_order: 'dmy' });
    const now = Date.UTC(2026, 10, 24, 15, 0);
    expect(lastSeenWords(now - 30_000, now, 'UTC')).toBe('Just now');
    expect(lastSeenWords(now - 5 * 60_000, now, 'UTC')).toBe('5 min ago');
    expect(lastSeenWords(Date.UTC(2026, 10, 24, 9, 12), now, 'UTC')).toBe('Today 09:12');
    expect(lastSeenWords(Date.UTC(2026, 10, 20, 17, 5), now, 'UTC')).toBe('20/11/2026 17:05');
  });
});
