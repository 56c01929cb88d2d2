// One way to run a write from a screen: `busy` while it runs (its buttons wait), the
// core's refusal in words — in a notice, or kept for the screen to show beside its form —
// and a confirmation once it is done. What the write changed is refetched by the query
// layer (queries.ts), not here.
import { notices } from '../notices.svelte';
import type { HearthError } from './client';
import { asHearthError } from './errors';

export interface ActOptions<T> {
  /** The confirmation to show, or how to say it from the answer. */
  done?: string | ((answer: T) => string);
  /** Which write is under way (`busy` names it), when a screen has several buttons. */
  key?: string;
  /** What a refusal does instead of the plain notice (a notice offering a way on, a stale
   *  booking read again); it runs before `busy` ends. A screen that keeps its refusal
   *  (`inline`) shows it as well, once this is done. */
  refused?: (refusal: HearthError) => unknown;
}

/** A screen's writes, one at a time. */
export class Acts {
  /** The write under way (its key, "write" if unnamed), or null. */
  busy = $state<string | null>(null);
  /** The last refusal, kept for the screen to show (only when `inline`). */
  refusal = $state<HearthError | null>(null);
  readonly #inline: boolean;

  /** `inline`: the screen shows the refusal itself (`refusal`) instead of a notice. */
  constructor({ inline = false }: { inline?: boolean } = {}) {
    this.#inline = inline;
  }

  /** Run `write`; its answer, or undefined when it was refused (and the refusal shown). */
  run = async <T>(write: () => Promise<T>, { done, key = 'write', refused }: ActOptions<T> = {}): Promise<T | undefined> => {
    this.busy = key;
    this.refusal = null;
    try {
      return confirm(await write(), done);
    } catch (e) {
      const refusal = asHearthError(e);
      if (refused) await refused(refusal);
      if (this.#inline) this.refusal = refusal;
      else if (!refused) notices.error(refusal.message);
      return undefined;
    } finally {
      this.busy = null;
    }
  };

  /** Show a failure that is not a write's (the form's own check, a read the screen needs)
   *  where this screen shows its refusals: kept, or in a notice. */
  refuse = (e: unknown): void => {
    if (this.#inline) this.refusal = asHearthError(e);
    else notices.error(asHearthError(e).message);
  };

  /** Forget the kept refusal (its form was closed or opened afresh). */
  clear = (): void => {
    this.refusal = null;
  };
}

function confirm<T>(answer: T, done: ActOptions<T>['done']): T {
  if (done !== undefined) notices.info(typeof done === 'string' ? done : done(answer));
  return answer;
}

/** Run a write that has no busy state of its own (a notice's Undo): a refusal is a notice
 *  (or what `refused` makes of it). `options`: the confirmation, or the options. */
export async function act<T>(
  write: () => Promise<T>,
  options: ActOptions<T>['done'] | Omit<ActOptions<T>, 'key'> = {},
): Promise<T | undefined> {
  return new Acts().run(write, typeof options === 'object' ? options : { done: options });
}
