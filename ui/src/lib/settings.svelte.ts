// What every settings section shares: one change at a time with the core's refusal kept
// beside the row it concerns, and editable drafts of a list's rows that survive a reload
// of the list (after a save here or a change on another desk).
import { untrack } from 'svelte';
import { notices } from './notices.svelte';
import { editedIds, mergeDrafts } from './settings';
import { Acts } from './api/act.svelte';

/** The core's refusal of one change, shown next to the row (or form) it concerns. */
export interface Refused {
  message: string;
  code?: string;
}

/**
 * A section's changes: `busy` names the change under way (buttons wait), `errors` holds
 * the core's refusal per row or form key.
 */
export class SettingsActions {
  errors = $state<Record<string, Refused>>({});
  readonly #acts = new Acts({ inline: true });
  #onsaved: () => Promise<void>;

  /** `onsaved` reloads the lists after a change the core accepted. */
  constructor(onsaved: () => Promise<void>) {
    this.#onsaved = onsaved;
  }

  /** The change under way (its key), or null. */
  get busy(): string | null {
    return this.#acts.busy;
  }

  /**
   * Run one change under `key`: on success say `done` and reload; on refusal keep the
   * core's words under `key`. True when the core accepted it.
   */
  run = async (key: string, action: () => Promise<unknown>, done: string): Promise<boolean> => {
    delete this.errors[key];
    const ok = await this.#acts.run(async () => {
      await action();
      notices.info(done);
      await this.#onsaved();
      return true;
    }, {
      key,
      refused: (r) => {
        this.errors[key] = { message: r.message, code: r.code };
      },
    });
    return ok === true;
  };
}

/**
 * Editable drafts of a list's rows, keyed by id. When the list changes, rows being edited
 * keep their draft and the others take the new values (see `mergeDrafts`). Create it while
 * a component initialises: it follows the list with an effect.
 */
export class RowDrafts<T extends { id: number }, D> {
  all = $state<Record<number, D>>({});
  /** Ids of rows whose draft differs from the stored row. */
  edited: Set<number>;
  #seen: readonly T[] = [];

  constructor(items: () => readonly T[], toDraft: (item: T) => D) {
    this.edited = $derived(new Set(editedIds(this.all, items(), toDraft)));
    $effect(() => {
      const next = items();
      untrack(() => {
        this.all = mergeDrafts(this.all, this.#seen, next, toDraft);
        this.#seen = next;
      });
    });
  }
}
