//! [`Hearth`]: the open practice — store, clock and event bus — and the
//! per-command context ([`Ctx`]) that carries the acting staff member. Every
//! write goes through [`Hearth::write`], which appends its audit entry in the
//! same transaction.
use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use crate::access::{Permission, StaffRole};
use crate::audit;
use crate::clock::{Clock, SystemClock};
use crate::error::{CoreError, CoreResult};
use crate::events::{topics, Change, ChangeBatch, EventBus};
use crate::ids::StaffId;
use crate::store::change_log::{self, Following};
use crate::store::keys::KeyStore;
use crate::store::Store;
use rusqlite::Transaction;

pub struct Hearth {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub events: EventBus,
    audit_on_open: audit::Verdict,
    following: OnceLock<Arc<Following>>,
    /// Refusals counted but not yet written (see `audit::refusals`).
    refusals: audit::refusals::Refusals,
    /// Looks already recorded this hour (staff, person, screen, hour), so a
    /// screen refreshing itself does not take the writer (`audit::looks`).
    looks: Mutex<HashSet<(i64, i64, &'static str, i64)>>,
}

impl Drop for Hearth {
    fn drop(&mut self) {
        if let Some(f) = self.following.get() {
            f.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// Who is acting, from which session and workstation, and from which window
/// or tab (for echo suppression). Transports never build one from what a
/// client says: `gate` resolves it from a session token.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    /// The signed-in staff member; `None` only while a practice is being set up.
    pub staff_id: Option<StaffId>,
    pub session_id: Option<i64>,
    pub workstation: Option<String>,
    pub origin: Option<String>,
}

impl Actor {
    /// The audit entry's "who, where, when, what, how it ended"; the rest empty.
    fn audit_entry<'a>(
        &'a self,
        at_ms: i64,
        action: &'a str,
        outcome: &'a str,
    ) -> audit::Entry<'a> {
        audit::Entry {
            at_ms,
            staff_id: self.staff_id.map(i64::from),
            session_id: self.session_id,
            workstation: self.workstation.as_deref(),
            action,
            command: None,
            entity: "",
            entity_id: None,
            outcome,
            entities: "[]",
            detail: "{}",
        }
    }

    /// A staff member acting with no session: the core's own tests and tools.
    pub fn staff(id: StaffId) -> Actor {
        Actor {
            staff_id: Some(id),
            ..Actor::default()
        }
    }
}

/// What a read command sees: a snapshot on a read-only connection (a write
/// through it is refused by SQLite), the time, and who is asking. It has no
/// change list and no audit detail, so no write helper accepts it.
pub struct ReadCtx<'a> {
    pub tx: &'a Transaction<'a>,
    pub now_ms: i64,
    pub actor: &'a Actor,
}

/// What a write command sees inside its transaction: everything a read sees
/// (through `Deref`), plus the list of what changed and the audit detail.
pub struct Ctx<'a> {
    read: ReadCtx<'a>,
    pub changes: Vec<Change>,
    /// What the command adds to its audit entry (the basics are automatic).
    pub detail: serde_json::Map<String, serde_json::Value>,
    /// Empty the write-ahead log once this commits (see [`Ctx::wipe_after`]).
    wipe: bool,
}

impl<'a> std::ops::Deref for Ctx<'a> {
    type Target = ReadCtx<'a>;
    fn deref(&self) -> &ReadCtx<'a> {
        &self.read
    }
}

impl<'a> Ctx<'a> {
    /// What this write removes must not outlive it anywhere in the file: once
    /// it commits, the write-ahead log (which still holds the pages as they
    /// were) is folded in and emptied. Free space is already zeroed
    /// (`secure_delete`).
    pub fn wipe_after(&mut self) {
        self.wipe = true;
    }

    pub fn changed(&mut self, topic: &str, id: impl Into<i64>) {
        let id: i64 = id.into();
        match self.changes.iter_mut().find(|c| c.topic == topic) {
            Some(c) if !c.ids.contains(&id) => c.ids.push(id),
            Some(_) => {}
            None => self.changes.push(Change {
                topic: topic.to_owned(),
                ids: vec![id],
            }),
        }
    }

    /// Adds `detail`'s fields to this command's audit entry.
    pub fn detail(&mut self, detail: serde_json::Value) {
        if let serde_json::Value::Object(m) = detail {
            self.detail.extend(m);
        }
    }
}

impl ReadCtx<'_> {
    /// The acting staff member's role; refuses unknown or archived staff.
    pub fn role(&self) -> CoreResult<StaffRole> {
        let Some(id) = self.actor.staff_id else {
            return Err(CoreError::auth_required());
        };
        let row = StaffRole::of(self.tx, id)?;
        match row {
            Some((role, false)) => Ok(role),
            Some((_, true)) => Err(CoreError::AuthRequired {
                message: "This staff member has been archived and can no longer sign in.".into(),
            }),
            None => Err(CoreError::auth_required()),
        }
    }

    /// Refuses unless the actor's role has `p` (the registry's check).
    pub fn require(&self, p: Permission) -> CoreResult<StaffRole> {
        let role = self.role()?;
        role.require(p)?;
        Ok(role)
    }
}

