//! Follow-ups from a handoff: the slots that satisfy the request — the
//! provider, a free chair, the type and its length, inside opening hours and
//! the window — earliest first; one of them booked in one step, completing
//! the handoff and linking the booking. When nothing fits it says so, with
//! the earliest slots after the window. While the request is being written,
//! how many fitting slots the window still has.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::care::handoffs::{self, FollowUpSpec, Handoff, HandoffAction, HandoffStatus};
use crate::error::{CoreError, CoreResult};
use crate::ids::{AppointmentTypeId, ResourceId};
use crate::instant::{Instant, LocalDate};
use crate::scheduling::bookings;
use crate::scheduling::slots::{self, FindSlots, Slot};
use crate::scheduling::window::Window;
use crate::time::fmt_day;

/// `propose_follow_up`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ProposeFollowUp {
    pub handoff_id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Proposal {
    pub window: Window,
    /// Slots inside the window, earliest first (at most 6).
    pub slots: Vec<Slot>,
    /// When none fit: the earliest slots after the window.
    pub alternatives: Vec<Slot>,
    /// In words: "3 slots fit …" or "No slot fits …".
    pub message: String,
}

/// `follow_up_capacity`: while writing the request.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct FollowUpCapacity {
    pub request: FollowUpSpec,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Capacity {
    pub window: Window,
    /// Fitting slots in the window (counted up to 50).
    pub fitting: u32,
    pub message: String,
}

/// `book_follow_up`: book one of the proposed slots and complete the handoff.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct BookFollowUp {
    pub handoff_id: i64,
    pub expected_version: i64,
    pub starts_at_ms: Instant,
    pub ends_at_ms: Instant,
    pub resource_ids: Vec<ResourceId>,
}

/// `take_back_follow_up`: a follow-up booked by mistake, undone soon after:
/// the booking is cancelled saying so and the handoff is open again.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TakeBackFollowUp {
    pub handoff_id: i64,
    pub expected_version: i64,
}

/// How long after booking a follow-up the Undo holds (as a cancellation's does).
const TAKE_BACK_MS: i64 = 15 * 60_000;

/// At most how many slots to count for the capacity line.
const COUNT_UP_TO: u16 = 50;

fn search(
    ctx: &ReadCtx<'_>,
    type_id: AppointmentTypeId,
    provider_id: Option<ResourceId>,
    minutes: u32,
    from: LocalDate,
    days: u16,
    count: u16,
) -> CoreResult<Vec<Slot>> {
    slots::find(
        ctx,
        FindSlots {
            type_id,
            provider_id,
            chair_id: None,
            from_date: from,
            within_days: days,
            count,
            duration_minutes: Some(minutes),
            part: None,
        },
    )
}

fn between(w: &Window) -> String {
    format!(
        "between {} and {}",
        w.from.date().format("%a %-d %b"),
        w.to.date().format("%a %-d %b")
    )
}

pub fn capacity(ctx: &ReadCtx<'_>, req: FollowUpCapacity) -> CoreResult<Capacity> {
    let (minutes, w) = handoffs::check_follow_up(ctx, &req.request)?;
    let found = search(
        ctx,
        req.request.type_id,
        req.request.provider_id,
        minutes,
        w.from,
        w.days(),
        COUNT_UP_TO,
    )?;
    let n = found.len() as u32;
    let message = match n {
        0 => format!("No slot fits {} — say so before they leave.", between(&w)),
        1 => format!("1 slot left {}.", between(&w)),
        n if n >= u32::from(COUNT_UP_TO) => format!("{n}+ slots {}.", between(&w)),
        n => format!("{n} slots {}.", between(&w)),
    };
    Ok(Capacity {
        window: w,
        fitting: n,
        message,
    })
}

fn follow_up_of(h: &Handoff) -> CoreResult<&handoffs::FollowUp> {
    match (&h.action, &h.follow_up) {
        (HandoffAction::FollowUp, Some(f)) => Ok(f),
        _ => Err(CoreError::invalid(
            "handoff_id",
            "That handoff does not ask for a follow-up.",
        )),
    }
}

