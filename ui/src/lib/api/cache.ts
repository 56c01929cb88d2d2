// The one place that decides which reads a screen must fetch again. Each screen says
// which reads it shows (`keepFresh(['list_bookings', 'list_blocks'], refetch)`); the core
// says which topics each read depends on and each write may change (COMMAND_TOPICS,
// generated). A change batch from another window refetches exactly the reads whose
// topics it touches; this window's own writes refetch at once when they succeed, and
// their echo from the event stream is ignored.
import { COMMAND_TOPICS, WRITES, type CommandName } from '../bindings/commands';
import type { ChangeBatch } from '../bindings/ChangeBatch';
import { onChanges, onWrite, ORIGIN } from './client';

interface Watcher {
  topics: ReadonlySet<string>;
  refetch: (background: boolean) => void;
  /** A refetch is already scheduled (several batches in a row refetch once). */
  pending: boolean;
  background: boolean;
}

const watchers = new Set<Watcher>();
let listening = false;

/** The topics behind a set of commands. */
export function topicsOf(commands: readonly CommandName[]): Set<string> {
  return new Set(commands.flatMap((c) => COMMAND_TOPICS[c] ?? []));
}

/** Whether a batch touches any of `topics` ("*" touches everything). */
export function batchTouches(batch: ChangeBatch, topics: ReadonlySet<string>): boolean {
  return batch.changes.some((c) => c.topic === '*' || topics.has(c.topic));
}

function schedule(w: Watcher, background: boolean): void {
  w.background = w.pending ? w.background && background : background;
  if (w.pending) return;
  w.pending = true;
  setTimeout(() => {
    w.pending = false;
    if (watchers.has(w)) w.refetch(w.background);
  }, 0);
}

/** What the cache does with a change batch from the stream. */
export function onBatch(batch: ChangeBatch): void {
  // Our own write: already refetched when it succeeded (see onWrite below).
  if (batch.origin === ORIGIN) return;
  for (const w of watchers) if (batchTouches(batch, w.topics)) schedule(w, true);
}

/** What the cache does when this window's write succeeds. */
export function onLocalWrite(name: CommandName): void {
  if (!WRITES.includes(name)) return;
  const changed = topicsOf([name]);
  for (const w of watchers) {
    if ([...changed].some((t) => w.topics.has(t))) schedule(w, false);
  }
}

function listen(): void {
  if (listening) return;
  listening = true;
  onChanges(onBatch);
  onWrite(onLocalWrite);
}

/**
 * Keep the reads a screen shows fresh: `refetch` runs (once per burst) whenever a change
 * touches what those reads depend on. `background` is true for changes made elsewhere
 * (not the person's own action). Returns the function that stops it.
 */
export function keepFresh(reads: readonly CommandName[], refetch: (background: boolean) => void): () => void {
  listen();
  const w: Watcher = { topics: topicsOf(reads), refetch, pending: false, background: true };
  watchers.add(w);
  return () => {
    watchers.delete(w);
  };
}
