// What every screen needs about the practice: its settings, staff, chairs/rooms/providers,
// appointment and room types, and who is signed in (from the session). Loaded from the
// core once signed in, refreshed from change events.
import { setPracticeFormat } from './time';
import type { AppointmentType } from './bindings/AppointmentType';
import type { Practice } from './bindings/Practice';
import type { Resource } from './bindings/Resource';
import type { RoomType } from './bindings/RoomType';
import type { Staff } from './bindings/Staff';
import { call } from './api/client';
import { keepFresh } from './api/cache';
import { mark } from './marks';
import type { Session } from './session.svelte';
import { vocabulary, type Vocabulary } from './vocabulary';
import { wordsOf } from './api/errors';

export class Desk {
  /** Undefined while loading; null on first run. */
  practice = $state<Practice | null | undefined>(undefined);
  staff = $state<Staff[]>([]);
  resources = $state<Resource[]>([]);
  types = $state<AppointmentType[]>([]);
  roomTypes = $state<RoomType[]>([]);
  loadError = $state<string | null>(null);

  words: Vocabulary = $derived(vocabulary(this.practice?.kind ?? 'dental'));
  timeZone: string = $derived(this.practice?.time_zone ?? 'UTC');
  isHotel: boolean = $derived(this.practice?.kind === 'hotel');
  chairs: Resource[] = $derived(
    this.resources.filter((r) => r.kind === 'chair' && !r.archived).sort((a, b) => a.sort_order - b.sort_order),
  );
  rooms: Resource[] = $derived(
    this.resources.filter((r) => r.kind === 'room' && !r.archived).sort((a, b) => a.sort_order - b.sort_order),
  );
  providers: Resource[] = $derived(
    this.resources.filter((r) => r.kind === 'provider' && !r.archived).sort((a, b) => a.sort_order - b.sort_order),
  );
  liveTypes: AppointmentType[] = $derived(this.types.filter((t) => !t.archived));
  readonly session: Session;

  constructor(session: Session) {
    this.session = session;
  }

  /** The signed-in staff member. */
  get actorId(): number | null {
    return this.session.me?.staff.id ?? null;
  }
  get actor(): Staff | undefined {
    return this.session.me?.staff;
  }

  #unsubscribe: (() => void) | null = null;

  async load(background = false): Promise<void> {
    const opts = { background };
    try {
      // All at once: each is a round trip to the core (or the practice computer).
      const [{ practice }, staff, resources, types, roomTypes] = await Promise.all([
        call('get_practice', {}, opts),
        call('list_staff', { include_archived: false }, opts),
        call('list_resources', { include_archived: false }, opts),
        call('list_appointment_types', { include_archived: false }, opts),
        call('list_room_types', {}, opts),
      ]);
      if (practice === null) {
        this.practice = null;
        return;
      }
      this.staff = staff;
      this.resources = resources;
      this.types = types;
      this.roomTypes = roomTypes;
      // Times and dates are written the practice's way everywhere from here on.
      setPracticeFormat(practice);
      this.practice = practice;
      this.loadError = null;
      mark('desk');
    } catch (e) {
      this.loadError = wordsOf(e);
    }
  }

  /** Start loading and keep up to date with change events. */
  start(): void {
    void this.load();
    this.#unsubscribe ??= keepFresh(
      ['get_practice', 'list_staff', 'list_resources', 'list_appointment_types', 'list_room_types'],
      (background) => void this.load(background),
    );
    // A role changed or someone archived: what this window may do may have changed.
    keepFresh(['list_staff'], () => void this.session.load());
  }

  resourceName(id: number): string {
    return this.resources.find((r) => r.id === id)?.name ?? `#${id}`;
  }

  /** The chair or room of a booking (its first non-provider resource). */
  placeOf(resourceIds: readonly number[]): Resource | undefined {
    return this.resources.find((r) => resourceIds.includes(r.id) && r.kind !== 'provider');
  }

  providerOf(resourceIds: readonly number[]): Resource | undefined {
    return this.resources.find((r) => resourceIds.includes(r.id) && r.kind === 'provider');
  }
}
