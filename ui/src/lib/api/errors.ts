// The one place that turns a failure into what a person reads: the core's own sentence
// when it gave one (a HearthError carries it), else the transport's words.
import { HearthError } from './client';

/** The words to show for a failure. */
export function wordsOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    return (e as { message: string }).message;
  }
  return String(e);
}

/** The core's stable code of a failure, if it has one. */
export function codeOf(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** A failure as a HearthError (a transport's or a script's one gets the code `internal`). */
export function asHearthError(e: unknown): HearthError {
  return e instanceof HearthError ? e : new HearthError({ code: 'internal', message: wordsOf(e), details: {} });
}
