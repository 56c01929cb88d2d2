// Commands and types the core already has but the generated bindings
// (ui/src/lib/bindings/) do not list yet. Remove each entry as soon as the
// bindings are regenerated from Rust (`cargo test -p hearth-core`).
import type { Commands } from '../bindings/commands';
import type { PracticeKind } from '../bindings/PracticeKind';
import type { SetupDone } from '../bindings/SetupDone';

export interface PendingCommands {
  /** Fill an empty practice file with the demo practice. */
  open_demo_practice: { req: { kind: PracticeKind }; res: SetupDone; write: true };
}

type Missing = Omit<PendingCommands, keyof Commands>;
export type AllCommands = Commands & Missing;
export type AnyCommandName = keyof AllCommands;
