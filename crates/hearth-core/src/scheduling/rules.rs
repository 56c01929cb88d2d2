//! The rule check every booking write goes through, inside its transaction:
//! the right resources for the type, no overlap on any resource (never
//! overridable), inside opening hours and the provider's own hours, outside
//! blocked time and not in the past (each overridable by an explicit,
//! recorded override).
use rusqlite::{params, OptionalExtension};

use crate::app::ReadCtx;
use crate::error::{CoreError, CoreResult};
use crate::ids::{BookingId, PersonId, ResourceId};
use crate::instant::MINUTE_MS;
use crate::scheduling::{hours, occupancy, working};
use crate::setup::appointment_types::AppointmentType;
use crate::setup::practice::{Practice, PracticeKind};
use crate::setup::resources::{self, Resource, ResourceKind};
use crate::setup::{blocks, rota};
use crate::time::{fmt_day, fmt_span, local_date};

/// A booking as it would be after the write.
pub struct Proposed<'a> {
    /// The booking being changed, excluded from its own overlap check.
    pub id: Option<BookingId>,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub resource_ids: &'a [ResourceId],
    pub kind: &'a AppointmentType,
    /// The booking's time before this write (`None` for a new booking).
    pub was: Option<(i64, i64)>,
    /// Who it is for (a stay's guest holds one room a night unless said otherwise).
    pub person_id: Option<PersonId>,
    /// What it held before this write (empty for a new booking).
    pub was_resource_ids: &'a [ResourceId],
}

/// How far back a new appointment may start without counting as "in the
/// past": the walk-in booked into the slot that began a few minutes ago.
pub const PAST_GRACE_MS: i64 = 15 * MINUTE_MS;

/// Checks every rule; returns the codes of the rules an override set aside
/// (empty when none was needed).
pub fn check(
    ctx: &ReadCtx<'_>,
    practice: &Practice,
    p: &Proposed<'_>,
    override_rules: bool,
) -> CoreResult<Vec<&'static str>> {
    if p.ends_at_ms <= p.starts_at_ms {
        return Err(CoreError::invalid(
            "ends_at_ms",
            "The end must be after the start.",
        ));
    }
    let held = check_resources(ctx, practice, p)?;
    check_overlap(ctx, practice, p, &held)?;
    let mut overridden = Vec::new();
    if let Some(e) = in_past(ctx.now_ms, practice, p) {
        if !override_rules {
            return Err(e);
        }
        overridden.push(e.code());
    }
    if practice.kind == PracticeKind::Dental
        && !hours::within_hours(practice, p.starts_at_ms, p.ends_at_ms)
    {
        if !override_rules {
            let tz = practice.tz();
            let date = local_date(tz, p.starts_at_ms);
            return Err(CoreError::OutsideHours {
                message: format!(
                    "{} is outside opening hours ({}). Pick another time, or choose Book anyway if you really mean it.",
                    fmt_span(practice.clock(), p.starts_at_ms, p.ends_at_ms),
                    hours::describe(practice, date)
                ),
            });
        }
        overridden.push("booking.outside_hours");
    }
    // A provider's own hours, inside the practice's (`working.rs`).
    if practice.kind == PracticeKind::Dental {
        for r in held.iter().filter(|r| r.kind == ResourceKind::Provider) {
            let shifts = rota::shifts_of(ctx, r.id)?;
            if shifts.is_empty() || working::within(practice, &shifts, p.starts_at_ms, p.ends_at_ms)
            {
                continue;
            }
            if !override_rules {
                return Err(CoreError::OutsideHours {
                    message: format!(
                        "{} {} is outside their hours. Pick another time or provider, or choose Book anyway if you really mean it.",
                        working::refusal_words(practice, &r.name, &shifts, p.starts_at_ms),
                        fmt_span(practice.clock(), p.starts_at_ms, p.ends_at_ms),
                    ),
                });
            }
            if !overridden.contains(&"booking.outside_hours") {
                overridden.push("booking.outside_hours");
            }
        }
    }
    for b in blocks::overlapping(ctx, p.starts_at_ms, p.ends_at_ms)? {
        let on = match b.resource_id {
            None => Some("The practice".to_owned()),
            Some(r) => held.iter().find(|h| h.id == r).map(|h| h.name.clone()),
        };
        let Some(on) = on else { continue };
        if !override_rules {
            return Err(CoreError::Blocked {
                message: format!(
                    "{on} is blocked {} ({}). Pick another time, or choose Book anyway if you really mean it.",
                    fmt_span(practice.clock(), b.starts_at_ms, b.ends_at_ms),
                    b.reason
                ),
            });
        }
        if !overridden.contains(&"booking.blocked") {
            overridden.push("booking.blocked");
        }
    }
    for e in stay_rules(ctx, practice, p, &held)? {
        if !override_rules {
            return Err(e);
        }
        overridden.push(e.code());
    }
    Ok(overridden)
}

