//! Intervals and the bounds every range query relies on: bookings and blocked
//! time are half-open `[start, end)` in UTC milliseconds; no stored booking is
//! longer than [`max_length_ms`], so a range query can bound its index scan
//! on `ends_at_ms` from both sides; no list request reads more than
//! [`LIST_RANGE`]. Shared by `setup` (blocked time) and `scheduling`.
use crate::instant::{SpanFields, DAY_MS, HOUR_MS};
use crate::kind::PracticeKind;

/// Whether two half-open intervals `[a0, a1)` and `[b0, b1)` share any instant.
pub fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// The longest a timed appointment may last.
pub const MAX_APPOINTMENT_MS: i64 = 12 * HOUR_MS;
/// The most nights a stay may last.
pub const MAX_STAY_NIGHTS: i64 = 365;

/// An upper bound on any stored booking's length for this kind of practice.
/// Range queries use it to bound their index scan on `ends_at_ms` from both
/// sides (`ends_at_ms < to + max`), so reading a day costs the same today as
/// ten years into the practice's history.
pub fn max_length_ms(kind: PracticeKind) -> i64 {
    match kind {
        PracticeKind::Dental => MAX_APPOINTMENT_MS,
        // Nights plus the gap between check-in and check-out times, with slack.
        PracticeKind::Hotel => (MAX_STAY_NIGHTS + 2) * DAY_MS,
    }
}

/// The longest range one list request may read.
pub const LIST_RANGE: SpanFields<'static> = SpanFields {
    start: "from_ms",
    end: "to_ms",
    what: "One view",
    max_ms: 400 * DAY_MS,
    max_text: "about a year (400 days)",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_open_intervals_that_only_touch_do_not_overlap() {
        assert!(overlaps((0, 10), (9, 20)));
        assert!(!overlaps((0, 10), (10, 20)));
        assert!(!overlaps((10, 20), (0, 10)));
    }
}
