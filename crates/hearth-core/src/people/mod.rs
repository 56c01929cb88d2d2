//! Patients and guests: one record per person (`records.rs`, the `people`
//! table), found by any part of a name, phone digits, e-mail or date of birth
//! (`search.rs`, over the trigram index the schema keeps in step). Bookings
//! point at a person; `likely.rs` holds the rules for who a typed name could
//! already be (a booking typed with a known name is asked about, not made a
//! second record), and `duplicates.rs` the pairs already made, to merge or
//! keep apart. Alerts, important
//! dates, notes and household links hang off a person, each in its module.
pub mod alerts;
pub mod dates;
pub mod duplicates;
pub mod likely;
pub mod links;
pub mod notes;
pub mod page;
pub mod phones;
pub mod records;
pub mod search;

use rusqlite::OptionalExtension;

use crate::app::ReadCtx;
use crate::error::{CoreError, CoreResult};
use crate::ids::PersonId;

/// Whose live (not removed) row `id` of `table` is — before removing it;
/// `what` names it for "not found" ("That note").
pub(crate) fn owner_of_live(
    ctx: &ReadCtx<'_>,
    table: &'static str,
    id: i64,
    what: &str,
) -> CoreResult<PersonId> {
    ctx.tx
        .query_row(
            &format!("SELECT person_id FROM {table} WHERE id = ?1 AND removed = 0"),
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found(what))
}