/// A stay's own rules, each set aside only on purpose (the override): a guest
/// holds one room a night (a family in two rooms is a choice, and recorded as
/// one), and a stay keeps the room type it was booked in.
fn stay_rules(
    ctx: &ReadCtx<'_>,
    practice: &Practice,
    p: &Proposed<'_>,
    held: &[Resource],
) -> CoreResult<Vec<CoreError>> {
    let mut out = Vec::new();
    let Some(room) = held.iter().find(|r| r.kind == ResourceKind::Room) else {
        return Ok(out);
    };
    let tz = practice.tz();
    let nights = |s: i64, e: i64| {
        format!(
            "{}–{}",
            crate::time::to_local(tz, s).format("%a %-d %b"),
            crate::time::to_local(tz, e).format("%a %-d %b")
        )
    };
    if let Some(person) = p.person_id {
        let other: Option<(String, String, i64, i64)> = ctx
            .tx
            .prepare_cached(
                "SELECT b.person_name, r.name, b.starts_at_ms, b.ends_at_ms
                   FROM bookings b JOIN booking_resources br ON br.booking_id = b.id
                   JOIN resources r ON r.id = br.resource_id
                  WHERE b.person_id = ?1 AND b.live = 1 AND r.kind = 'room' AND b.id != ?2
                    AND br.resource_id != ?3 AND b.starts_at_ms < ?5 AND b.ends_at_ms > ?4
                  ORDER BY b.starts_at_ms LIMIT 1",
            )?
            .query_row(
                params![
                    person,
                    p.id.map_or(-1, i64::from),
                    room.id,
                    p.starts_at_ms,
                    p.ends_at_ms
                ],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        if let Some((guest, their_room, s, e)) = other {
            out.push(CoreError::SecondRoom {
                message: format!(
                    "{guest} already has {their_room} for {}. If they are taking a second room (a family in two rooms), choose Book anyway; otherwise pick the stay they have.",
                    nights(s, e)
                ),
            });
        }
    }
    let was_room = p
        .was_resource_ids
        .iter()
        .filter(|&&id| id != room.id)
        .map(|&id| resources::get(ctx, id))
        .collect::<CoreResult<Vec<_>>>()?
        .into_iter()
        .find(|r| r.kind == ResourceKind::Room);
    if let Some(was) = was_room {
        if let (Some(from), Some(to)) = (was.room_type_id, room.room_type_id) {
            if from != to {
                let types = resources::list_room_types(ctx, Default::default())?;
                let name = |id| {
                    types
                        .iter()
                        .find(|t| t.id == id)
                        .map_or("another type", |t| t.name.as_str())
                };
                out.push(CoreError::RoomTypeChanged {
                    message: format!(
                        "{} is a {}, and this stay was booked in a {} ({}). If the guest is moving to the other type, choose Book anyway.",
                        room.name,
                        name(to),
                        name(from),
                        was.name
                    ),
                });
            }
        }
    }
    Ok(out)
}

/// Whether the write puts the booking into the past: a new or moved start
/// before now (a stay: an arrival date before today), or a changed end that
/// is already over. Editing a past booking without moving it is not.
fn in_past(now_ms: i64, practice: &Practice, p: &Proposed<'_>) -> Option<CoreError> {
    let tz = practice.tz();
    let start_changed = p.was.is_none_or(|(s, _)| s != p.starts_at_ms);
    let end_changed = p.was.is_none_or(|(_, e)| e != p.ends_at_ms);
    let start_past = match practice.kind {
        PracticeKind::Dental => p.starts_at_ms < now_ms.saturating_sub(PAST_GRACE_MS),
        PracticeKind::Hotel => local_date(tz, p.starts_at_ms) < local_date(tz, now_ms),
    };
    let past = (start_changed && start_past) || (end_changed && p.ends_at_ms <= now_ms);
    if !past {
        return None;
    }
    let message = match practice.kind {
        PracticeKind::Dental => format!(
            "{} is in the past. Pick a later time, or book anyway if you are recording a visit that already happened.",
            fmt_span(practice.clock(), p.starts_at_ms, p.ends_at_ms)
        ),
        PracticeKind::Hotel => format!(
            "A stay from {} is in the past. Pick later dates, or book anyway if you are recording a stay that already happened.",
            fmt_day(tz, p.starts_at_ms)
        ),
    };
    Some(CoreError::InPast { message })
}

fn check_resources(
    ctx: &ReadCtx<'_>,
    practice: &Practice,
    p: &Proposed<'_>,
) -> CoreResult<Vec<Resource>> {
    let mut held: Vec<Resource> = Vec::with_capacity(p.resource_ids.len());
    for &id in p.resource_ids {
        if held.iter().any(|h| h.id == id) {
            return Err(CoreError::invalid(
                "resource_ids",
                "The same chair, room or provider is listed twice.",
            ));
        }
        let r = resources::get(ctx, id)?;
        if r.archived {
            return Err(CoreError::invalid(
                "resource_ids",
                format!("{} is archived and can't take new bookings.", r.name),
            ));
        }
        held.push(r);
    }
    let count = |k: ResourceKind| held.iter().filter(|h| h.kind == k).count();
    let t = p.kind;
    let want = |need: bool, k: ResourceKind, what: &str| -> CoreResult<()> {
        match (need, count(k)) {
            (true, 1) | (false, 0) => Ok(()),
            (true, 0) => Err(CoreError::invalid(
                "resource_ids",
                format!("{} bookings need a {what}. Choose one.", t.name),
            )),
            (true, _) => Err(CoreError::invalid(
                "resource_ids",
                format!("{} bookings take one {what}, not several.", t.name),
            )),
            (false, _) => Err(CoreError::invalid(
                "resource_ids",
                format!("{} bookings don't use a {what}.", t.name),
            )),
        }
    };
    let (chair, room) = match practice.kind {
        PracticeKind::Dental => ("chair", "room"),
        PracticeKind::Hotel => ("chair", "room"),
    };
    want(t.needs_chair, ResourceKind::Chair, chair)?;
    want(t.needs_provider, ResourceKind::Provider, "provider")?;
    want(t.needs_room, ResourceKind::Room, room)?;
    Ok(held)
}

fn check_overlap(
    ctx: &ReadCtx<'_>,
    practice: &Practice,
    p: &Proposed<'_>,
    held: &[Resource],
) -> CoreResult<()> {
    for r in held {
        let hit = occupancy::first_holder(
            ctx,
            occupancy::During {
                resource: r.id,
                kind: practice.kind,
                from_ms: p.starts_at_ms,
                to_ms: p.ends_at_ms,
                except: p.id,
            },
        )?;
        if let Some(occupancy::Holder {
            booking_id: id,
            person_name: person,
            starts_at_ms: s,
            ends_at_ms: e,
        }) = hit
        {
            let other = match (practice.kind, r.kind) {
                (_, ResourceKind::Provider) => "pick another provider or time",
                (PracticeKind::Hotel, _) => "pick another room or dates",
                _ => "pick another chair or time",
            };
            return Err(CoreError::Overlap {
                message: format!(
                    "{} is booked {} for {person} — {other}.",
                    r.name,
                    fmt_span(practice.clock(), s, e)
                ),
                conflicting_booking_id: Some(i64::from(id)),
            });
        }
    }
    Ok(())
}
