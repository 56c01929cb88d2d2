//! The Activity screen's reads over the audit trail: who did what and when,
//! newest first, filtered by staff member, by booking, by person and by local
//! date, paged by id; and who has looked at a person's details. The trail itself (and its hash chain) is `audit::chain`'s.
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::ReadCtx;
use crate::audit::looks::{self, PersonLook};
use crate::error::{CoreError, CoreResult};
use crate::events::{topics, Change};
use crate::ids::{BookingId, PersonId, StaffId};
use crate::instant::LocalDate;
use crate::people::records;
use crate::setup::practice;
use crate::time::local_ms;

pub const PAGE: u32 = 50;

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct ListActivity {
    /// Only what this staff member did.
    #[serde(default)]
    #[ts(optional)]
    pub staff_id: Option<StaffId>,
    /// Only what touched this booking.
    #[serde(default)]
    #[ts(optional)]
    pub booking_id: Option<BookingId>,
    /// Only what touched or looked at this person.
    #[serde(default)]
    #[ts(optional)]
    pub person_id: Option<PersonId>,
    /// Local dates, inclusive.
    #[serde(default)]
    pub from: Option<LocalDate>,
    #[serde(default)]
    pub to: Option<LocalDate>,
    /// The page after this entry id (from the previous page's `next_before_id`).
    #[serde(default)]
    #[ts(optional)]
    pub before_id: Option<i64>,
    /// Entries per page, at most 200 (50 when left out).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct ActivityEntry {
    pub id: i64,
    pub at_ms: i64,
    pub staff_id: Option<StaffId>,
    pub staff_name: Option<String>,
    pub workstation: Option<String>,
    /// The command or sign-in step (`create_booking`, `sign_in`, …).
    pub action: String,
    /// `done`, or the refusal's code.
    pub outcome: String,
    pub entities: Vec<Change>,
    /// The person the entry is about, when it is one (a look, an opened record).
    pub person_id: Option<PersonId>,
    pub person_name: Option<String>,
    #[ts(type = "Record<string, unknown>")]
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct ActivityPage {
    pub entries: Vec<ActivityEntry>,
    /// Pass as `before_id` for the next (older) page; `None` at the end.
    pub next_before_id: Option<i64>,
}

pub fn list(ctx: &ReadCtx<'_>, req: ListActivity) -> CoreResult<ActivityPage> {
    let limit = req.limit.unwrap_or(PAGE);
    if !(1..=200).contains(&limit) {
        return Err(CoreError::invalid(
            "limit",
            "Ask for 1 to 200 entries at a time.",
        ));
    }
    let tz = practice::require(ctx)?.tz();
    let from_ms = req.from.map(|d| local_ms(tz, d.date(), 0));
    let to_ms = req.to.map(|d| local_ms(tz, d.date(), 1440));
    if let (Some(f), Some(t)) = (from_ms, to_ms) {
        if t <= f {
            return Err(CoreError::invalid(
                "to",
                "The last day must not be before the first.",
            ));
        }
    }
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT a.id, a.at_ms, a.staff_id, s.name, a.workstation, coalesce(a.command, a.action), a.outcome, a.entities, a.detail,
                p.id, p.given_name, p.family_name
           FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id
           LEFT JOIN people p ON p.id = (CASE WHEN a.entity = 'person' THEN a.entity_id
                                              ELSE json_extract(a.detail, '$.person_id') END)
          WHERE (?1 IS NULL OR a.staff_id = ?1)
            AND (?2 IS NULL OR EXISTS (
                  SELECT 1 FROM json_each(a.entities) e, json_each(e.value, '$.ids') i
                   WHERE json_extract(e.value, '$.topic') = ?3 AND i.value = ?2))
            AND (?4 IS NULL OR a.at_ms >= ?4)
            AND (?5 IS NULL OR a.at_ms < ?5)
            AND (?6 IS NULL OR a.id < ?6)
            AND (?8 IS NULL OR (a.entity = 'person' AND a.entity_id = ?8)
                 OR json_extract(a.detail, '$.person_id') = ?8
                 OR EXISTS (
                  SELECT 1 FROM json_each(a.entities) e, json_each(e.value, '$.ids') i
                   WHERE json_extract(e.value, '$.topic') = ?9 AND i.value = ?8))
          ORDER BY a.id DESC
          LIMIT ?7",
    )?;
    let rows = stmt.query_map(
        params![
            req.staff_id,
            req.booking_id,
            topics::BOOKING_CHANGED,
            from_ms,
            to_ms,
            req.before_id,
            i64::from(limit) + 1,
            req.person_id,
            topics::PERSON_CHANGED
        ],
        |r| {
            let person_id: Option<PersonId> = r.get(9)?;
            let name = |i: usize| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default);
            let person_name = match person_id {
                Some(_) => Some(records::full_name(&name(10)?, &name(11)?)),
                None => None,
            };
            // A hand-edited row shows as empty rather than failing the page;
            // the chain check reports it.
            Ok(ActivityEntry {
                id: r.get(0)?,
                at_ms: r.get(1)?,
                staff_id: r.get(2)?,
                staff_name: r.get(3)?,
                workstation: r.get(4)?,
                action: r.get(5)?,
                outcome: r.get(6)?,
                entities: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
                detail: serde_json::from_str(&r.get::<_, String>(8)?)
                    .unwrap_or(serde_json::Value::Null),
                person_id,
                person_name,
            })
        },
    )?;
    let mut entries = rows.collect::<Result<Vec<_>, _>>()?;
    let more = entries.len() > limit as usize;
    entries.truncate(limit as usize);
    Ok(ActivityPage {
        next_before_id: if more {
            entries.last().map(|e| e.id)
        } else {
            None
        },
        entries,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListPersonLooks {
    pub person_id: PersonId,
}

/// Who has looked at a person's details, through what, and when.
pub fn person_looks(ctx: &ReadCtx<'_>, req: ListPersonLooks) -> CoreResult<Vec<PersonLook>> {
    looks::of_person(ctx.tx, i64::from(req.person_id))
}
