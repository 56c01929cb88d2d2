//! Who is acting and what they may do and see: roles and permissions, what
//! each role may see of a person (`disclosure`), passwords,
//! sessions and the sign-in lockout. This layer sits below the domains
//! (`setup`, `scheduling`): it knows the `staff` and `sessions` tables and
//! nothing about bookings. `commands::dispatch` checks each command's
//! permission here before the command runs; `gate` (above everything) is what
//! transports call to sign in and to run a command for a session.
pub mod disclosure;
pub mod passwords;
pub mod permissions;
pub mod sessions;
pub mod workstations;

pub use permissions::{Permission, StaffRole};
