// What every screen needs about the practice: its settings, staff, chairs/rooms/providers,
// appointment and room types, and who is signed in (from the session). Five reads of the
// query layer, asked for once signed in; a change to any of them refetches that one.
import { untrack } from 'svelte';
import { setPracticeFormat } from './time';
import type { AppointmentType } from './bindings/AppointmentType';
import type { Practice } from './bindings/Practice';
import type { PracticeStatus } from './bindings/PracticeStatus';
import type { Resource } from './bindings/Resource';
import type { RoomType } from './bindings/RoomType';
import type { Staff } from './bindings/Staff';
import { read, type Read } from './api/queries';
import { mark } from './marks';
import type { Session } from './session.svelte';
import { vocabulary, type Vocabulary } from './vocabulary';
import { wordsOf } from './api/errors';

/** The desk's five answers, together. */
interface Answers {
  status: PracticeStatus;
  staff: Staff[];
  resources: Resource[];
  types: AppointmentType[];
  roomTypes: RoomType[];
}

export class Desk {
  /** Undefined while loading; null on first run. */
  practice = $state<Practice | null | undefined>(undefined);
  staff = $state<Staff[]>([]);
  resources = $state<Resource[]>([]);
  types = $state<AppointmentType[]>([]);
  roomTypes = $state<RoomType[]>([]);
  #started = $state(false);
  readonly #reads: { [K in keyof Answers]: Read<Answers[K]> };
  /** Why the desk could not be read (shown while nothing is), or null. */
  loadError: string | null = $derived.by(() => {
    const e = Object.values(this.#reads).find((r) => r.error)?.error;
    return e ? wordsOf(e) : null;
  });

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

  /** Create it while a component initialises: it follows its reads with effects. */
  constructor(session: Session) {
    this.session = session;
    const on = () => this.#started;
    // All at once: each is a round trip to the core (or the practice computer).
    this.#reads = {
      status: read('get_practice', () => ({}), on),
      staff: read('list_staff', () => ({ include_archived: false }), on),
      resources: read('list_resources', () => ({ include_archived: false }), on),
      types: read('list_appointment_types', () => ({ include_archived: false }), on),
      roomTypes: read('list_room_types', () => ({}), on),
    };
    // All five here (or one of them answered again): every screen shows them.
    $effect(() => {
      const answers = this.#answers();
      if (answers) untrack(() => this.#apply(answers));
    });
    // A role changed or someone archived: what this window may do may have changed.
    let seen: Staff[] | undefined;
    $effect(() => {
      const staff = this.#reads.staff.data;
      if (staff && seen && staff !== seen) untrack(() => void this.session.load());
      seen = staff ?? seen;
    });
  }

  /** The signed-in staff member. */
  get actorId(): number | null {
    return this.session.me?.staff.id ?? null;
  }
  get actor(): Staff | undefined {
    return this.session.me?.staff;
  }

  #answers(): Answers | null {
    const r = this.#reads;
    const [status, staff, resources, types, roomTypes] = [
      r.status.data, r.staff.data, r.resources.data, r.types.data, r.roomTypes.data,
    ];
    if (!status || !staff || !resources || !types || !roomTypes) return null;
    return { status, staff, resources, types, roomTypes };
  }

  #apply({ status: { practice }, staff, resources, types, roomTypes }: Answers): void {
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
    mark('desk');
  }

  /** Ask for all five again now (Try again, a stale save); resolves once they are shown. */
  async load(): Promise<void> {
    await Promise.all(Object.values(this.#reads).map((r) => r.refetch()));
    const answers = this.#answers();
    if (answers) this.#apply(answers);
  }

  /** Start asking (once signed in); the query layer keeps them up to date. */
  start(): void {
    this.#started = true;
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
