// Messages for the person at the desk: a refused action (red, with the core's words),
// or a quiet confirmation. Refusals stay until dismissed; confirmations fade.
import { asHearthError } from './api/errors';

export interface NoticeAction {
  label: string;
  run: () => void | Promise<void>;
  danger?: boolean;
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
  actions: NoticeAction[];
  /** Notices about one thing (the connection) share a key: a new one replaces the old. */
  key?: string;
}

let next = 1;
/** How many notices show at once. */
const MAX_SHOWN = 3;

class Notices {
  list = $state<Notice[]>([]);
  /** How many screens show the notices in a place of their own (the calendar's side
   *  panel): while any does, the corner stack stays empty, so nothing covers the grid. */
  panelHosts = $state(0);
  /** How many modal layers are open: the panel is under them, so the corner shows. */
  overlays = $state(0);
  /** Whether the notices show in a screen's panel (else in the corner). */
  get inPanel(): boolean {
    return this.panelHosts > 0 && this.overlays === 0;
  }

  show(kind: Notice['kind'], message: string, actions: NoticeAction[] = [], key?: string): number {
    const id = next++;
    // One refusal at a time reads better than a pile: a new one replaces older ones; so does
    // a new notice about the same thing.
    this.list = this.list.filter((n) => !(kind === 'error' && n.kind === 'error') && (key === undefined || n.key !== key));
    this.list = [...this.list, { id, kind, message, actions, key }];
    // Never a pile over the screen: at most three, the oldest plain confirmations going first.
    while (this.list.length > MAX_SHOWN) {
      const oldest = this.list.find((n) => n.kind === 'info' && n.actions.length === 0 && n.id !== id)
        ?? this.list.find((n) => n.kind === 'info' && n.id !== id);
      if (!oldest) break;
      this.dismiss(oldest.id);
    }
    // A notice with something to do (Undo) stays long enough to do it.
    if (kind === 'info') setTimeout(() => this.dismiss(id), actions.length > 0 ? 12_000 : 4000);
    return id;
  }

  error(message: string, actions: NoticeAction[] = []): number {
    return this.show('error', message, actions);
  }

  info(message: string, actions: NoticeAction[] = [], key?: string): number {
    return this.show('info', message, actions, key);
  }

  dismiss(id: number): void {
    this.list = this.list.filter((n) => n.id !== id);
  }

  /** Everything gone: a sign-out or lock leaves no name on the screen for the next person. */
  clear(): void {
    this.list = [];
  }

  clearErrors(): void {
    this.list = this.list.filter((n) => n.kind !== 'error');
  }
}

export const notices = new Notices();

/**
 * A status change the core refused, as a notice. A refusal the desk may set aside on its
 * word (the core marks it `confirmable`: a room not ready) offers "Check in anyway", which
 * runs `anyway` — the same change, said so.
 */
export function statusRefused(e: unknown, anyway: () => void): void {
  const err = asHearthError(e);
  const ask = err.details.confirmable === true ? [{ label: 'Check in anyway', run: anyway }] : [];
  notices.error(err.message, ask);
}
