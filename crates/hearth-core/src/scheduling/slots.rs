//! Slot search: the next free slots for an appointment type, honouring opening
//! hours, breaks, providers' own hours, blocked time, existing bookings and
//! the booking grid. It
//! reads every busy interval of the candidate resources in one query, then
//! walks the grid in memory.
use std::collections::HashMap;

use chrono::{Days, Timelike};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::ReadCtx;
use crate::error::{CoreError, CoreResult};
use crate::ids::{AppointmentTypeId, ResourceId};
use crate::instant::{LocalDate, MINUTE_MS};
use crate::scheduling::hours::open_minutes;
use crate::scheduling::{occupancy, working};
use crate::setup::appointment_types;
use crate::setup::practice::{self, PracticeKind};
use crate::setup::resources::{self, Resource, ResourceKind};
use crate::setup::{blocks, rota};
use crate::time::{fmt_span, local_ms, weekday};

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct FindSlots {
    pub type_id: AppointmentTypeId,
    #[serde(default)]
    pub provider_id: Option<ResourceId>,
    #[serde(default)]
    pub chair_id: Option<ResourceId>,
    /// First local day to search.
    pub from_date: LocalDate,
    /// How many days to search, from `from_date`.
    #[schema(minimum = 1, maximum = 366)]
    pub within_days: u16,
    /// How many slots to return.
    #[schema(minimum = 1, maximum = 200)]
    pub count: u16,
    /// Minutes; defaults to the type's duration.
    #[serde(default)]
    pub duration_minutes: Option<u32>,
    /// Mornings (starting before noon) or afternoons only; any time when left out.
    #[serde(default)]
    pub part: Option<DayPart>,
}

/// When in the day a patient can come ("mornings only").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayPart {
    Morning,
    Afternoon,
}

