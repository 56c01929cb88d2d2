//! [`Hearth`]: the open practice — store, clock and event bus — and the
//! per-command context ([`Ctx`]) that carries the acting staff member.
use std::path::Path;
use std::sync::Arc;

use rusqlite::{OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::{Clock, SystemClock};
use crate::error::{CoreError, CoreResult};
use crate::events::{Change, ChangeBatch, EventBus};
use crate::setup::staff::StaffRole;
use crate::store::Store;

pub struct Hearth {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub events: EventBus,
}

/// Who is acting, and from which window or tab (for echo suppression).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Actor {
    /// The staff member at the keyboard; `None` only before the practice is set up.
    #[ts(type = "number | null")]
    pub staff_id: Option<i64>,
    pub origin: Option<String>,
}

/// What a command sees while it runs inside its transaction.
pub struct Ctx<'a> {
    pub tx: &'a Transaction<'a>,
    pub now_ms: i64,
    pub actor: &'a Actor,
    pub changes: Vec<Change>,
}

impl<'a> Ctx<'a> {
    pub fn changed(&mut self, topic: &str, id: i64) {
        match self.changes.iter_mut().find(|c| c.topic == topic) {
            Some(c) if !c.ids.contains(&id) => c.ids.push(id),
            Some(_) => {}
            None => self.changes.push(Change {
                topic: topic.to_owned(),
                ids: vec![id],
            }),
        }
    }

    /// The acting staff member's role; refuses unknown or archived staff.
    pub fn role(&self) -> CoreResult<StaffRole> {
        let Some(id) = self.actor.staff_id else {
            return Err(CoreError::Forbidden {
                message: "Choose who is at the desk before making changes.".into(),
            });
        };
        let row: Option<(String, bool)> = self
            .tx
            .query_row(
                "SELECT role, archived FROM staff WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            Some((role, false)) => StaffRole::parse(&role),
            Some((_, true)) => Err(CoreError::Forbidden {
                message: "This staff member has been archived and can no longer make changes."
                    .into(),
            }),
            None => Err(CoreError::Forbidden {
                message: "Choose who is at the desk before making changes.".into(),
            }),
        }
    }

    /// Refuses unless the actor has one of `roles`.
    pub fn require(&self, roles: &[StaffRole], doing: &str) -> CoreResult<StaffRole> {
        let role = self.role()?;
        if roles.contains(&role) {
            Ok(role)
        } else {
            Err(CoreError::Forbidden {
                message: format!(
                    "Only {} can {doing}.",
                    roles
                        .iter()
                        .map(|r| r.plural())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            })
        }
    }

    pub fn audit(
        &self,
        action: &str,
        entity: &str,
        entity_id: Option<i64>,
        detail: serde_json::Value,
    ) -> CoreResult<()> {
        self.tx.execute(
            "INSERT INTO audit_log (at_ms, staff_id, action, entity, entity_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![self.now_ms, self.actor.staff_id, action, entity, entity_id, detail.to_string()],
        )?;
        Ok(())
    }
}

impl Hearth {
    pub fn open(path: impl AsRef<Path>) -> CoreResult<Hearth> {
        Self::open_with_clock(path, Arc::new(SystemClock))
    }

    pub fn open_with_clock(path: impl AsRef<Path>, clock: Arc<dyn Clock>) -> CoreResult<Hearth> {
        Ok(Hearth {
            store: Store::open(path)?,
            clock,
            events: EventBus::default(),
        })
    }

    /// Runs a write command in one transaction and publishes its changes after commit.
    pub fn write<T>(
        &self,
        actor: &Actor,
        f: impl FnOnce(&mut Ctx<'_>) -> CoreResult<T>,
    ) -> CoreResult<T> {
        let now_ms = self.clock.now_ms();
        let (out, changes) = self.store.write(|tx| {
            let mut ctx = Ctx {
                tx,
                now_ms,
                actor,
                changes: Vec::new(),
            };
            let out = f(&mut ctx)?;
            Ok((out, ctx.changes))
        })?;
        self.events.publish(ChangeBatch {
            origin: actor.origin.clone(),
            changes,
        });
        Ok(out)
    }

    /// Runs a read command on a consistent snapshot.
    pub fn read<T>(
        &self,
        actor: &Actor,
        f: impl FnOnce(&mut Ctx<'_>) -> CoreResult<T>,
    ) -> CoreResult<T> {
        let now_ms = self.clock.now_ms();
        self.store.read(|tx| {
            let mut ctx = Ctx {
                tx,
                now_ms,
                actor,
                changes: Vec::new(),
            };
            f(&mut ctx)
        })
    }
}