pub fn propose(ctx: &ReadCtx<'_>, req: ProposeFollowUp) -> CoreResult<Proposal> {
    let h = handoffs::get(ctx, req.handoff_id)?;
    let f = follow_up_of(&h)?;
    let today = handoffs::today(ctx)?;
    let from = if f.window.from.date() < today {
        LocalDate::new(today).unwrap_or(f.window.from)
    } else {
        f.window.from
    };
    let w = Window {
        from,
        to: f.window.to.max(from),
    };
    let slots = search(
        ctx,
        f.type_id,
        f.provider_id,
        f.duration_minutes,
        w.from,
        w.days(),
        6,
    )?;
    let (alternatives, message) = if slots.is_empty() {
        let after = LocalDate::new(w.to.date() + chrono::Duration::days(1)).unwrap_or(w.to);
        let alt = search(
            ctx,
            f.type_id,
            f.provider_id,
            f.duration_minutes,
            after,
            120,
            3,
        )?;
        let who = f
            .provider_name
            .as_deref()
            .map(|p| format!(" with {p}"))
            .unwrap_or_default();
        let msg = match alt.first() {
            Some(first) => format!(
                "No {} of {} min{who} fits {}. The earliest after it is {} — or put them on the waitlist.",
                f.type_name,
                f.duration_minutes,
                between(&w),
                first.label
            ),
            None => format!(
                "No {} of {} min{who} fits {}, nor in the four months after it. Put them on the waitlist.",
                f.type_name,
                f.duration_minutes,
                between(&w)
            ),
        };
        (alt, msg)
    } else {
        let n = slots.len();
        (
            vec![],
            format!(
                "{n} slot{} fit{} {}.",
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" },
                between(&w)
            ),
        )
    };
    Ok(Proposal {
        window: w,
        slots,
        alternatives,
        message,
    })
}

pub fn book(ctx: &mut Ctx<'_>, req: BookFollowUp) -> CoreResult<Handoff> {
    ctx.require(crate::access::Permission::Book)?;
    let h = handoffs::get(ctx, req.handoff_id)?;
    if h.version != req.expected_version {
        return Err(CoreError::Stale {
            message: "This handoff was just changed on another desk. It has been reloaded — check it and try again.".into(),
        });
    }
    if matches!(h.status, HandoffStatus::Done | HandoffStatus::Declined) {
        return Err(CoreError::BadTransition {
            message: format!(
                "This follow-up was already dealt with by {}.",
                h.closed_by_name.clone().unwrap_or_else(|| "someone".into())
            ),
        });
    }
    let f = follow_up_of(&h)?.clone();
    let person = h.person_id.ok_or_else(|| {
        CoreError::invalid(
            "handoff_id",
            "That handoff does not say who the follow-up is for.",
        )
    })?;
    let booked = bookings::book_person(
        ctx,
        person,
        f.type_id,
        req.resource_ids,
        (req.starts_at_ms, req.ends_at_ms),
        h.body.clone(),
    )?;
    let p = crate::setup::practice::require(ctx)?;
    let outcome = format!(
        "Booked {} {}",
        f.type_name,
        fmt_day(p.tz(), booked.starts_at_ms)
    ) + &format!(" {}", crate::time::fmt_time(p.clock(), booked.starts_at_ms));
    handoffs::finish(ctx, h.id, HandoffStatus::Done, &outcome, Some(booked.id))?;
    handoffs::get(ctx, h.id)
}

pub fn take_back(ctx: &mut Ctx<'_>, req: TakeBackFollowUp) -> CoreResult<Handoff> {
    ctx.require(crate::access::Permission::Book)?;
    let h = handoffs::get(ctx, req.handoff_id)?;
    if h.version != req.expected_version {
        return Err(CoreError::Stale {
            message: "This handoff was just changed on another desk. It has been reloaded — check it and try again.".into(),
        });
    }
    let (HandoffStatus::Done, Some(booking)) = (h.status, h.result_booking_id) else {
        return Err(CoreError::BadTransition {
            message:
                "This follow-up was not booked from its handoff, so there is nothing to take back."
                    .into(),
        });
    };
    if h.closed_at_ms
        .is_none_or(|at| ctx.now_ms - at > TAKE_BACK_MS)
    {
        return Err(CoreError::BadTransition {
            message: "It was booked more than 15 minutes ago: cancel the appointment itself if it is not wanted.".into(),
        });
    }
    let b = bookings::get(ctx, bookings::GetBooking { id: booking })?;
    if b.status.is_live() {
        bookings::cancel(
            ctx,
            bookings::CancelBooking {
                id: booking,
                expected_version: b.version,
                reason: "Booked by mistake: taken back at once".into(),
            },
        )?;
    }
    handoffs::reopen(ctx, h.id)?;
    handoffs::get(ctx, h.id)
}
