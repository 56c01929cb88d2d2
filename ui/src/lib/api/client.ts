// The one way screens talk to the core: `call(name, req)` and change events.
// Two transports: Tauri IPC on the desktop, HTTP + Server-Sent Events in a browser.
import type { AccessStep, AccessSteps, CommandName, Commands } from '../bindings/commands';
import type { ChangeBatch } from '../bindings/ChangeBatch';
import type { ErrorBody } from '../bindings/ErrorBody';
import { CHANGE_EVENT_NAME, TICK_EVENT_NAME } from '../bindings/events';
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';

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
/** The computer at an address is not the practice computer this one paired with. */
export const WRONG_CERTIFICATE = 'workstation.certificate';

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

/** Codes that mean "this window has no live session any more". */
export const SESSION_LOST = new Set(['auth.required', 'auth.expired']);

/** The code for a computer the practice computer does not (or no longer) let in. */
export const UNPAIRED = 'workstation.unpaired';

type UnpairedListener = (e: HearthError) => void;
const unpairedListeners = new Set<UnpairedListener>();

/** Called when the practice computer refuses this computer: never paired, or a manager withdrew it. */
export function onUnpaired(listener: UnpairedListener): () => void {
  unpairedListeners.add(listener);
  return () => unpairedListeners.delete(listener);
}

function noticeRefusal(e: unknown): void {
  if (!(e instanceof HearthError)) return;
  if (SESSION_LOST.has(e.code)) for (const l of sessionLostListeners) l(e);
  if (e.code === UNPAIRED) for (const l of unpairedListeners) l(e);
}

type SessionLostListener = (e: HearthError) => void;
const sessionLostListeners = new Set<SessionLostListener>();

/** Called when a command is refused because the session ended (idle, signed out elsewhere, archived). */
export function onSessionLost(listener: SessionLostListener): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

type WriteListener = (name: CommandName, answer: unknown) => void;
const writeListeners = new Set<WriteListener>();

/** Called after every command this window ran successfully, with its answer (the query layer
 *  puts a write's answer into the cache and refetches what else it changed). */
export function onWrite(listener: WriteListener): () => void {
  writeListeners.add(listener);
  return () => writeListeners.delete(listener);
}

export interface CallOptions {
  /** A refetch the screen makes by itself (after a change event): not the person using Hearth. */
  background?: boolean;
}

export function isDesktop(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

async function postHttp(path: string, req: unknown, background = false): Promise<unknown> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-hearth-origin': ORIGIN,
  };
  if (background) headers['x-hearth-background'] = '1';
  let response: Response;
  try {
    // The session is an HttpOnly cookie: this script never sees it.
    response = await fetch(path, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: JSON.stringify(req ?? {}),
    });
  } catch {
    throw new HearthError({
      code: NETWORK_ERROR,
      message: 'The practice computer can\'t be reached, so nothing was changed. Check that it is on with Hearth open, and that this computer is on the practice network.',
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
      message: 'The practice computer could not answer just now. Wait a moment and try again; if it keeps happening, restart Hearth there.',
      details: {},
    });
  }
  return body;
}

async function invokeTauri(command: string, args: Record<string, unknown>): Promise<unknown> {
  try {
    return await invoke(command, args);
  } catch (e) {
    throw toHearthError(e);
  }
}

/**
 * Tell the person at this computer that urgent handoffs are waiting, outside the page:
 * the desktop shell's system notification, or the browser's Notification API when the
 * person allowed it. The words carry no names.
 */
export async function notifyUrgent(count: number, text: string): Promise<void> {
  if (isDesktop()) {
    await invokeTauri('hearth_notify_urgent', { count }).catch(() => {});
  } else if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    new Notification('Hearth', { body: text });
  }
}

/** Ask once, on a click, whether the browser may show Hearth's notifications. */
export function askToNotify(): void {
  if (!isDesktop() && typeof Notification !== 'undefined' && Notification.permission === 'default') {
    void Notification.requestPermission().catch(() => {});
  }
}

