//! Hotel availability: which rooms (optionally of one type) are free for a
//! stay from arrival to departure, at the practice's check-in/out times, and
//! which of them suits a stay best.
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::ReadCtx;
use crate::error::{CoreError, CoreResult};
use crate::ids::{BookingId, PersonId, ResourceId, RoomTypeId};
use crate::instant::LocalDate;
use crate::intervals::max_length_ms;
use crate::scheduling::bookings::Availability;
use crate::scheduling::room_status::{self, RoomStatus};
use crate::setup::blocks;
use crate::setup::practice::Practice;
use crate::setup::practice::{self, PracticeKind};
use crate::setup::resources::{self, Resource, ResourceKind};
use crate::time::{local_date, local_ms};

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
    let mut taken = ctx.tx.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM booking_resources WHERE resource_id = ?1 AND live = 1 AND ends_at_ms > ?2 AND ends_at_ms < ?3 + ?4 AND starts_at_ms < ?3)",
    )?;
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
        let busy: bool =
            taken.query_row(params![r.id, s, e, max_length_ms(p.kind)], |row| row.get(0))?;
        if !busy {
            out.push(r);
        }
    }
    Ok(out)
}

/// Orders a hotel's availability best match first, with a word on each room:
/// free rooms before taken ones; among the free, the room the guest had on
/// their last stay, then (for an arrival today) rooms ready now before rooms
/// still to be cleaned, and out-of-order rooms last; otherwise in the rooms'
/// own order. Chairs and providers keep their order.
#[allow(clippy::too_many_arguments)]
pub(crate) fn rank(
    ctx: &ReadCtx<'_>,
    p: &Practice,
    list: &mut Vec<Availability>,
    rooms: &[Resource],
    person: Option<PersonId>,
    editing: Option<BookingId>,
    arrival_ms: i64,
    arrival: NaiveDate,
) -> CoreResult<()> {
    // Their last stay before this one (never the stay being edited itself).
    let last_room: Option<ResourceId> = match person {
        Some(person) => ctx
            .tx
            .prepare_cached(
                "SELECT br.resource_id FROM bookings b JOIN booking_resources br ON br.booking_id = b.id
                  JOIN resources r ON r.id = br.resource_id
                  WHERE b.person_id = ?1 AND b.status NOT IN ('cancelled', 'no_show') AND r.kind = 'room'
                    AND b.id != ?2 AND b.starts_at_ms < ?3
                  ORDER BY b.starts_at_ms DESC LIMIT 1",
            )?
            .query_row(params![person, editing.map_or(-1, i64::from), arrival_ms], |r| r.get(0))
            .optional()?,
        None => None,
    };
    // A high or a low floor, as the guest likes it (the room number's hundreds: 301 is on the third).
    let wants: Option<bool> = match person {
        Some(person) => {
            let flags = crate::people::records::get(ctx, person)?.preference_flags;
            if flags.iter().any(|f| f == "High floor") {
                Some(true)
            } else if flags.iter().any(|f| f == "Low floor") {
                Some(false)
            } else {
                None
            }
        }
        None => None,
    };
    let today = local_date(p.tz(), ctx.now_ms);
    let mut scored = Vec::with_capacity(list.len());
    for (order, a) in list.drain(..).enumerate() {
        let Some(room) = rooms
            .iter()
            .find(|r| r.id == a.resource_id && r.kind == ResourceKind::Room)
        else {
            scored.push(((!a.free, true, true, true, 0, order), a));
            continue;
        };
        let status = room_status::of(ctx, room.id)?;
        let mut a = a;
        let theirs = last_room == Some(room.id);
        let out_of_order = status == RoomStatus::OutOfOrder;
        a.out_of_order = out_of_order;
        let not_ready_today = arrival <= today && !status.is_ready();
        let floor = floor_of(&room.name);
        let floor_rank = match (wants, floor) {
            (Some(true), Some(f)) => -i64::from(f),
            (Some(false), Some(f)) => i64::from(f),
            _ => 0,
        };
        a.note = if out_of_order {
            Some(out_of_order_words(ctx, room.id)?)
        } else if theirs {
            Some("Their room on their last stay".to_owned())
        } else if not_ready_today {
            Some(format!("{} — not cleaned yet", capitalised(status.label())))
        } else {
            match (wants, floor) {
                (Some(true), Some(f)) if f >= 2 => {
                    Some(format!("Floor {f}: they like a high floor"))
                }
                (Some(false), Some(f)) if f <= 1 => {
                    Some(format!("Floor {f}: they like a low floor"))
                }
                _ => None,
            }
        };
        scored.push((
            (
                !a.free,
                out_of_order,
                !theirs,
                not_ready_today,
                floor_rank,
                order,
            ),
            a,
        ));
    }
    scored.sort_by_key(|(key, _)| *key);
    list.extend(scored.into_iter().map(|(_, a)| a));
    Ok(())
}

/// The floor a room is on by its number's hundreds ("Room 301" → 3, "12" → none).
fn floor_of(name: &str) -> Option<u32> {
    let digits: String = name
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    (digits.len() >= 3)
        .then(|| digits.parse::<u32>().ok())
        .flatten()
        .map(|n| n / 100)
}

fn out_of_order_words(ctx: &ReadCtx<'_>, room: ResourceId) -> CoreResult<String> {
    let why: Option<String> = ctx
        .tx
        .prepare_cached("SELECT note FROM room_states WHERE resource_id = ?1")?
        .query_row([room], |r| r.get(0))
        .optional()?;
    Ok(match why.filter(|w| !w.trim().is_empty()) {
        Some(why) => format!("Out of order: {why}"),
        None => "Out of order".to_owned(),
    })
}

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
