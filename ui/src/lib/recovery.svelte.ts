// The recovery sheet made at setup: the manager has just chosen their password, so the sheet
// is fetched at once and waits here for Settings → Backups to show it (never stored anywhere).
import type { RecoverySheet } from './bindings/RecoverySheet';

class PendingSheet {
  sheet = $state<RecoverySheet | null>(null);
}

export const pendingSheet = new PendingSheet();