impl Hearth {
    pub fn open(path: impl AsRef<Path>) -> CoreResult<Hearth> {
        Self::open_with_clock(path, Arc::new(SystemClock))
    }

    /// Opens the practice at `path` with this computer's keys.
    pub fn open_with_clock(path: impl AsRef<Path>, clock: Arc<dyn Clock>) -> CoreResult<Hearth> {
        Self::open_keyed(path, clock, &KeyStore::for_this_computer())
    }

    /// Opens the practice at `path`, unlocking it with a key from `keys`.
    pub fn open_keyed(
        path: impl AsRef<Path>,
        clock: Arc<dyn Clock>,
        keys: &KeyStore,
    ) -> CoreResult<Hearth> {
        Self::over(Store::open(path, keys)?, clock)
    }

    /// Opens a plain, unencrypted file: benchmarks measuring encryption's cost only.
    pub fn open_plain_with_clock(
        path: impl AsRef<Path>,
        clock: Arc<dyn Clock>,
    ) -> CoreResult<Hearth> {
        Self::over(Store::open_plain(path)?, clock)
    }

    fn over(store: Store, clock: Arc<dyn Clock>) -> CoreResult<Hearth> {
        let anchor = store.anchor();
        let audit_on_open = store.read(|tx| audit::chain::verify_against(tx, anchor.as_ref()))?;
        Ok(Hearth {
            store,
            clock,
            events: EventBus::default(),
            audit_on_open,
            following: OnceLock::new(),
            refusals: Default::default(),
            looks: Default::default(),
        })
    }

