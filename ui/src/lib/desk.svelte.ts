// What every screen needs about the practice: its settings, staff, chairs/rooms/providers,
// appointment and room types, and who is at the desk. Loaded from the core, refreshed from
// change events.
import type { AppointmentType } from './bindings/AppointmentType';
import type { Practice } from './bindings/Practice';
import type { Resource } from './bindings/Resource';
import type { RoomType } from './bindings/RoomType';
import type { Staff } from './bindings/Staff';
import { Topics } from './bindings/events';
import { call, onChanges, setActor, touches } from './api/client';
import { vocabulary, type Vocabulary } from './vocabulary';

const ACTOR_KEY = 'hearth.actor';

/** The staff member to act as by default: the first front-desk member, else the first manager. */
export function defaultActor(staff: readonly Staff[], remembered: number | null): number | null {
  if (remembered !== null && staff.some((s) => s.id === remembered && !s.archived)) return remembered;
  const live = staff.filter((s) => !s.archived);
  const desk = live.find((s) => s.role === 'front_desk') ?? live.find((s) => s.role === 'manager');
  return desk?.id ?? live[0]?.id ?? null;
}

function rememberedActor(): number | null {
  try {
    const raw = localStorage.getItem(ACTOR_KEY);
    return raw === null ? null : Number(raw);
  } catch {
    return null;
  }
}

export class Desk {
  /** Undefined while loading; null on first run. */
  practice = $state<Practice | null | undefined>(undefined);
  staff = $state<Staff[]>([]);
  resources = $state<Resource[]>([]);
  types = $state<AppointmentType[]>([]);
  roomTypes = $state<RoomType[]>([]);
  actorId = $state<number | null>(null);
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
  actor: Staff | undefined = $derived(this.staff.find((s) => s.id === this.actorId));

  #unsubscribe: (() => void) | null = null;

  async load(): Promise<void> {
    try {
      const { practice } = await call('get_practice', {});
      if (practice === null) {
        this.practice = null;
        return;
      }
      const [staff, resources, types, roomTypes] = await Promise.all([
        call('list_staff', { include_archived: false }),
        call('list_resources', { include_archived: false }),
        call('list_appointment_types', { include_archived: false }),
        call('list_room_types', {}),
      ]);
      this.staff = staff;
      this.resources = resources;
      this.types = types;
      this.roomTypes = roomTypes;
      this.practice = practice;
      this.chooseActor(defaultActor(staff, this.actorId ?? rememberedActor()), false);
      this.loadError = null;
    } catch (e) {
      this.loadError = e instanceof Error ? e.message : String(e);
    }
  }

  /** Start loading and keep up to date with change events. */
  start(): void {
    void this.load();
    this.#unsubscribe ??= onChanges((batch) => {
      if (
        touches(batch, Topics.PRACTICE_CHANGED, Topics.RESOURCES_CHANGED, Topics.STAFF_CHANGED)
      ) {
        void this.load();
      }
    });
  }

  chooseActor(id: number | null, remember = true): void {
    this.actorId = id;
    setActor(id);
    if (remember && id !== null) {
      try {
        localStorage.setItem(ACTOR_KEY, String(id));
      } catch {
        /* private mode: not remembered */
      }
    }
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