impl DayPart {
    /// Whether a slot starting `minute` after local midnight is in this part of the day.
    pub fn holds(self, minute: u32) -> bool {
        match self {
            DayPart::Morning => minute < 12 * 60,
            DayPart::Afternoon => minute >= 12 * 60,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Slot {
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    /// A free chair and provider for this time, ready to book.
    pub resource_ids: Vec<ResourceId>,
    pub label: String,
}

/// Merged, sorted busy intervals of one resource.
#[derive(Default)]
struct Busy(Vec<(i64, i64)>);

impl Busy {
    fn merge(mut v: Vec<(i64, i64)>) -> Busy {
        v.sort_unstable();
        let mut out: Vec<(i64, i64)> = Vec::with_capacity(v.len());
        for (s, e) in v {
            match out.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => out.push((s, e)),
            }
        }
        Busy(out)
    }
    fn is_free(&self, s: i64, e: i64) -> bool {
        let i = self.0.partition_point(|&(_, end)| end <= s);
        self.0.get(i).is_none_or(|&(bs, _)| bs >= e)
    }
}

fn candidates(
    ctx: &ReadCtx<'_>,
    kind: ResourceKind,
    only: Option<ResourceId>,
) -> CoreResult<Vec<Resource>> {
    if let Some(id) = only {
        let r = resources::get(ctx, id)?;
        if r.kind != kind {
            return Err(CoreError::invalid(
                "resource_ids",
                format!("{} is not a {}.", r.name, kind.as_str()),
            ));
        }
        return Ok(vec![r]);
    }
    Ok(resources::list(ctx, resources::ListResources::default())?
        .into_iter()
        .filter(|r| r.kind == kind)
        .collect())
}

pub fn find(ctx: &ReadCtx<'_>, req: FindSlots) -> CoreResult<Vec<Slot>> {
    let p = practice::require(ctx)?;
    if p.kind == PracticeKind::Hotel {
        return Err(CoreError::invalid(
            "type_id",
            "Hotels search free rooms by dates instead.",
        ));
    }
    if req.within_days == 0 || req.within_days > 366 {
        return Err(CoreError::invalid(
            "within_days",
            "Search between 1 and 366 days.",
        ));
    }
    if req.count == 0 || req.count > 200 {
        return Err(CoreError::invalid(
            "count",
            "Ask for between 1 and 200 slots.",
        ));
    }
    // Archived types are not searched: their slots could not be booked (a fuzz finding).
    let t = appointment_types::bookable(ctx, req.type_id)?;
    let minutes = req.duration_minutes.unwrap_or(t.duration_minutes);
    if minutes == 0 || minutes > 12 * 60 {
        return Err(CoreError::invalid(
            "duration_minutes",
            "The duration must be between 1 minute and 12 hours.",
        ));
    }
    let dur_ms = i64::from(minutes) * 60_000;
    let chairs = if t.needs_chair {
        candidates(ctx, ResourceKind::Chair, req.chair_id)?
    } else {
        vec![]
    };
    let providers = if t.needs_provider {
        candidates(ctx, ResourceKind::Provider, req.provider_id)?
    } else {
        vec![]
    };
    // A type may also need a room (a surgery suite, say): the slot finds one too.
    let rooms = if t.needs_room {
        candidates(ctx, ResourceKind::Room, None)?
    } else {
        vec![]
    };
    if (t.needs_chair && chairs.is_empty())
        || (t.needs_provider && providers.is_empty())
        || (t.needs_room && rooms.is_empty())
    {
        return Ok(vec![]);
    }
    let tz = p.tz();
    let first_day = req.from_date.date();
    let last_day = first_day
        .checked_add_days(Days::new(u64::from(req.within_days)))
        .unwrap_or(first_day);
    let window = (local_ms(tz, first_day, 0), local_ms(tz, last_day, 0));

    // Every busy interval of every candidate, in one query, plus blocked time.
    let mut busy_raw: HashMap<ResourceId, Vec<(i64, i64)>> = HashMap::new();
    for r in chairs.iter().chain(providers.iter()).chain(rooms.iter()) {
        let held = occupancy::held_times(
            ctx,
            occupancy::During {
                resource: r.id,
                kind: p.kind,
                from_ms: window.0,
                to_ms: window.1,
                except: None,
            },
        )?;
        busy_raw.entry(r.id).or_default().extend(held);
    }
    let mut practice_blocks = Vec::new();
    for b in blocks::overlapping(ctx, window.0, window.1)? {
        match b.resource_id {
            None => practice_blocks.push((b.starts_at_ms, b.ends_at_ms)),
            Some(r) => busy_raw
                .entry(r)
                .or_default()
                .push((b.starts_at_ms, b.ends_at_ms)),
        }
    }
    let practice_busy = Busy::merge(practice_blocks);
    let busy: HashMap<ResourceId, Busy> = busy_raw
        .into_iter()
        .map(|(k, v)| (k, Busy::merge(v)))
        .collect();
    let free = |r: &Resource, s: i64, e: i64| busy.get(&r.id).is_none_or(|b| b.is_free(s, e));
    // Providers only when they work (their rota inside the practice's hours).
    let rotas = rota::all_shifts(ctx)?;
    let works = |r: &Resource, s: i64, e: i64| {
        rotas
            .get(&r.id)
            .is_none_or(|shifts| working::within(&p, shifts, s, e))
    };

    // Walk each open interval in instants, from its first grid line: every
    // offered start is a distinct instant, a spring-forward gap is stepped
    // over, and a fall-back's repeated hour is offered twice.
    let grid = u32::from(p.slot_minutes);
    let grid_ms = i64::from(grid) * MINUTE_MS;
    let mut out = Vec::new();
    let mut date = first_day;
    while date < last_day && out.len() < usize::from(req.count) {
        if let Some(day) = p.hours_for(weekday(date)) {
            for (open, close) in open_minutes(day) {
                let close_ms = local_ms(tz, date, close);
                let mut s = local_ms(tz, date, open.div_ceil(grid) * grid);
                while s < close_ms && out.len() < usize::from(req.count) {
                    let e = s + dur_ms;
                    let start = s;
                    s += grid_ms;
                    if e > close_ms || start < ctx.now_ms || !practice_busy.is_free(start, e) {
                        continue;
                    }
                    if let Some(part) = req.part {
                        let local = crate::time::to_local(tz, start);
                        if !part.holds(local.hour() * 60 + local.minute()) {
                            continue;
                        }
                    }
                    let chair = chairs.iter().find(|c| free(c, start, e));
                    let provider = providers
                        .iter()
                        .find(|pr| free(pr, start, e) && works(pr, start, e));
                    let room = rooms.iter().find(|r| free(r, start, e));
                    if (t.needs_chair && chair.is_none())
                        || (t.needs_provider && provider.is_none())
                        || (t.needs_room && room.is_none())
                    {
                        continue;
                    }
                    let held: Vec<&Resource> =
                        chair.into_iter().chain(provider).chain(room).collect();
                    let names: Vec<&str> = held.iter().map(|r| r.name.as_str()).collect();
                    out.push(Slot {
                        starts_at_ms: start,
                        ends_at_ms: e,
                        resource_ids: held.iter().map(|r| r.id).collect(),
                        label: format!("{} · {}", fmt_span(p.clock(), start, e), names.join(" · ")),
                    });
                }
            }
        }
        date = match date.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// `is_free` agrees with a brute-force check against every interval.
        #[test]
        fn busy_lookup_matches_brute_force(
            raw in proptest::collection::vec((0i64..500, 1i64..60), 0..30),
            s in 0i64..560, len in 1i64..90,
        ) {
            let ivs: Vec<(i64, i64)> = raw.iter().map(|&(a, l)| (a, a + l)).collect();
            let busy = Busy::merge(ivs.clone());
            let e = s + len;
            let brute = ivs.iter().all(|&iv| !crate::intervals::overlaps(iv, (s, e)));
            prop_assert_eq!(busy.is_free(s, e), brute);
        }
    }
}
