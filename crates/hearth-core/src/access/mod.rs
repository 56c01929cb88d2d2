//! Who is acting and what they may do: roles and permissions, passwords,
//! sessions and the sign-in lockout. This layer sits below the domains
//! (`setup`, `scheduling`): it knows the `staff` and `sessions` tables and
//! nothing about bookings. `commands::dispatch` checks each command's
//! permission here before the command runs; `gate` (above everything) is what
//! transports call to sign in and to run a command for a session.
pub mod passwords;
pub mod permissions;
pub mod sessions;
pub mod workstations;

pub use permissions::{Permission, StaffRole};