/** Run one core command for this window's session. Throws `HearthError` with the core's code and message. */
export async function call<K extends CommandName>(
  name: K,
  req: Commands[K]['req'],
  options: CallOptions = {},
): Promise<Commands[K]['res']> {
  const background = options.background ?? false;
  try {
    const res = isDesktop()
      ? invokeTauri('hearth_command', { name, args: JSON.stringify(req ?? {}), origin: ORIGIN, background })
      : postHttp(`/api/commands/${encodeURIComponent(name)}`, req, background);
    const out = (await res) as Commands[K]['res'];
    for (const l of writeListeners) l(name, out);
    return out;
  } catch (e) {
    noticeRefusal(e);
    throw e;
  }
}

/**
 * One step around the session: read it, sign in or out, set up a practice, open the
 * demo, or choose the first manager password. Answers with the session as it now is.
 * The token stays with the transport (an HttpOnly cookie, or the desktop shell).
 */
export async function access<S extends AccessStep>(
  step: S,
  req: AccessSteps[S]['req'],
): Promise<AccessSteps[S]['res']> {
  const res = isDesktop()
    ? invokeTauri('hearth_access', { step, args: JSON.stringify(req ?? {}), origin: ORIGIN })
    : postHttp(`/api/access/${encodeURIComponent(step)}`, req);
  try {
    return (await res) as AccessSteps[S]['res'];
  } catch (e) {
    if (e instanceof HearthError && e.code === UNPAIRED) noticeRefusal(e);
    throw e;
  }
}

// ---------------------------------------------------------------- computers

/** This computer's side of sharing (the desktop app on the practice computer). */
export interface ShareInfo {
  listening: boolean;
  port: number;
  /** What to type on the other computers, "https://192.168.1.20:8443". */
  addresses: string[];
  /** Why it is not serving although it should (a port in use). */
  problem: string | null;
}

/** Which practice this window works on. */
export interface DesktopMode {
  /** Connected to the practice computer at this address (`null`: this computer holds the practice). */
  connected_to: string | null;
  fingerprint: string | null;
  workstation: string | null;
  sharing: ShareInfo;
}

/** The desktop shell's mode; `null` in a browser. */
export async function desktopMode(): Promise<DesktopMode | null> {
  if (!isDesktop()) return null;
  return (await invokeTauri('hearth_mode', {})) as DesktopMode;
}

/** Pair this desktop with the practice computer at `address` and work on it from now on. */
export async function connectToPractice(address: string, code: string, name: string): Promise<DesktopMode> {
  return (await invokeTauri('hearth_connect', { address, code, name })) as DesktopMode;
}

/**
 * The practice computer has a new address (the network gave it another): find it there.
 * Refused unless it is the same computer (the certificate pinned at pairing) and still
 * knows this one; windows stay signed in and catch up.
 */
export async function moveToPractice(address: string): Promise<DesktopMode> {
  return (await invokeTauri('hearth_move_practice', { address })) as DesktopMode;
}

/** Stop working on the practice computer: this computer's own practice file again. */
export async function disconnectFromPractice(): Promise<DesktopMode> {
  return (await invokeTauri('hearth_disconnect', {})) as DesktopMode;
}

/** Share this practice with the practice network, or stop (the practice computer's desktop app). */
export async function shareThisPractice(enable: boolean, port: number | null): Promise<ShareInfo> {
  return (await invokeTauri('hearth_share', { enable, port })) as ShareInfo;
}

/** Pair this browser with the practice computer (the credential becomes an HttpOnly cookie). */
export async function pairBrowser(code: string, name: string): Promise<void> {
  await postHttp('/api/pair', { code, name });
}

// ---------------------------------------------------------------- change events

export type ChangeListener = (batch: ChangeBatch) => void;
export interface ConnectionState {
  connected: boolean;
  /** When the connection was lost (epoch ms), or null while connected. */
  lostAt: number | null;
  /** It came back after being lost, and the screens have caught up. */
  back?: boolean;
}
export type ConnectionListener = (state: ConnectionState) => void;

const changeListeners = new Set<ChangeListener>();
const connectionListeners = new Set<ConnectionListener>();
let connection: ConnectionState = { connected: true, lostAt: null };
let started = false;
let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
/** The last change id this window heard: a stream it opens again resumes after it. */
let lastEventId: string | null = null;

function emitChanges(batch: ChangeBatch): void {
  for (const l of changeListeners) l(batch);
}

