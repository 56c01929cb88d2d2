// Words for Settings → Backups and the manager's backup notice.
import { formatDate, formatTime, localDate } from './time';

/** A size as a manager reads it: "0.4 MB", "12.3 MB", "1.2 GB". */
export function megabytes(bytes: number): string {
  if (bytes >= 1_000_000_000) return `${(bytes / 1_000_000_000).toFixed(1)} GB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The recovery key's groups of four, to show apart: "7K2M-…" → ["7K2M", …]. */
export function recoveryGroups(key: string): string[] {
  return key.split('-').filter((g) => g.length > 0);
}

/** An instant as "Mon 7 Dec 14:30" in the practice's zone and formats. */
export function backupTime(ms: number, timeZone: string): string {
  return `${formatDate(localDate(ms, timeZone), 'short')} ${formatTime(ms, timeZone)}`;
}
