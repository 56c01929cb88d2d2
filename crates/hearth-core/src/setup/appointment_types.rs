//! Appointment types: a name, a default duration, a colour, what a booking
//! of that type must hold (a chair and a provider; a room), and after how
//! many months the patient is due back (the recall: six-month check-up).
use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::AppointmentTypeId;
use crate::setup::practice::{self, PracticeKind};
use crate::setup::{clean_colour, clean_text};

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct AppointmentType {
    pub id: AppointmentTypeId,
    pub name: String,
    pub duration_minutes: u32,
    pub colour: String,
    pub needs_chair: bool,
    pub needs_provider: bool,
    pub needs_room: bool,
    /// Due back this many months after a completed visit of this type.
    pub recall_months: Option<u8>,
    pub archived: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListAppointmentTypes {
    #[serde(default)]
    pub include_archived: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SaveAppointmentType {
    #[serde(default)]
    pub id: Option<AppointmentTypeId>,
    pub name: String,
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: u32,
    pub colour: String,
    #[serde(default)]
    pub needs_chair: bool,
    #[serde(default)]
    pub needs_provider: bool,
    #[serde(default)]
    pub needs_room: bool,
    /// Months after a completed visit the patient is due back (1–60); none: no recall.
    #[serde(default)]
    pub recall_months: Option<u8>,
    #[serde(default)]
    pub archived: bool,
}

const COLUMNS: &str =
    "id, name, duration_minutes, colour, needs_chair, needs_provider, needs_room, archived, recall_months";

fn from_row(r: &Row<'_>) -> rusqlite::Result<AppointmentType> {
    Ok(AppointmentType {
        id: r.get(0)?,
        name: r.get(1)?,
        duration_minutes: r.get(2)?,
        colour: r.get(3)?,
        needs_chair: r.get(4)?,
        needs_provider: r.get(5)?,
        needs_room: r.get(6)?,
        archived: r.get(7)?,
        recall_months: r.get(8)?,
    })
}

pub fn list(ctx: &ReadCtx<'_>, req: ListAppointmentTypes) -> CoreResult<Vec<AppointmentType>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM appointment_types WHERE archived = 0 OR ?1 ORDER BY archived, name"
    );
    let mut stmt = ctx.tx.prepare_cached(&sql)?;
    let rows = stmt.query_map([req.include_archived], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(ctx: &ReadCtx<'_>, id: AppointmentTypeId) -> CoreResult<AppointmentType> {
    let sql = format!("SELECT {COLUMNS} FROM appointment_types WHERE id = ?1");
    ctx.tx.query_row(&sql, [id], from_row).map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => CoreError::not_found("That type"),
        e => e.into(),
    })
}

pub(crate) fn insert(
    ctx: &mut Ctx<'_>,
    name: &str,
    minutes: u32,
    colour: &str,
    chair: bool,
    provider: bool,
    room: bool,
) -> CoreResult<AppointmentTypeId> {
    ctx.tx.execute(
        "INSERT INTO appointment_types (name, duration_minutes, colour, needs_chair, needs_provider, needs_room) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![name, minutes, colour, chair, provider, room],
    )?;
    let id = AppointmentTypeId(ctx.tx.last_insert_rowid());
    ctx.changed(topics::APPOINTMENT_TYPE_CHANGED, id);
    Ok(id)
}

/// A type that can take new bookings (and be searched for): refuses archived ones.
pub fn bookable(ctx: &ReadCtx<'_>, id: AppointmentTypeId) -> CoreResult<AppointmentType> {
    let t = get(ctx, id)?;
    if t.archived {
        return Err(CoreError::invalid(
            "type_id",
            format!("{} is no longer offered; pick another type.", t.name),
        ));
    }
    Ok(t)
}

pub fn save(ctx: &mut Ctx<'_>, req: SaveAppointmentType) -> CoreResult<AppointmentType> {
    let name = clean_text("name", "The name", &req.name, 80, true)?;
    let colour = clean_colour(&req.colour)?;
    if req.duration_minutes == 0 || req.duration_minutes > 24 * 60 {
        return Err(CoreError::invalid(
            "duration_minutes",
            "The duration must be between 1 minute and 24 hours.",
        ));
    }
    if !(req.needs_chair || req.needs_provider || req.needs_room) {
        return Err(CoreError::invalid(
            "needs_chair",
            "An appointment type must need at least a chair, a provider or a room.",
        ));
    }
    // A stay holds a room and nothing else; the room search and the tape chart
    // rely on it (a fuzz finding: a stay type that needed a provider made every
    // free room unbookable).
    if practice::require(ctx)?.kind == PracticeKind::Hotel
        && (req.needs_chair || req.needs_provider || !req.needs_room)
    {
        return Err(CoreError::invalid(
            "needs_room",
            "A hotel stay type needs a room and nothing else.",
        ));
    }
    if let Some(m) = req.recall_months {
        if !(1..=60).contains(&m) {
            return Err(CoreError::invalid(
                "recall_months",
                "Say after how many months they are due back: 1 to 60, or leave it empty.",
            ));
        }
        if req.needs_room {
            return Err(CoreError::invalid(
                "recall_months",
                "A stay has no recall: regular guests are found by how often they come.",
            ));
        }
    }
    let id = match req.id {
        None => insert(
            ctx,
            &name,
            req.duration_minutes,
            &colour,
            req.needs_chair,
            req.needs_provider,
            req.needs_room,
        )?,
        Some(id) => {
            get(ctx, id)?;
            ctx.tx.execute(
                "UPDATE appointment_types SET name = ?2, duration_minutes = ?3, colour = ?4, needs_chair = ?5, needs_provider = ?6, needs_room = ?7, archived = ?8 WHERE id = ?1",
                params![id, name, req.duration_minutes, colour, req.needs_chair, req.needs_provider, req.needs_room, req.archived],
            )?;
            ctx.changed(topics::APPOINTMENT_TYPE_CHANGED, id);
            id
        }
    };
    set_recall(ctx, id, req.recall_months)?;
    get(ctx, id)
}

/// After how many months a completed visit of this type is due again.
pub(crate) fn set_recall(
    ctx: &mut Ctx<'_>,
    id: AppointmentTypeId,
    months: Option<u8>,
) -> CoreResult<()> {
    ctx.tx.execute(
        "UPDATE appointment_types SET recall_months = ?2 WHERE id = ?1",
        params![id, months],
    )?;
    ctx.changed(topics::APPOINTMENT_TYPE_CHANGED, id);
    Ok(())
}
