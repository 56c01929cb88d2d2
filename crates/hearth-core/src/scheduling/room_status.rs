//! Room status (hotels): each room clean, dirty, inspected or out of order,
//! with what was said, who set it and when (`room_states`; a room without a
//! row is clean). A check-out makes its room dirty; housekeeping marks it
//! clean (or inspected) from its list; checking a guest into a room that is
//! not clean or inspected is refused until the desk says to go ahead. The
//! board shows each room with who leaves and who arrives today.
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{BookingId, ResourceId};
use crate::instant::LocalDate;
use crate::setup::practice::{self, PracticeKind};
use crate::setup::{clean_text, resources};
use crate::time::local_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoomStatus {
    Clean,
    Dirty,
    /// Clean and checked by a supervisor.
    Inspected,
    OutOfOrder,
}

stored_enum!(RoomStatus, Clean { Clean = "clean", Dirty = "dirty", Inspected = "inspected", OutOfOrder = "out_of_order" });

impl RoomStatus {
    /// Ready for the next guest.
    pub fn is_ready(self) -> bool {
        matches!(self, RoomStatus::Clean | RoomStatus::Inspected)
    }
    pub fn label(self) -> &'static str {
        match self {
            RoomStatus::Clean => "clean",
            RoomStatus::Dirty => "dirty",
            RoomStatus::Inspected => "inspected",
            RoomStatus::OutOfOrder => "out of order",
        }
    }
}

/// `list_room_status`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListRoomStatus {}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct RoomState {
    pub resource_id: ResourceId,
    pub name: String,
    pub room_type: Option<String>,
    pub status: RoomStatus,
    pub note: String,
    pub changed_at_ms: Option<i64>,
    pub changed_by_name: Option<String>,
    /// Who is in the room now (checked in).
    pub in_house: Option<String>,
    /// Who leaves it today, and who arrives today.
    pub departing: Option<String>,
    pub arriving: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct RoomBoard {
    pub date: LocalDate,
    pub rooms: Vec<RoomState>,
    pub dirty: u32,
    /// Dirty rooms someone arrives in today: clean these first.
    pub needed_today: u32,
}

/// `set_room_status`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SetRoomStatus {
    pub resource_id: ResourceId,
    pub status: RoomStatus,
    /// Why, for out of order ("bathroom leak"); optional otherwise.
    #[serde(default)]
    pub note: String,
}

/// A room's status as stored (clean when never set).
pub fn of(ctx: &ReadCtx<'_>, room: ResourceId) -> CoreResult<RoomStatus> {
    let s: Option<String> = ctx
        .tx
        .prepare_cached("SELECT status FROM room_states WHERE resource_id = ?1")?
        .query_row([room], |r| r.get(0))
        .optional()?;
    Ok(s.map_or(RoomStatus::Clean, |s| RoomStatus::parse(&s)))
}

fn write(ctx: &mut Ctx<'_>, room: ResourceId, status: RoomStatus, note: &str) -> CoreResult<()> {
    ctx.tx.execute(
        "INSERT INTO room_states (resource_id, status, note, changed_at_ms, changed_by) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (resource_id) DO UPDATE SET status = ?2, note = ?3, changed_at_ms = ?4, changed_by = ?5",
        params![room, status.as_str(), note, ctx.now_ms, ctx.actor.staff_id],
    )?;
    ctx.changed(topics::ROOM_STATUS_CHANGED, room);
    Ok(())
}

pub fn set(ctx: &mut Ctx<'_>, req: SetRoomStatus) -> CoreResult<RoomState> {
    let room = resources::get(ctx, req.resource_id)?;
    if room.kind != resources::ResourceKind::Room {
        return Err(CoreError::invalid(
            "resource_id",
            format!("{} is not a room.", room.name),
        ));
    }
    let note = clean_text("note", "The note", &req.note, 200, false)?;
    if req.status == RoomStatus::OutOfOrder && note.is_empty() {
        return Err(CoreError::invalid(
            "note",
            "Say why the room is out of order (\"bathroom leak\"), so the desk can tell guests.",
        ));
    }
    write(ctx, room.id, req.status, &note)?;
    ctx.detail(serde_json::json!({ "room": room.id, "status": req.status.as_str() }));
    board(ctx)?
        .rooms
        .into_iter()
        .find(|r| r.resource_id == room.id)
        .ok_or_else(|| CoreError::not_found("That room"))
}

/// A check-out: the rooms it held need cleaning.
pub(crate) fn mark_dirty(ctx: &mut Ctx<'_>, rooms: &[ResourceId]) -> CoreResult<()> {
    for &r in rooms {
        if of(ctx, r)? != RoomStatus::OutOfOrder {
            write(ctx, r, RoomStatus::Dirty, "")?;
        }
    }
    Ok(())
}

