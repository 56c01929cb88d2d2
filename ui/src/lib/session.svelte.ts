// Who is signed in at this window, what they may do, and the idle lock. The core
// decides (sessions, permissions, expiry); this only mirrors it for the screens and
// locks the screen after the practice's idle minutes so nothing personal stays shown.
import type { Permission } from './bindings/Permission';
import type { SessionInfo } from './bindings/SessionInfo';
import type { SignedInAs } from './bindings/SignedInAs';
import { adoptPracticeNow } from './clock';
import { mark } from './marks';
import { notices } from './notices.svelte';
import { access, HearthError, onSessionLost, onUnpaired, refreshEverything, startEvents, UNPAIRED } from './api/client';
import { wordsOf } from './api/errors';

/** What counts as someone using the screen. */
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export class Session {
  /** Undefined while loading. */
  info = $state<SessionInfo | undefined>(undefined);
  loadError = $state<string | null>(null);
  /**
   * The practice computer does not let this computer in (never paired, or a manager
   * withdrew it): why, in its words. The pairing screen shows instead of everything.
   */
  unpaired = $state<string | null>(null);
  /** The screen is locked: the app stays as it was underneath, hidden and inert. */
  locked = $state(false);
  /** Who was signed in when it locked (shown on the lock panel). */
  lockedFor = $state<SignedInAs | null>(null);

  me: SignedInAs | null = $derived(this.info?.signed_in ?? null);
  idleMinutes: number = $derived(this.info?.practice?.idle_lock_minutes ?? 10);

  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastActivity = Date.now();
  #listening = false;

  can(p: Permission): boolean {
    return this.me?.permissions.includes(p) ?? false;
  }

  /** Settings opens for whoever may change the practice or its staff. */
  get canOpenSettings(): boolean {
    return this.can('manage_settings') || this.can('manage_staff');
  }

  async load(): Promise<void> {
    if (!this.#unpairedWatch) {
      this.#unpairedWatch = true;
      onUnpaired((e) => {
        this.unpaired = e.message;
      });
    }
    try {
      this.#apply(await access('session', {}));
      mark('session');
      this.loadError = null;
      this.unpaired = null;
    } catch (e) {
      if (e instanceof HearthError && e.code === UNPAIRED) {
        this.unpaired = e.message;
        this.loadError = null;
        return;
      }
      this.loadError = wordsOf(e);
    }
  }

  #unpairedWatch = false;

  /** Adopt the core's answer after any access step. */
  #apply(info: SessionInfo): void {
    if (info.practice) adoptPracticeNow(info.practice.day.now_ms);
    this.info = info;
    if (info.signed_in) {
      // Back from the lock: what failed while nobody was signed in ("Sign in to carry on")
      // is not news; everything is read again.
      if (this.locked) {
        notices.clearErrors();
        refreshEverything();
      }
      this.locked = false;
      this.lockedFor = null;
      startEvents();
      this.#watch();
    }
  }

  async run(step: Parameters<typeof access>[0], req: unknown): Promise<void> {
    this.#apply(await access(step, req as never));
  }

  async signIn(login: string, password: string): Promise<void> {
    mark('sign-in');
    this.#apply(await access('sign_in', { login, password }));
    mark('signed-in');
  }

  async signOut(): Promise<void> {
    notices.clear();
    this.#apply(await access('sign_out', {}));
    this.locked = false;
    this.lockedFor = null;
  }

  /** Lock now (the Lock button, Ctrl+L, the idle timer, or the core saying the session ended). */
  lock(): void {
    if (this.locked) return;
    notices.clear();
    this.lockedFor = this.me ?? this.lockedFor;
    this.locked = true;
    // The session is ended at the core too, so a locked screen holds no key.
    void access('sign_out', {}).then(
      (info) => {
        if (this.locked && this.info) this.info = { ...info, signed_in: null };
      },
      () => {},
    );
  }

  /** Start the idle timer and listen for the person using the screen. */
  #watch(): void {
    if (typeof window === 'undefined') return;
    if (!this.#listening) {
      this.#listening = true;
      const touch = () => {
        this.#lastActivity = Date.now();
      };
      for (const ev of ACTIVITY_EVENTS) window.addEventListener(ev, touch, { capture: true, passive: true });
      onSessionLost(() => {
        if (this.me || this.lockedFor) this.lock();
      });
    }
    this.#lastActivity = Date.now();
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    const limit = this.idleMinutes * 60_000;
    const wait = Math.max(1000, this.#lastActivity + limit - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.me || this.locked) return;
      if (Date.now() - this.#lastActivity >= limit) this.lock();
      else this.#schedule();
    }, wait);
  }
}
