//! Booking status and its valid transitions. One rule set for both practice
//! kinds; the kind only decides which arrival/departure words apply
//! (dental: arrived → in treatment → completed; hotel: checked in → checked out).
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::setup::practice::PracticeKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    Confirmed,
    Arrived,
    InTreatment,
    CheckedIn,
    Completed,
    CheckedOut,
    Cancelled,
    NoShow,
}

use BookingStatus::*;

impl BookingStatus {
    pub const ALL: [BookingStatus; 9] = [
        Booked,
        Confirmed,
        Arrived,
        InTreatment,
        CheckedIn,
        Completed,
        CheckedOut,
        Cancelled,
        NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Booked => "booked",
            Confirmed => "confirmed",
            Arrived => "arrived",
            InTreatment => "in_treatment",
            CheckedIn => "checked_in",
            Completed => "completed",
            CheckedOut => "checked_out",
            Cancelled => "cancelled",
            NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> CoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| CoreError::Storage(format!("unknown status {s}")))
    }

    /// A live booking holds its resources; cancelled and no-show ones free them.
    pub fn is_live(self) -> bool {
        !matches!(self, Cancelled | NoShow)
    }

    /// Finished: no more moves or edits.
    pub fn is_final(self) -> bool {
        matches!(self, Completed | CheckedOut | Cancelled)
    }

    pub fn label(self, kind: PracticeKind) -> &'static str {
        match (self, kind) {
            (Booked, _) => "booked",
            (Confirmed, _) => "confirmed",
            (Arrived, _) => "arrived",
            (InTreatment, _) => "in treatment",
            (CheckedIn, _) => "checked in",
            (Completed, _) => "completed",
            (CheckedOut, _) => "checked out",
            (Cancelled, _) => "cancelled",
            (NoShow, _) => "no-show",
        }
    }

    /// Whether this status is used by the practice kind at all.
    pub fn applies_to(self, kind: PracticeKind) -> bool {
        match kind {
            PracticeKind::Dental => !matches!(self, CheckedIn | CheckedOut),
            PracticeKind::Hotel => !matches!(self, Arrived | InTreatment | Completed),
        }
    }
}

/// The statuses a booking may move to from `from`, for this kind of practice.
/// Cancelling has its own command (it needs a reason) and is not listed here.
pub fn next_statuses(kind: PracticeKind, from: BookingStatus) -> Vec<BookingStatus> {
    let all: &[BookingStatus] = match from {
        Booked => &[Confirmed, Arrived, CheckedIn, NoShow],
        Confirmed => &[Booked, Arrived, CheckedIn, NoShow],
        // Undo a mistaken arrival; or straight to done for a quick visit.
        Arrived => &[InTreatment, Completed, Booked],
        InTreatment => &[Completed, Arrived],
        CheckedIn => &[CheckedOut, Booked],
        // A no-show marked by mistake can be restored (the slot is re-checked).
        NoShow => &[Booked],
        Completed | CheckedOut | Cancelled => &[],
    };
    all.iter().copied().filter(|s| s.applies_to(kind)).collect()
}

/// What the clock says about a booking's status changes: arrival or check-in
/// only from `arrive_from_ms` (the early window, never before the booking's
/// own local day) until `arrive_until_ms` (the end of that day for an
/// appointment, the departure for a stay); a no-show only once it has started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusClock {
    pub now_ms: i64,
    pub arrive_from_ms: i64,
    pub arrive_until_ms: i64,
    pub starts_at_ms: i64,
}

/// Why the clock refuses a status change now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockRefusal {
    /// Arrival before the window opens (at `from_ms`).
    TooEarly { from_ms: i64 },
    /// Arrival after the booking's day (or stay) is over.
    TooLate,
    /// A no-show before the booking has started.
    NotStartedYet,
}

/// Whether the clock allows moving from `from` to `to` now (the transition
/// itself is checked by [`check_transition`]). Only arriving and no-shows are
/// clock questions; undoing an arrival or finishing a visit never is.
pub fn clock_allows(
    from: BookingStatus,
    to: BookingStatus,
    c: &StatusClock,
) -> Result<(), ClockRefusal> {
    if !matches!(from, Booked | Confirmed) {
        return Ok(());
    }
    match to {
        Arrived | CheckedIn if c.now_ms < c.arrive_from_ms => Err(ClockRefusal::TooEarly {
            from_ms: c.arrive_from_ms,
        }),
        Arrived | CheckedIn if c.now_ms >= c.arrive_until_ms => Err(ClockRefusal::TooLate),
        NoShow if c.now_ms < c.starts_at_ms => Err(ClockRefusal::NotStartedYet),
        _ => Ok(()),
    }
}

/// [`next_statuses`] less what the clock refuses now: what the UI offers.
pub fn next_statuses_now(
    kind: PracticeKind,
    from: BookingStatus,
    c: &StatusClock,
) -> Vec<BookingStatus> {
    next_statuses(kind, from)
        .into_iter()
        .filter(|&to| clock_allows(from, to, c).is_ok())
        .collect()
}

