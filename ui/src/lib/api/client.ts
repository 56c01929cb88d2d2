// The one way screens talk to the core: `call(name, req)` and change events.
// Two transports: Tauri IPC on the desktop, HTTP + Server-Sent Events in a browser.
import type { CommandName, Commands } from '../bindings/commands';
import type { ChangeBatch } from '../bindings/ChangeBatch';
import type { ErrorBody } from '../bindings/ErrorBody';
import { CHANGE_EVENT_NAME } from '../bindings/events';

/** An error from the core (or the transport), with its stable code and a message for people. */
export class HearthError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'HearthError';
    this.code = body.code;
    this.details = body.details ?? {};
  }
}

/** Codes the transport itself produces (not the core). */
export const NETWORK_ERROR = 'network.unreachable';

function isErrorBody(x: unknown): x is ErrorBody {
  return typeof x === 'object' && x !== null && typeof (x as ErrorBody).code === 'string' &&
    typeof (x as ErrorBody).message === 'string';
}

function toHearthError(x: unknown): HearthError {
  if (x instanceof HearthError) return x;
  if (isErrorBody(x)) return new HearthError(x);
  const message = x instanceof Error ? x.message : String(x);
  return new HearthError({ code: 'internal', message, details: {} });
}

/** This window's or tab's id, sent with every command so its own change echoes can be told apart. */
export const ORIGIN: string =
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `tab-${Math.random().toString(36).slice(2)}-${Date.now()}`;

let actorId: number | null = null;

/** Who is at the desk: their staff id is sent as the actor of every command. */
export function setActor(staffId: number | null): void {
  actorId = staffId;
}

export function isDesktop(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

async function callHttp(name: string, req: unknown): Promise<unknown> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-hearth-origin': ORIGIN,
  };
  if (actorId !== null) headers['x-hearth-actor'] = String(actorId);
  let response: Response;
  try {
    response = await fetch(`/api/commands/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(req ?? {}),
    });
  } catch {
    throw new HearthError({
      code: NETWORK_ERROR,
      message: 'Could not reach the practice computer. Check the network and try again.',
      details: {},
    });
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!response.ok) {
    if (isErrorBody(body)) throw new HearthError(body);
    throw new HearthError({
      code: 'internal',
      message: `The practice computer answered ${response.status} ${response.statusText}.`,
      details: {},
    });
  }
  return body;
}

async function callTauri(name: string, req: unknown): Promise<unknown> {
  const { invoke } = await import('@tauri-apps/api/core');
  try {
    return await invoke('hearth_command', {
      name,
      args: JSON.stringify(req ?? {}),
      actor: { staff_id: actorId, origin: ORIGIN },
    });
  } catch (e) {
    throw toHearthError(e);
  }
}

/** Run one core command. Throws `HearthError` with the core's code and message. */
export async function call<K extends CommandName>(
  name: K,
  req: Commands[K]['req'],
): Promise<Commands[K]['res']> {
  const res = isDesktop() ? callTauri(name, req) : callHttp(name, req);
  return (await res) as Commands[K]['res'];
}

// ---------------------------------------------------------------- change events

export type ChangeListener = (batch: ChangeBatch) => void;
export interface ConnectionState {
  connected: boolean;
  /** When the connection was lost (epoch ms), or null while connected. */
  lostAt: number | null;
}
export type ConnectionListener = (state: ConnectionState) => void;

const changeListeners = new Set<ChangeListener>();
const connectionListeners = new Set<ConnectionListener>();
let connection: ConnectionState = { connected: true, lostAt: null };
let started = false;
let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
/** True until the first successful open, so the first open is not a "reconnect". */
let everOpened = false;

function emitChanges(batch: ChangeBatch): void {
  for (const l of changeListeners) l(batch);
}

function setConnection(next: ConnectionState): void {
  if (next.connected === connection.connected) return;
  connection = next;
  for (const l of connectionListeners) l(connection);
}

/** A batch that tells every screen to refetch everything (after a reconnect). */
export const EVERYTHING: ChangeBatch = { origin: null, changes: [{ topic: '*', ids: [] }] };

function openEventSource(): void {
  if (retryTimer !== null) {
    clearTimeout(retryTimer);
    retryTimer = null;
  }
  source?.close();
  const es = new EventSource('/api/events');
  source = es;
  es.addEventListener('open', () => {
    const wasLost = !connection.connected;
    setConnection({ connected: true, lostAt: null });
    if (everOpened && wasLost) emitChanges(EVERYTHING);
    everOpened = true;
  });
  es.addEventListener(CHANGE_EVENT_NAME, (ev) => {
    try {
      emitChanges(JSON.parse((ev as MessageEvent<string>).data) as ChangeBatch);
    } catch {
      emitChanges(EVERYTHING);
    }
  });
  es.addEventListener('error', () => {
    if (connection.connected) setConnection({ connected: false, lostAt: Date.now() });
    // The browser retries by itself unless the stream was refused; then we retry.
    if (es.readyState === EventSource.CLOSED && retryTimer === null) {
      retryTimer = setTimeout(openEventSource, 1500);
    }
  });
}

async function startTauriEvents(): Promise<void> {
  const { listen } = await import('@tauri-apps/api/event');
  await listen<ChangeBatch>(CHANGE_EVENT_NAME, (e) => emitChanges(e.payload));
}

function start(): void {
  if (started) return;
  started = true;
  if (isDesktop()) {
    void startTauriEvents();
  } else if (typeof EventSource !== 'undefined') {
    openEventSource();
    // A laptop waking up or a network coming back: reopen promptly.
    window.addEventListener('online', () => {
      if (!connection.connected) openEventSource();
    });
  }
}

/** Listen to change batches from the core. Returns an unsubscribe function. */
export function onChanges(listener: ChangeListener): () => void {
  start();
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

/** Listen to the live connection's state (browser only; the desktop is always connected). */
export function onConnection(listener: ConnectionListener): () => void {
  start();
  connectionListeners.add(listener);
  listener(connection);
  return () => connectionListeners.delete(listener);
}

/** Whether a batch touches any of the topics (a reconnect touches everything). */
export function touches(batch: ChangeBatch, ...topics: string[]): boolean {
  return batch.changes.some((c) => c.topic === '*' || topics.includes(c.topic));
}
