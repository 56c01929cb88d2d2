//! hearth-core: Hearth's domain, store and commands. It knows nothing of Tauri
//! or HTTP; transports call [`commands::dispatch`] with the acting staff member.
//!
//! - [`store`]: the SQLite file, pragmas, migrations, one transaction per write.
//! - [`setup`]: practice, staff, resources, appointment types, blocked time.
//! - [`scheduling`]: bookings, status rules, opening hours, slot search.
//! - [`commands`]: the registry every transport dispatches through.
//! - [`events`]: what changed, published after each commit.
/// `as_str` and `parse` for an enum stored as text: each variant's word, and
/// unknown text read back as `$fallback` (a hand-edited file never fails a read).
macro_rules! stored_enum {
    ($t:ident, $fallback:ident { $($v:ident = $s:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $($t::$v => $s),* }
            }
            pub(crate) fn parse(s: &str) -> $t {
                match s { $($s => $t::$v,)* _ => $t::$fallback }
            }
        }
    };
}

/// A person's full name in SQL, from the `people` row aliased `$p` — the same
/// rule as `people::records::full_name` ("Given Family", or just "Given").
macro_rules! full_name_sql {
    ($p:literal) => {
        concat!(
            "CASE WHEN ",
            $p,
            ".family_name = '' THEN ",
            $p,
            ".given_name ELSE ",
            $p,
            ".given_name || ' ' || ",
            $p,
            ".family_name END"
        )
    };
}

/// The rank of a person's most serious live alert in SQL (critical 3, warning
/// 2, info 1; NULL when none), for the person id `$person` — read back with
/// `AlertSeverity::from_rank`. The calendar, search and the likely-match list
/// all mark a person with it.
macro_rules! most_serious_alert_sql {
    ($person:literal) => {
        concat!(
            "(SELECT max(CASE a.severity WHEN 'critical' THEN 3 WHEN 'warning' THEN 2 ELSE 1 END) \
               FROM person_alerts a WHERE a.person_id = ",
            $person,
            " AND a.removed = 0)"
        )
    };
}

pub mod access;
pub mod activity;
pub mod app;
pub mod audit;
pub mod bindings;
pub mod care;
pub mod clock;
pub mod commands;
pub mod demo;
pub mod error;
pub mod events;
pub mod gate;
pub mod ids;
pub mod instant;
pub mod intervals;
pub mod kind;
pub mod moving;
pub mod people;
pub mod request;
pub mod scheduling;
pub mod setup;
pub mod store;
pub mod text;
pub mod time;

pub use app::{Actor, Ctx, Hearth, ReadCtx};
pub use error::{CoreError, CoreResult, ErrorBody};
