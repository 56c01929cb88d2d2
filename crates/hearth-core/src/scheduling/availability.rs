//! "Which chairs, providers or rooms are free for this time?": for the
//! booking dialog, before Book is pressed, each live resource free or not
//! and what holds it (`occupancy`, then blocks); a hotel's rooms best match
//! first (`rank`). The rule check on Book still decides.
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::ReadCtx;
use crate::error::CoreResult;
use crate::ids::{BookingId, PersonId, ResourceId};
use crate::request;
use crate::scheduling::bookings::{resolve_time, BookingTime};
use crate::scheduling::occupancy;
use crate::scheduling::room_status::{self, RoomStatus};
use crate::setup::practice::{self, Practice, PracticeKind};
use crate::setup::resources::{Resource, ResourceKind};
use crate::time::{fmt_span, fmt_time, local_date};

/// `resource_availability`: which chairs, providers or rooms are free for a time.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ResourceAvailability {
    #[serde(deserialize_with = "request::object")]
    pub time: BookingTime,
    /// The booking being edited: its own time does not count as taken.
    #[serde(default)]
    pub booking_id: Option<BookingId>,
    /// Who the booking is for, if known: a hotel ranks the room they had last first.
    #[serde(default)]
    pub person_id: Option<PersonId>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Availability {
    pub resource_id: ResourceId,
    pub free: bool,
    /// What holds it: "Ana Ruiz 10:00–10:30", "Blocked: Staff meeting".
    pub busy_with: Option<String>,
    /// For a hotel's room: what else to know in choosing it ("Their room last
    /// stay", "Dirty — not cleaned yet", "Out of order: bathroom refit").
    pub note: Option<String>,
    /// A hotel's room marked out of order: free, but not one to offer first.
    pub out_of_order: bool,
}

/// For the booking dialog, before Book is pressed: each live resource free or
/// not for the time, and what holds it. The rule check on Book still decides.
/// A hotel's rooms come best match first (see [`rank`]).
pub fn availability(ctx: &ReadCtx<'_>, req: ResourceAvailability) -> CoreResult<Vec<Availability>> {
    let p = practice::require(ctx)?;
    let (span, _, _) = resolve_time(&p, &req.time)?;
    let (s, e) = (span.start_ms(), span.end_ms());
    let tz = p.tz();

    let all = crate::setup::resources::list(ctx, Default::default())?;
    let mut out = Vec::with_capacity(all.len());
    let mut blocked = ctx.tx.prepare_cached(
        "SELECT reason FROM blocks WHERE removed = 0 AND (resource_id = ?1 OR resource_id IS NULL)
            AND starts_at_ms < ?3 AND ends_at_ms > ?2 ORDER BY starts_at_ms LIMIT 1",
    )?;
    for r in &all {
        let holder = occupancy::first_holder(
            ctx,
            occupancy::During {
                resource: r.id,
                kind: p.kind,
                from_ms: s,
                to_ms: e,
                except: req.booking_id,
            },
        )?;
        let busy_with = match holder {
            Some(occupancy::Holder {
                person_name: name,
                starts_at_ms: bs,
                ends_at_ms: be,
                ..
            }) => Some(match p.kind {
                PracticeKind::Hotel => format!("{name}, {}", fmt_span(p.clock(), bs, be)),
                PracticeKind::Dental => format!(
                    "{name} {}–{}",
                    fmt_time(p.clock(), bs),
                    fmt_time(p.clock(), be)
                ),
            }),
            None => blocked
                .query_row(params![r.id, s, e], |x| x.get::<_, String>(0))
                .optional()?
                .map(|why| format!("Blocked: {why}")),
        };
        out.push(Availability {
            resource_id: r.id,
            free: busy_with.is_none(),
            busy_with,
            note: None,
            out_of_order: false,
        });
    }
    if p.kind == PracticeKind::Hotel {
        rank(
            ctx,
            &p,
            &mut out,
            &all,
            req.person_id,
            req.booking_id,
            s,
            local_date(tz, s),
        )?;
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
