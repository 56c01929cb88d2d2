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
  run = async <T>(write: () => Promise<T>, { done, key = 'write' }: ActOptions<T> = {}): Promise<T | undefined> => {
    this.busy = key;
    this.refusal = null;
    try {
      return confirm(await write(), done);
    } catch (e) {
      if (this.#inline) this.refusal = asHearthError(e);
      else notices.error(asHearthError(e).message);
      return undefined;
    } finally {
      this.busy = null;
    }
  };
}

function confirm<T>(answer: T, done: ActOptions<T>['done']): T {
  if (done !== undefined) notices.info(typeof done === 'string' ? done : done(answer));
  return answer;
}

/** Run a write that has no busy state of its own (a notice's Undo): a refusal is a notice. */
export async function act<T>(write: () => Promise<T>, done?: ActOptions<T>['done']): Promise<T | undefined> {
  try {
    return confirm(await write(), done);
  } catch (e) {
    notices.error(asHearthError(e).message);
    return undefined;
  }
}
