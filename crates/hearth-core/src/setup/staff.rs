//! Staff members and their roles. Staff are archived, never deleted.
use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::setup::{clean_colour, clean_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    FrontDesk,
    Practitioner,
    Housekeeping,
    Manager,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::FrontDesk => "front_desk",
            StaffRole::Practitioner => "practitioner",
            StaffRole::Housekeeping => "housekeeping",
            StaffRole::Manager => "manager",
        }
    }
    pub fn plural(self) -> &'static str {
        match self {
            StaffRole::FrontDesk => "the front desk",
            StaffRole::Practitioner => "practitioners",
            StaffRole::Housekeeping => "housekeeping",
            StaffRole::Manager => "managers",
        }
    }
    pub fn parse(s: &str) -> CoreResult<StaffRole> {
        Ok(match s {
            "front_desk" => StaffRole::FrontDesk,
            "practitioner" => StaffRole::Practitioner,
            "housekeeping" => StaffRole::Housekeeping,
            "manager" => StaffRole::Manager,
            other => return Err(CoreError::Storage(format!("unknown role {other}"))),
        })
    }
    /// Who may book, move and cancel.
    pub const BOOKERS: &'static [StaffRole] = &[
        StaffRole::FrontDesk,
        StaffRole::Practitioner,
        StaffRole::Manager,
    ];
    pub const MANAGERS: &'static [StaffRole] = &[StaffRole::Manager];
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Staff {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub role: StaffRole,
    pub colour: String,
    pub archived: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListStaff {
    #[serde(default)]
    pub include_archived: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveStaff {
    /// Absent to add a new staff member.
    #[ts(type = "number | null")]
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    pub role: StaffRole,
    pub colour: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchiveStaff {
    #[ts(type = "number")]
    pub id: i64,
    pub archived: bool,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<(i64, String, String, String, bool)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn to_staff(t: (i64, String, String, String, bool)) -> CoreResult<Staff> {
    Ok(Staff {
        id: t.0,
        name: t.1,
        role: StaffRole::parse(&t.2)?,
        colour: t.3,
        archived: t.4,
    })
}

pub fn list(ctx: &Ctx<'_>, req: ListStaff) -> CoreResult<Vec<Staff>> {
    let mut stmt = ctx
        .tx
        .prepare_cached("SELECT id, name, role, colour, archived FROM staff WHERE archived = 0 OR ?1 ORDER BY archived, name")?;
    let rows = stmt
        .query_map([req.include_archived], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(to_staff).collect()
}

pub fn get(ctx: &Ctx<'_>, id: i64) -> CoreResult<Staff> {
    let t = ctx
        .tx
        .query_row(
            "SELECT id, name, role, colour, archived FROM staff WHERE id = ?1",
            [id],
            from_row,
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => CoreError::not_found("That staff member"),
            e => e.into(),
        })?;
    to_staff(t)
}

/// Inserts without a permission check: used by practice setup for the first manager.
pub(crate) fn insert(
    ctx: &mut Ctx<'_>,
    name: &str,
    role: StaffRole,
    colour: &str,
) -> CoreResult<i64> {
    let name = clean_text("name", "The name", name, 80, true)?;
    let colour = clean_colour(colour)?;
    ctx.tx.execute(
        "INSERT INTO staff (name, role, colour) VALUES (?1, ?2, ?3)",
        params![name, role.as_str(), colour],
    )?;
    let id = ctx.tx.last_insert_rowid();
    ctx.changed(topics::STAFF_CHANGED, id);
    Ok(id)
}

pub fn save(ctx: &mut Ctx<'_>, req: SaveStaff) -> CoreResult<Staff> {
    ctx.require(StaffRole::MANAGERS, "change staff")?;
    let id = match req.id {
        None => insert(ctx, &req.name, req.role, &req.colour)?,
        Some(id) => {
            get(ctx, id)?;
            // A manager who demotes themselves could leave nobody able to
            // manage the practice (a fuzz finding).
            if ctx.actor.staff_id == Some(id) && req.role != StaffRole::Manager {
                return Err(CoreError::invalid(
                    "role",
                    "You can't take away your own manager role; ask another manager to do it.",
                ));
            }
            let name = clean_text("name", "The name", &req.name, 80, true)?;
            let colour = clean_colour(&req.colour)?;
            ctx.tx.execute(
                "UPDATE staff SET name = ?2, role = ?3, colour = ?4, version = version + 1 WHERE id = ?1",
                params![id, name, req.role.as_str(), colour],
            )?;
            ctx.changed(topics::STAFF_CHANGED, id);
            id
        }
    };
    ctx.audit(
        "staff.save",
        "staff",
        Some(id),
        serde_json::json!({ "role": req.role.as_str() }),
    )?;
    get(ctx, id)
}

pub fn archive(ctx: &mut Ctx<'_>, req: ArchiveStaff) -> CoreResult<Staff> {
    ctx.require(StaffRole::MANAGERS, "archive staff")?;
    get(ctx, req.id)?;
    if req.archived && ctx.actor.staff_id == Some(req.id) {
        return Err(CoreError::invalid(
            "id",
            "You can't archive yourself; ask another manager.",
        ));
    }
    ctx.tx.execute(
        "UPDATE staff SET archived = ?2, version = version + 1 WHERE id = ?1",
        params![req.id, req.archived],
    )?;
    ctx.changed(topics::STAFF_CHANGED, req.id);
    ctx.audit(
        "staff.archive",
        "staff",
        Some(req.id),
        serde_json::json!({ "archived": req.archived }),
    )?;
    get(ctx, req.id)
}
