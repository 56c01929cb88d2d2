//! Typed ids: a room's id cannot be passed where a staff member's goes. Each is
//! an `i64` on the wire and in SQL (serde `transparent`, rusqlite `ToSql` /
//! `FromSql`) and a plain `number` in TypeScript (`export type StaffId = number`).
//!
//! ```compile_fail
//! use hearth_core::ids::{ResourceId, StaffId};
//! fn archive(_staff: StaffId) {}
//! archive(ResourceId(3)); // a chair's id where a staff member's goes: refused
//! ```
//!
//! ```
//! use hearth_core::ids::StaffId;
//! let id: StaffId = serde_json::from_str("3").expect("a plain number on the wire");
//! assert_eq!(serde_json::to_string(&id).expect("json"), "3");
//! ```
use std::fmt;

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS,
            utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(v).map($name)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

ids! {
    /// A staff member.
    StaffId;
    /// A chair, room or provider.
    ResourceId;
    RoomTypeId;
    AppointmentTypeId;
    /// Blocked time or closed days.
    BlockId;
    /// An appointment or a stay.
    BookingId;
    /// A patient or guest.
    PersonId;
    /// A preparation or follow-up task.
    TaskId;
    /// Something that went wrong during a visit or stay.
    IncidentId;
}
