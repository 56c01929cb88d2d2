//! Scheduling: bookings over `[start, end)` on one or more resources, their
//! status rules, opening hours, the rule check every write goes through, and
//! slot search.
pub mod bookings;
pub mod hours;
pub mod rooms;
pub mod rules;
pub mod slots;
pub mod status;
pub mod time;

/// Whether two half-open intervals `[a0, a1)` and `[b0, b1)` share any instant.
pub fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}