/// Before a check-in: the first held room that is not ready, in words.
pub(crate) fn not_ready(ctx: &ReadCtx<'_>, rooms: &[ResourceId]) -> CoreResult<Option<String>> {
    for &r in rooms {
        let status = of(ctx, r)?;
        if status.is_ready() {
            continue;
        }
        let room = resources::get(ctx, r)?;
        if room.kind == resources::ResourceKind::Room {
            return Ok(Some(format!(
                "{} is {}, not marked clean by housekeeping. Check the guest in anyway, or give them another room.",
                room.name,
                status.label()
            )));
        }
    }
    Ok(None)
}

/// Who is still checked in to one of `rooms`, on another stay than `stay`: the
/// refusal of a check-in into a room that is not free yet, with what to do.
pub(crate) fn still_occupied(
    ctx: &ReadCtx<'_>,
    rooms: &[ResourceId],
    stay: BookingId,
) -> CoreResult<Option<String>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT r.name, b.person_name, b.departure_date FROM booking_resources br
           JOIN bookings b ON b.id = br.booking_id JOIN resources r ON r.id = br.resource_id
          WHERE br.resource_id = ?1 AND r.kind = 'room' AND b.status = 'checked_in' AND b.id != ?2
          ORDER BY b.starts_at_ms LIMIT 1",
    )?;
    for &r in rooms {
        let hit: Option<(String, String, Option<String>)> = stmt
            .query_row(params![r, stay], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()?;
        if let Some((room, guest, leaving)) = hit {
            let leaving = leaving
                .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
                .map(|d| format!(" (due out {})", d.format("%a %-d %b")))
                .unwrap_or_default();
            return Ok(Some(format!(
                "{room} still has {guest} checked in{leaving}. Check them out first, or give this guest another room."
            )));
        }
    }
    Ok(None)
}

fn guest_on(
    ctx: &ReadCtx<'_>,
    room: ResourceId,
    sql_when: &str,
    day: &str,
) -> CoreResult<Option<String>> {
    let sql = format!(
        "SELECT b.person_name FROM bookings b JOIN booking_resources br ON br.booking_id = b.id
          WHERE br.resource_id = ?1 AND b.live = 1 AND {sql_when} ORDER BY b.starts_at_ms LIMIT 1"
    );
    Ok(ctx
        .tx
        .prepare_cached(&sql)?
        .query_row(params![room, day], |r| r.get(0))
        .optional()?)
}

pub fn board(ctx: &ReadCtx<'_>) -> CoreResult<RoomBoard> {
    let p = practice::require(ctx)?;
    if p.kind != PracticeKind::Hotel {
        return Err(CoreError::invalid(
            "kind",
            "Room status is for hotels; a dental practice has chairs.",
        ));
    }
    let today = local_date(p.tz(), ctx.now_ms);
    let day = today.to_string();
    let types = resources::list_room_types(ctx, Default::default())?;
    let mut rooms = Vec::new();
    for r in resources::list(ctx, resources::ListResources::default())? {
        if r.kind != resources::ResourceKind::Room {
            continue;
        }
        let (status, note, at, by): (Option<String>, Option<String>, Option<i64>, Option<String>) =
            ctx.tx
                .prepare_cached(
                    "SELECT rs.status, rs.note, rs.changed_at_ms, s.name FROM room_states rs
                   LEFT JOIN staff s ON s.id = rs.changed_by WHERE rs.resource_id = ?1",
                )?
                .query_row([r.id], |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?)))
                .optional()?
                .unwrap_or_default();
        rooms.push(RoomState {
            resource_id: r.id,
            room_type: r
                .room_type_id
                .and_then(|t| types.iter().find(|x| x.id == t))
                .map(|t| t.name.clone()),
            status: status.map_or(RoomStatus::Clean, |s| RoomStatus::parse(&s)),
            note: note.unwrap_or_default(),
            changed_at_ms: at,
            changed_by_name: by,
            in_house: guest_on(
                ctx,
                r.id,
                "b.status = 'checked_in' AND b.arrival_date <= ?2 AND b.departure_date >= ?2",
                &day,
            )?,
            departing: guest_on(
                ctx,
                r.id,
                "b.departure_date = ?2 AND b.status IN ('checked_in', 'confirmed', 'booked')",
                &day,
            )?,
            arriving: guest_on(
                ctx,
                r.id,
                "b.arrival_date = ?2 AND b.status IN ('booked', 'confirmed')",
                &day,
            )?,
            name: r.name,
        });
    }
    let dirty = rooms
        .iter()
        .filter(|r| r.status == RoomStatus::Dirty)
        .count() as u32;
    let needed_today = rooms
        .iter()
        .filter(|r| !r.status.is_ready() && r.arriving.is_some())
        .count() as u32;
    Ok(RoomBoard {
        date: LocalDate::new(today)
            .ok_or_else(|| CoreError::Storage("today is out of range".into()))?,
        rooms,
        dirty,
        needed_today,
    })
}

pub fn list(ctx: &ReadCtx<'_>, _req: ListRoomStatus) -> CoreResult<RoomBoard> {
    board(ctx)
}