function setConnection(next: ConnectionState): void {
  if (next.connected === connection.connected) return;
  next.back = next.connected && !connection.connected;
  connection = next;
  for (const l of connectionListeners) l(connection);
}

/** A batch that tells every screen to refetch everything (after a reconnect). */
export const EVERYTHING: ChangeBatch = { id: 0, origin: null, changes: [{ topic: '*', ids: [] }] };

/** Tell every screen to refetch everything (after an unlock: events that arrived while locked were refused). */
export function refreshEverything(): void {
  emitChanges(EVERYTHING);
}

/** When the stream last said anything (the practice computer sends a tick every second). */
let lastHeard = Date.now();
/** Silence this long means the line is dead, even if nothing closed it (a pulled cable). */
const SILENCE_MS = 2000;

function watchSilence(): void {
  setInterval(() => {
    if (source === null || !connection.connected) return;
    if (Date.now() - lastHeard > SILENCE_MS) {
      setConnection({ connected: false, lostAt: Date.now() });
      openEventSource();
    }
  }, 500);
}

function openEventSource(): void {
  lastHeard = Date.now();
  if (retryTimer !== null) {
    clearTimeout(retryTimer);
    retryTimer = null;
  }
  source?.close();
  // The browser resends Last-Event-ID when it reconnects by itself; a stream
  // opened anew says where it left off, and the server replays what it missed.
  const after = lastEventId === null ? '' : `?after=${encodeURIComponent(lastEventId)}`;
  const es = new EventSource(`/api/events${after}`);
  source = es;
  es.addEventListener('open', () => {
    lastHeard = Date.now();
  });
  es.addEventListener('hello', (ev) => {
    lastHeard = Date.now();
    setConnection({ connected: true, lostAt: null });
    const id = (ev as MessageEvent<string>).lastEventId;
    if (lastEventId === null && id) lastEventId = id;
  });
  es.addEventListener(CHANGE_EVENT_NAME, (ev) => {
    lastHeard = Date.now();
    const message = ev as MessageEvent<string>;
    if (message.lastEventId) lastEventId = message.lastEventId;
    try {
      emitChanges(JSON.parse(message.data) as ChangeBatch);
    } catch {
      emitChanges(EVERYTHING);
    }
  });
  es.addEventListener(TICK_EVENT_NAME, () => {
    lastHeard = Date.now();
  });
  es.addEventListener('error', () => {
    if (connection.connected) setConnection({ connected: false, lostAt: Date.now() });
    // The browser retries by itself unless the stream was refused; then we retry.
    if (es.readyState === EventSource.CLOSED && retryTimer === null) {
      retryTimer = setTimeout(openEventSource, 1500);
    }
  });
}

/** What the desktop shell says about the practice computer (a connected computer only). */
interface ShellConnection {
  connected: boolean;
  lost_at_ms: number | null;
  back: boolean;
  ended: string | null;
}

async function startTauriEvents(): Promise<void> {
  await listen<ChangeBatch>(CHANGE_EVENT_NAME, (e) => emitChanges(e.payload));
  await listen<ShellConnection>('hearth-connection', (e) => {
    const s = e.payload;
    if (s.ended === UNPAIRED) {
      noticeRefusal(new HearthError({ code: UNPAIRED, message: 'A manager withdrew this computer\'s access to the practice.', details: {} }));
      return;
    }
    setConnection({ connected: s.connected, lostAt: s.connected ? null : (s.lost_at_ms ?? Date.now()) });
  });
}

/** Start receiving change events: once signed in (the stream needs a session). */
export function startEvents(): void {
  if (started) return;
  started = true;
  if (isDesktop()) {
    void startTauriEvents();
  } else if (typeof EventSource !== 'undefined') {
    openEventSource();
    watchSilence();
    // A laptop waking up or a network coming back: reopen promptly.
    window.addEventListener('online', () => {
      if (!connection.connected) openEventSource();
    });
  }
}

/** Listen to change batches from the core. Returns an unsubscribe function. */
export function onChanges(listener: ChangeListener): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

/** Listen to the live connection's state (a browser, or a desktop connected to the practice computer). */
export function onConnection(listener: ConnectionListener): () => void {
  connectionListeners.add(listener);
  listener(connection);
  return () => connectionListeners.delete(listener);
}
