//! "Is this chair, provider or room busy?": the one question asked of what
//! holds a resource over a time — the live bookings in `booking_resources`,
//! read through its partial index on `(resource_id, ends_at_ms)` and bounded
//! on both sides by the longest booking the practice allows
//! ([`max_length_ms`]), so a question about today costs the same ten years
//! into the practice's history. The rule check (a clash), slot search (busy
//! intervals), the room search and the booking dialog's "free / taken" all
//! ask here. Blocked time is `setup::blocks`' to say.
use rusqlite::{params, OptionalExtension};

use crate::app::ReadCtx;
use crate::error::CoreResult;
use crate::ids::{BookingId, ResourceId};
use crate::intervals::max_length_ms;
use crate::setup::practice::PracticeKind;

/// The one condition: `?1` resource, `[?2, ?3)` the time, `?4` the longest
/// booking, `?5` a booking not to count (the one being moved), or NULL.
macro_rules! held_during {
    () => {
        "br.resource_id = ?1 AND br.live = 1 AND br.ends_at_ms > ?2 AND br.ends_at_ms < ?3 + ?4
            AND br.starts_at_ms < ?3 AND br.booking_id IS NOT ?5"
    };
}

/// What a resource is asked about: which one, when, in which kind of
/// practice, and which booking (the one being moved) not to count.
#[derive(Debug, Clone, Copy)]
pub struct During {
    pub resource: ResourceId,
    pub kind: PracticeKind,
    pub from_ms: i64,
    pub to_ms: i64,
    pub except: Option<BookingId>,
}

impl During {
    fn params(&self) -> [i64; 5] {
        [
            i64::from(self.resource),
            self.from_ms,
            self.to_ms,
            max_length_ms(self.kind),
            self.except.map_or(-1, i64::from),
        ]
    }
}

/// The booking that holds a resource: who, and from when to when.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    pub booking_id: BookingId,
    pub person_name: String,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
}

/// The earliest live booking holding the resource during the time, if any.
pub fn first_holder(ctx: &ReadCtx<'_>, q: During) -> CoreResult<Option<Holder>> {
    let mut stmt = ctx.tx.prepare_cached(concat!(
        "SELECT b.id, b.person_name, br.starts_at_ms, br.ends_at_ms
           FROM booking_resources br JOIN bookings b ON b.id = br.booking_id WHERE ",
        held_during!(),
        " ORDER BY br.starts_at_ms LIMIT 1"
    ))?;
    let [r, s, e, max, except] = q.params();
    Ok(stmt
        .query_row(params![r, s, e, max, except], |row| {
            Ok(Holder {
                booking_id: row.get(0)?,
                person_name: row.get(1)?,
                starts_at_ms: row.get(2)?,
                ends_at_ms: row.get(3)?,
            })
        })
        .optional()?)
}

/// Whether any live booking holds the resource during the time.
pub fn is_busy(ctx: &ReadCtx<'_>, q: During) -> CoreResult<bool> {
    let mut stmt = ctx.tx.prepare_cached(concat!(
        "SELECT EXISTS (SELECT 1 FROM booking_resources br WHERE ",
        held_during!(),
        ")"
    ))?;
    let [r, s, e, max, except] = q.params();
    Ok(stmt.query_row(params![r, s, e, max, except], |row| row.get(0))?)
}

/// Every `[start, end)` the resource is held during the time (overlapping it,
/// not clipped to it), in no particular order.
pub fn held_times(ctx: &ReadCtx<'_>, q: During) -> CoreResult<Vec<(i64, i64)>> {
    let mut stmt = ctx.tx.prepare_cached(concat!(
        "SELECT br.starts_at_ms, br.ends_at_ms FROM booking_resources br WHERE ",
        held_during!()
    ))?;
    let [r, s, e, max, except] = q.params();
    let rows = stmt.query_map(params![r, s, e, max, except], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_question_reads_the_busy_index_on_a_range_of_ends() {
        // The plan SQLite picks: the partial busy index, searched on the
        // resource and a range of ends, never a scan of the table.
        let mut conn = rusqlite::Connection::open_in_memory().expect("memory");
        crate::store::migrations::migrate(&mut conn).expect("schema");
        for sql in [
            concat!(
                "SELECT b.id FROM booking_resources br JOIN bookings b ON b.id = br.booking_id WHERE ",
                held_during!()
            ),
            concat!("SELECT 1 FROM booking_resources br WHERE ", held_during!()),
        ] {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .expect("plan")
                .query_map(params![1, 0, 1, 1, -1], |r| r.get::<_, String>(3))
                .expect("plan")
                .collect::<Result<_, _>>()
                .expect("plan");
            let plan = plan.join(" | ");
            assert!(
                plan.contains("booking_resources_busy")
                    && plan.contains("ends_at_ms>? AND ends_at_ms<?"),
                "{plan}"
            );
        }
    }
}
