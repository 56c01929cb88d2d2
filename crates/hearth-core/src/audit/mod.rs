//! The audit trail: who did what, when, from which session and workstation,
//! and with what outcome — kept as a SHA-256 hash chain so that an entry
//! edited, deleted or inserted behind the app's back shows. `chain` owns the
//! `audit_log` and `audit_head` tables; `Hearth::write` appends one entry per
//! write command, and refusals of sign-in or permission add their own —
//! coalesced by `refusals`, so a flood of them stays cheap and readable; and
//! every look at a person's details is recorded, coalesced, by `looks`.
pub mod chain;
pub mod looks;
pub mod refusals;

pub use chain::{append, verify, Entry, Verdict};
