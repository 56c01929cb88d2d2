//! A hotel's free rooms: which rooms (optionally of one type) are free for a
//! stay from arrival to departure, at the practice's check-in/out times
//! (which suits a stay best is `availability`'s ranking).
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::ReadCtx;
use crate::error::{CoreError, CoreResult};
use crate::ids::RoomTypeId;
use crate::instant::LocalDate;
use crate::scheduling::occupancy;
use crate::setup::blocks;
use crate::setup::practice::{self, PracticeKind};
use crate::setup::resources::{self, Resource, ResourceKind};
use crate::time::local_ms;

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct FindFreeRooms {
    #[serde(default)]
    pub room_type_id: Option<RoomTypeId>,
    pub arrival: LocalDate,
    pub departure: LocalDate,
}

pub fn find(ctx: &ReadCtx<'_>, req: FindFreeRooms) -> CoreResult<Vec<Resource>> {
    let p = practice::require(ctx)?;
    if p.kind != PracticeKind::Hotel {
        return Err(CoreError::invalid(
            "arrival",
            "Only hotels book rooms by the night.",
        ));
    }
    let nights = (req.departure.date() - req.arrival.date()).num_days();
    if !(1..=365).contains(&nights) {
        return Err(CoreError::invalid(
            "departure",
            "Departure must be between 1 and 365 nights after arrival.",
        ));
    }
    let tz = p.tz();
    let s = local_ms(tz, req.arrival.date(), u32::from(p.check_in_minute));
    let e = local_ms(tz, req.departure.date(), u32::from(p.check_out_minute));
    let blocked = blocks::overlapping(ctx, s, e)?;
    if blocked.iter().any(|b| b.resource_id.is_none()) {
        return Ok(vec![]);
    }
    let mut out = Vec::new();
    for r in resources::list(ctx, resources::ListResources::default())? {
        if r.kind != ResourceKind::Room
            || req.room_type_id.is_some_and(|t| r.room_type_id != Some(t))
        {
            continue;
        }
        if blocked.iter().any(|b| b.resource_id == Some(r.id)) {
            continue;
        }
        let during = occupancy::During {
            resource: r.id,
            kind: p.kind,
            from_ms: s,
            to_ms: e,
            except: None,
        };
        if !occupancy::is_busy(ctx, during)? {
            out.push(r);
        }
    }
    Ok(out)
}
