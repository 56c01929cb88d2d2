//! What bookings hold: chairs (operatories), rooms (of a room type) and
//! providers (a practitioner's diary). Archived, never deleted.
use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{ResourceId, RoomTypeId, StaffId};
use crate::setup::staff;
use crate::setup::{clean_colour, clean_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Chair,
    Room,
    Provider,
}

impl ResourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Chair => "chair",
            ResourceKind::Room => "room",
            ResourceKind::Provider => "provider",
        }
    }
    pub fn parse(s: &str) -> CoreResult<Self> {
        match s {
            "chair" => Ok(ResourceKind::Chair),
            "room" => Ok(ResourceKind::Room),
            "provider" => Ok(ResourceKind::Provider),
            other => Err(CoreError::Storage(format!("unknown resource kind {other}"))),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Resource {
    pub id: ResourceId,
    pub kind: ResourceKind,
    pub name: String,
    pub colour: String,
    pub room_type_id: Option<RoomTypeId>,
    pub staff_id: Option<StaffId>,
    pub sort_order: i32,
    pub archived: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct RoomType {
    pub id: RoomTypeId,
    pub name: String,
    pub archived: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListResources {
    #[serde(default)]
    pub include_archived: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SaveResource {
    #[serde(default)]
    pub id: Option<ResourceId>,
    pub kind: ResourceKind,
    pub name: String,
    pub colour: String,
    #[serde(default)]
    pub room_type_id: Option<RoomTypeId>,
    #[serde(default)]
    pub staff_id: Option<StaffId>,
    #[serde(default)]
    pub sort_order: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ArchiveResource {
    pub id: ResourceId,
    pub archived: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListRoomTypes {}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SaveRoomType {
    #[serde(default)]
    pub id: Option<RoomTypeId>,
    pub name: String,
    #[serde(default)]
    pub archived: bool,
}

const COLUMNS: &str = "id, kind, name, colour, room_type_id, staff_id, sort_order, archived";

fn from_row(r: &Row<'_>) -> rusqlite::Result<RawResource> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

type RawResource = (
    ResourceId,
    String,
    String,
    String,
    Option<RoomTypeId>,
    Option<StaffId>,
    i32,
    bool,
);

fn to_resource(t: RawResource) -> CoreResult<Resource> {
    Ok(Resource {
        id: t.0,
        kind: ResourceKind::parse(&t.1)?,
        name: t.2,
        colour: t.3,
        room_type_id: t.4,
        staff_id: t.5,
        sort_order: t.6,
        archived: t.7,
    })
}

pub fn list(ctx: &ReadCtx<'_>, req: ListResources) -> CoreResult<Vec<Resource>> {
    let sql = format!("SELECT {COLUMNS} FROM resources WHERE archived = 0 OR ?1 ORDER BY archived, sort_order, kind, name");
    let mut stmt = ctx.tx.prepare_cached(&sql)?;
    let rows = stmt
        .query_map([req.include_archived], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(to_resource).collect()
}

pub fn get(ctx: &ReadCtx<'_>, id: ResourceId) -> CoreResult<Resource> {
    let sql = format!("SELECT {COLUMNS} FROM resources WHERE id = ?1");
    let t = ctx
        .tx
        .query_row(&sql, [id], from_row)
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => {
                CoreError::not_found("That chair, room or provider")
            }
            e => e.into(),
        })?;
    to_resource(t)
}

pub(crate) fn insert_raw(
    ctx: &mut Ctx<'_>,
    kind: ResourceKind,
    name: &str,
    colour: &str,
    room_type_id: Option<RoomTypeId>,
    staff_id: Option<StaffId>,
    sort: i32,
) -> CoreResult<ResourceId> {
    ctx.tx.execute(
        "INSERT INTO resources (kind, name, colour, room_type_id, staff_id, sort_order) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![kind.as_str(), name, colour, room_type_id, staff_id, sort],
    )?;
    let id = ResourceId(ctx.tx.last_insert_rowid());
    ctx.changed(topics::RESOURCE_CHANGED, id);
    Ok(id)
}

pub(crate) fn insert_room_type(ctx: &mut Ctx<'_>, name: &str) -> CoreResult<RoomTypeId> {
    ctx.tx
        .execute("INSERT INTO room_types (name) VALUES (?1)", [name])?;
    let id = RoomTypeId(ctx.tx.last_insert_rowid());
    ctx.changed(topics::ROOM_TYPE_CHANGED, id);
    Ok(id)
}

fn check_links(ctx: &ReadCtx<'_>, req: &SaveResource) -> CoreResult<()> {
    match req.kind {
        ResourceKind::Room => {
            let Some(rt) = req.room_type_id else {
                return Err(CoreError::invalid(
                    "room_type_id",
                    "Choose a room type for the room.",
                ));
            };
            let n: i64 =
                ctx.tx
                    .query_row("SELECT COUNT(*) FROM room_types WHERE id = ?1", [rt], |r| {
                        r.get(0)
                    })?;
            if n == 0 {
                return Err(CoreError::not_found("That room type"));
            }
        }
        ResourceKind::Provider => {
            if let Some(s) = req.staff_id {
                staff::get(ctx, s)?;
            }
        }
        ResourceKind::Chair => {}
    }
    Ok(())
}

pub fn save(ctx: &mut Ctx<'_>, req: SaveResource) -> CoreResult<Resource> {
    let name = clean_text("name", "The name", &req.name, 80, true)?;
    let colour = clean_colour(&req.colour)?;
    check_links(ctx, &req)?;
    let room_type = if req.kind == ResourceKind::Room {
        req.room_type_id
    } else {
        None
    };
    let staff_id = if req.kind == ResourceKind::Provider {
        req.staff_id
    } else {
        None
    };
    let id = match req.id {
        None => insert_raw(
            ctx,
            req.kind,
            &name,
            &colour,
            room_type,
            staff_id,
            req.sort_order,
        )?,
        Some(id) => {
            let old = get(ctx, id)?;
            if old.kind != req.kind {
                return Err(CoreError::invalid("kind", "A chair, room or provider can't change into another kind; add a new one instead."));
            }
            ctx.tx.execute(
                "UPDATE resources SET name = ?2, colour = ?3, room_type_id = ?4, staff_id = ?5, sort_order = ?6, version = version + 1 WHERE id = ?1",
                params![id, name, colour, room_type, staff_id, req.sort_order],
            )?;
            ctx.changed(topics::RESOURCE_CHANGED, id);
            id
        }
    };
    ctx.detail(serde_json::json!({ "kind": req.kind.as_str() }));
    get(ctx, id)
}

pub fn archive(ctx: &mut Ctx<'_>, req: ArchiveResource) -> CoreResult<Resource> {
    let r = get(ctx, req.id)?;
    if req.archived {
        let future: i64 = ctx.tx.query_row(
            "SELECT COUNT(*) FROM booking_resources WHERE resource_id = ?1 AND live = 1 AND ends_at_ms > ?2",
            params![req.id, ctx.now_ms],
            |row| row.get(0),
        )?;
        if future > 0 {
            return Err(CoreError::invalid(
                "id",
                if future == 1 {
                    format!(
                        "{} still has 1 upcoming booking. Move or cancel it first.",
                        r.name
                    )
                } else {
                    format!(
                        "{} still has {future} upcoming bookings. Move or cancel them first.",
                        r.name
                    )
                },
            ));
        }
    }
    ctx.tx.execute(
        "UPDATE resources SET archived = ?2, version = version + 1 WHERE id = ?1",
        params![req.id, req.archived],
    )?;
    ctx.changed(topics::RESOURCE_CHANGED, req.id);
    ctx.detail(serde_json::json!({ "archived": req.archived }));
    get(ctx, req.id)
}

pub fn list_room_types(ctx: &ReadCtx<'_>, _req: ListRoomTypes) -> CoreResult<Vec<RoomType>> {
    let mut stmt = ctx
        .tx
        .prepare_cached("SELECT id, name, archived FROM room_types ORDER BY archived, name")?;
    let rows = stmt.query_map([], |r| {
        Ok(RoomType {
            id: r.get(0)?,
            name: r.get(1)?,
            archived: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn save_room_type(ctx: &mut Ctx<'_>, req: SaveRoomType) -> CoreResult<RoomType> {
    let name = clean_text("name", "The room type name", &req.name, 80, true)?;
    let id = match req.id {
        None => insert_room_type(ctx, &name)?,
        Some(id) => {
            let n = ctx.tx.execute(
                "UPDATE room_types SET name = ?2, archived = ?3 WHERE id = ?1",
                params![id, name, req.archived],
            )?;
            if n == 0 {
                return Err(CoreError::not_found("That room type"));
            }
            ctx.changed(topics::ROOM_TYPE_CHANGED, id);
            id
        }
    };
    Ok(ctx.tx.query_row(
        "SELECT id, name, archived FROM room_types WHERE id = ?1",
        [id],
        |r| {
            Ok(RoomType {
                id: r.get(0)?,
                name: r.get(1)?,
                archived: r.get(2)?,
            })
        },
    )?)
}

/// Renames a chair, room or provider (the demo's starter set).
pub(crate) fn rename(ctx: &mut Ctx<'_>, id: ResourceId, name: &str) -> CoreResult<()> {
    ctx.tx.execute(
        "UPDATE resources SET name = ?2, version = version + 1 WHERE id = ?1",
        params![id, name],
    )?;
    ctx.changed(topics::RESOURCE_CHANGED, id);
    Ok(())
}
