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

pub fn check_transition(
    kind: PracticeKind,
    from: BookingStatus,
    to: BookingStatus,
) -> CoreResult<()> {
    if from == to {
        return Err(CoreError::BadTransition {
            message: format!("It is already {}.", from.label(kind)),
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
                "A {} booking can't be marked {}.",
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
}