    /// Runs a write command in one transaction: `f`, then its audit entry
    /// (who, session, workstation, the command, what changed, `done`), then
    /// the commit; publishes the changes after commit.
    pub fn write<T>(
        &self,
        actor: &Actor,
        command: &str,
        f: impl FnOnce(&mut Ctx<'_>) -> CoreResult<T>,
    ) -> CoreResult<T> {
        self.write_declared(actor, command, topics::ALL, f)
    }

    /// [`Hearth::write`] for a command that declared the topics it may change
    /// (the registry's): changing another is a bug the tests catch.
    pub fn write_declared<T>(
        &self,
        actor: &Actor,
        command: &str,
        declared: &[&str],
        f: impl FnOnce(&mut Ctx<'_>) -> CoreResult<T>,
    ) -> CoreResult<T> {
        let now_ms = self.clock.now_ms();
        let owed = self.refusals.owed(now_ms);
        let written = self.paying(owed, now_ms, |tx| {
            let mut ctx = Ctx {
                read: ReadCtx { tx, now_ms, actor },
                changes: Vec::new(),
                detail: serde_json::Map::new(),
                wipe: false,
            };
            let out = f(&mut ctx)?;
            debug_assert!(
                ctx.changes
                    .iter()
                    .all(|c| declared.contains(&c.topic.as_str())),
                "{command} changed {:?} but declares {declared:?}",
                ctx.changes
            );
            let (entity, entity_id) = match ctx.changes.first() {
                Some(c) => (
                    c.topic.trim_end_matches(".changed").to_owned(),
                    c.ids.first().copied(),
                ),
                None => (String::new(), None),
            };
            let entities = serde_json::to_string(&ctx.changes)
                .map_err(|e| CoreError::Storage(e.to_string()))?;
            let detail = serde_json::Value::Object(std::mem::take(&mut ctx.detail)).to_string();
            audit::append(
                tx,
                &audit::Entry {
                    command: Some(command),
                    entity: &entity,
                    entity_id,
                    entities: &entities,
                    detail: &detail,
                    ..actor.audit_entry(now_ms, command, "done")
                },
            )?;
            let id = if ctx.changes.is_empty() {
                0
            } else {
                change_log::append(tx, now_ms, actor.origin.as_deref(), &ctx.changes)?
            };
            Ok((out, ctx.changes, id, ctx.wipe))
        });
        let (out, changes, id, wipe) = written?;
        if wipe {
            // Committed already: a log that could not be emptied now (a
            // reader on an old snapshot) is emptied by a later checkpoint.
            let _ = self.store.empty_log();
        }
        if id != 0 {
            if let Some(f) = self.following.get() {
                f.own.lock().unwrap_or_else(|p| p.into_inner()).insert(id);
            }
        }
        self.events.publish(ChangeBatch {
            id,
            origin: actor.origin.clone(),
            changes,
        });
        Ok(out)
    }

    /// Records a refused command or sign-in in the audit trail, in a
    /// transaction of its own (the refused one was rolled back) — the first
    /// of its kind each minute at once, the rest as one count later
    /// (`audit::refusals`).
    pub fn record_refusal(
        &self,
        actor: &Actor,
        action: &str,
        command: Option<&str>,
        error: &CoreError,
        detail: serde_json::Value,
    ) -> CoreResult<()> {
        let now_ms = self.clock.now_ms();
        let detail = detail.to_string();
        let entry = audit::Entry {
            command,
            detail: &detail,
            ..actor.audit_entry(now_ms, action, error.code())
        };
        // Counted only, in memory, unless it is the first of its kind this
        // minute: a flood never queues for the writer.
        let Some(owed) = self.refusals.note(&entry) else {
            return Ok(());
        };
        self.paying(owed, now_ms, |tx| {
            audit::append(tx, &entry)?;
            Ok(())
        })
    }

    /// Records, before `answer` leaves, that `actor` saw the details of the
    /// people in it — when `command` discloses details (`audit::looks`) and
    /// `role` may see any. Coalesced: one entry per member, person and screen
    /// per hour. A look that cannot be recorded is refused, not shown.
    pub fn record_looks(
        &self,
        actor: &Actor,
        role: StaffRole,
        command: &str,
        answer: Box<serde_json::value::RawValue>,
    ) -> CoreResult<Box<serde_json::value::RawValue>> {
        use crate::access::disclosure::{sees, Detail};
        let (Some((through, whose)), Some(staff)) =
            (audit::looks::through(command), actor.staff_id)
        else {
            return Ok(answer);
        };
        if !sees(role, Detail::Contact) && !sees(role, Detail::Care) {
            return Ok(answer);
        }
        let staff = i64::from(staff);
        let value: serde_json::Value =
            serde_json::from_str(answer.get()).map_err(|e| CoreError::Storage(e.to_string()))?;
        let now_ms = self.clock.now_ms();
        let hour = audit::looks::hour_of(now_ms);
        let new: Vec<i64> = {
            let mut seen = self.looks.lock().unwrap_or_else(|p| p.into_inner());
            seen.retain(|k| k.3 == hour);
            audit::looks::people_in(&value, whose)
                .into_iter()
                .filter(|p| !seen.contains(&(staff, *p, through, hour)))
                .collect()
        };
        if new.is_empty() {
            return Ok(answer);
        }
        let owed = self.refusals.owed(now_ms);
        self.paying(owed, now_ms, |tx| {
            let who = actor.audit_entry(now_ms, audit::looks::LOOKED, "done");
            audit::looks::record(tx, &who, command, through, &new)
        })?;
        let mut seen = self.looks.lock().unwrap_or_else(|p| p.into_inner());
        seen.extend(new.into_iter().map(|p| (staff, p, through, hour)));
        Ok(answer)
    }

    /// One write transaction that first brings in the refusal counts `owed`
    /// (taken from `refusals`); they are put back if it does not commit.
    fn paying<T>(
        &self,
        owed: Vec<audit::refusals::Owed>,
        now_ms: i64,
        f: impl FnOnce(&Transaction<'_>) -> CoreResult<T>,
    ) -> CoreResult<T> {
        let written = self.store.write(|tx| {
            audit::refusals::write_owed(tx, now_ms, &owed)?;
            f(tx)
        });
        if written.is_err() {
            self.refusals.restore(owed);
        }
        written
    }

    /// Writes every refusal counted but not yet in the trail: a transport
    /// calls it when it is told to stop, so a flood's count outlives the
    /// process.
    pub fn flush_refusals(&self) -> CoreResult<()> {
        let owed = self.refusals.owed(i64::MAX);
        if owed.is_empty() {
            return Ok(());
        }
        self.paying(owed, self.clock.now_ms(), |_| Ok(()))
    }

    /// Runs a read command on a consistent snapshot, on one of the store's
    /// read-only connections (beside the writer, thanks to WAL).
    pub fn read<T>(
        &self,
        actor: &Actor,
        f: impl FnOnce(&ReadCtx<'_>) -> CoreResult<T>,
    ) -> CoreResult<T> {
        let now_ms = self.clock.now_ms();
        self.store.read(|tx| f(&ReadCtx { tx, now_ms, actor }))
    }

    /// Publishes, on this practice's event bus, what other processes write to
    /// the same file (a second `hearth serve`, the desktop app beside it).
    /// Transports call it once; later calls do nothing.
    pub fn follow_other_processes(&self) -> CoreResult<()> {
        let state = Arc::new(Following::default());
        if self.following.set(state.clone()).is_err() {
            return Ok(());
        }
        change_log::follow(self.store.open_reader()?, self.events.clone(), state)
    }

    /// The batches written after change `after`, oldest first; `None` when
    /// more than `limit` were missed (refetch everything instead).
    pub fn changes_since(&self, after: i64, limit: usize) -> CoreResult<Option<Vec<ChangeBatch>>> {
        self.store.read(|tx| change_log::since(tx, after, limit))
    }

    /// The newest change id: where a new listener starts.
    pub fn latest_change(&self) -> CoreResult<i64> {
        self.store.read(|tx| change_log::latest(tx))
    }

    /// The audit chain's state when this file was opened (checked on open).
    pub fn audit_on_open(&self) -> audit::Verdict {
        self.audit_on_open.clone()
    }
}
