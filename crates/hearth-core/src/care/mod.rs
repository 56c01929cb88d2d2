//! What the practice does for its people around a booking: tasks (made by
//! hand or by rules), incidents remembered on later visits, and the arrival
//! card that puts it all in front of the desk; handoffs between staff,
//! follow-ups, the waitlist and recall (who is due back); merging two records
//! of one person and their data on request (export, erasure), which touch all
//! of it through one list of what is held about a person (`person_data`).
//! `follow` is where bookings, occasions and important dates set these off.
pub mod arrival;
pub mod follow;
pub mod followups;
pub mod handoffs;
pub mod incidents;
pub mod merge;
pub mod myday;
pub mod person_data;
pub mod privacy;
pub mod recall;
pub mod tasks;
pub mod waitlist;
