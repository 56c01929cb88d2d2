import { describe, expect, it } from 'vitest';
import { backupTime, megabytes, recoveryGroups } from './backups';

describe('backup words', () => {
  it('says sizes in MB, and GB from a thousand MB', () => {
    expect(megabytes(420_000)).toBe('0.4 MB');
    expect(megabytes(12_345_678)).toBe('12.3 MB');
    expect(megabytes(1_234_000_000)).toBe('1.2 GB');
  });
  it('shows the recovery key in its groups of four', () => {
    const key = Array.from({ length: 14 }, (_, i) => `AB${String(i).padStart(2, '0')}`).join('-');
    expect(recoveryGroups(key)).toHaveLength(14);
    expect(recoveryGroups(key)[3]).toBe('AB03');
  });
  it('writes a backup time in the practice zone', () => {
    // 2026-12-07 09:05 UTC is 10:05 in Madrid.
    expect(backupTime(Date.UTC(2026, 11, 7, 9, 5), 'Europe/Madrid')).toContain('10:05');
  });
});