/// Why a booking in this status can't be cancelled, with what to do instead.
pub fn cancel_refusal(kind: PracticeKind, from: BookingStatus) -> Option<&'static str> {
    match (kind, from) {
        (_, Arrived | InTreatment) => Some(
            "has already arrived, so the visit can't be cancelled. Mark it completed when it ends, or undo the arrival first if it was marked by mistake.",
        ),
        (_, CheckedIn) => Some(
            "is checked in, so the stay can't be cancelled. Check the guest out instead (an early departure), or undo the check-in first if it was marked by mistake.",
        ),
        _ => None,
    }
}

pub fn check_transition(
    kind: PracticeKind,
    from: BookingStatus,
    to: BookingStatus,
) -> CoreResult<()> {
    if from == to {
        return Err(CoreError::BadTransition {
            message: format!("It is already marked {}.", from.label(kind)),
        });
    }
    if to == Cancelled {
        return Err(CoreError::BadTransition {
            message: "Use Cancel, which asks for a reason.".into(),
        });
    }
    if next_statuses(kind, from).contains(&to) {
        Ok(())
    } else {
        Err(CoreError::BadTransition {
            message: format!(
                "A booking marked {} can't be marked {}.",
                from.label(kind),
                to.label(kind)
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dental_day_runs_booked_arrived_treatment_completed() {
        let k = PracticeKind::Dental;
        assert!(check_transition(k, Booked, Arrived).is_ok());
        assert!(check_transition(k, Arrived, InTreatment).is_ok());
        assert!(check_transition(k, InTreatment, Completed).is_ok());
        assert!(check_transition(k, Booked, CheckedIn).is_err());
    }

    #[test]
    fn hotel_stay_runs_booked_checked_in_checked_out() {
        let k = PracticeKind::Hotel;
        assert!(check_transition(k, Confirmed, CheckedIn).is_ok());
        assert!(check_transition(k, CheckedIn, CheckedOut).is_ok());
        assert!(check_transition(k, Booked, Arrived).is_err());
    }

    fn any_status() -> impl Strategy<Value = BookingStatus> {
        proptest::sample::select(BookingStatus::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn nothing_leaves_a_final_status(from in any_status(), to in any_status()) {
            for kind in [PracticeKind::Dental, PracticeKind::Hotel] {
                if from.is_final() {
                    prop_assert!(check_transition(kind, from, to).is_err());
                }
            }
        }

        #[test]
        fn every_allowed_target_applies_to_the_kind(from in any_status()) {
            for kind in [PracticeKind::Dental, PracticeKind::Hotel] {
                for to in next_statuses(kind, from) {
                    prop_assert!(to.applies_to(kind));
                    prop_assert!(to != Cancelled && to != from);
                }
            }
        }
    }

    const H: i64 = 3_600_000;

    /// A 10:00 appointment on a day whose local midnight is 0, early window 2 h.
    fn clock_at(now_h: i64) -> StatusClock {
        StatusClock {
            now_ms: now_h * H,
            arrive_from_ms: 8 * H,
            arrive_until_ms: 24 * H,
            starts_at_ms: 10 * H,
        }
    }

    #[test]
    fn arrival_waits_for_the_early_window_of_the_booking_day() {
        let k = PracticeKind::Dental;
        // Midnight before an 08:00–10:00 window: no arrival (the defect: it was offered).
        assert!(!next_statuses_now(k, Booked, &clock_at(0)).contains(&Arrived));
        assert_eq!(
            clock_allows(Booked, Arrived, &clock_at(0)),
            Err(ClockRefusal::TooEarly { from_ms: 8 * H })
        );
        assert!(next_statuses_now(k, Booked, &clock_at(8)).contains(&Arrived));
        assert!(next_statuses_now(k, Confirmed, &clock_at(23)).contains(&Arrived));
        // The next day is too late.
        assert_eq!(
            clock_allows(Booked, Arrived, &clock_at(24)),
            Err(ClockRefusal::TooLate)
        );
        // Yesterday's booking (window in the future) is not arrived today either.
        assert!(!next_statuses_now(k, Booked, &clock_at(-20)).contains(&Arrived));
    }

    #[test]
    fn a_no_show_only_once_the_booking_has_started() {
        let k = PracticeKind::Hotel;
        assert!(!next_statuses_now(k, Booked, &clock_at(9)).contains(&NoShow));
        assert!(next_statuses_now(k, Booked, &clock_at(10)).contains(&NoShow));
    }

    #[test]
    fn undoing_an_arrival_and_finishing_are_not_clock_questions() {
        let k = PracticeKind::Dental;
        let late = clock_at(30);
        assert_eq!(
            next_statuses_now(k, Arrived, &late),
            next_statuses(k, Arrived)
        );
        assert_eq!(
            next_statuses_now(k, InTreatment, &late),
            next_statuses(k, InTreatment)
        );
        let h = PracticeKind::Hotel;
        assert_eq!(
            next_statuses_now(h, CheckedIn, &late),
            next_statuses(h, CheckedIn)
        );
    }

    #[test]
    fn a_visit_under_way_is_not_cancelled() {
        for (k, s) in [
            (PracticeKind::Dental, Arrived),
            (PracticeKind::Dental, InTreatment),
            (PracticeKind::Hotel, CheckedIn),
        ] {
            assert!(cancel_refusal(k, s).is_some());
        }
        assert!(cancel_refusal(PracticeKind::Dental, Booked).is_none());
        assert!(cancel_refusal(PracticeKind::Hotel, Confirmed).is_none());
    }
}
