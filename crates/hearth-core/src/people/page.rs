//! A person's page: who they are, what to know first (alerts), the next and
//! last visit, every booking and the no-show and cancellation counts. Opening
//! it is a write that changes nothing, so that who opened whose record, and
//! when, is in the audit trail.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::CoreResult;
use crate::ids::{BookingId, PersonId};
use crate::people::alerts::{self, Alert};
use crate::people::dates::{self, ImportantDate};
use crate::people::links::{self, Link};
use crate::people::notes::{self, Note};
use crate::people::records::{self, Person};

/// `open_person`: a person's page — recorded in the audit trail.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct OpenPerson {
    pub id: PersonId,
}

/// One visit on a person's page.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Visit {
    pub booking_id: BookingId,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub type_name: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct PersonPage {
    pub person: Person,
    /// What to know first, most serious first.
    pub alerts: Vec<Alert>,
    pub next_visit: Option<Visit>,
    pub last_visit: Option<Visit>,
    /// Every booking, newest first (at most 200).
    pub visits: Vec<Visit>,
    pub no_shows: u32,
    pub cancellations: u32,
    /// Birthdays, anniversaries and other dates worth marking.
    pub dates: Vec<ImportantDate>,
    /// Notes with their author, newest first.
    pub notes: Vec<Note>,
    /// Household links (partner, family).
    pub links: Vec<Link>,
    /// Duplicate records merged into this one, newest first.
    pub merged_from: Vec<MergeNote>,
    /// The structured preferences this practice offers.
    pub preference_choices: Vec<String>,
}

/// A duplicate merged into this record: whose, what moved, who and when.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct MergeNote {
    pub merged_id: PersonId,
    pub merged_name: String,
    /// How many bookings, alerts, notes, … moved ({"bookings": 2, …}).
    #[ts(type = "Record<string, number>")]
    #[schema(value_type = Object)]
    pub moved: serde_json::Value,
    pub by_name: Option<String>,
    pub at_ms: i64,
}

fn merges(ctx: &ReadCtx<'_>, id: PersonId) -> CoreResult<Vec<MergeNote>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT m.merged_id, m.merged_name, m.moved, s.name, m.at_ms FROM person_merges m LEFT JOIN staff s ON s.id = m.by_staff
          WHERE m.survivor_id = ?1 ORDER BY m.at_ms DESC, m.id DESC",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(MergeNote {
            merged_id: r.get(0)?,
            merged_name: r.get(1)?,
            moved: serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default(),
            by_name: r.get(3)?,
            at_ms: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn visits(ctx: &ReadCtx<'_>, id: PersonId) -> CoreResult<Vec<Visit>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT b.id, b.starts_at_ms, b.ends_at_ms, t.name, b.status FROM bookings b
           JOIN appointment_types t ON t.id = b.type_id
          WHERE b.person_id = ?1 ORDER BY b.starts_at_ms DESC LIMIT 200",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Visit {
            booking_id: r.get(0)?,
            starts_at_ms: r.get(1)?,
            ends_at_ms: r.get(2)?,
            type_name: r.get(3)?,
            status: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Opening a person's page: a write command that changes nothing, so that
/// opening a record is recorded in the audit trail (who, when, whose).
pub fn open(ctx: &mut Ctx<'_>, req: OpenPerson) -> CoreResult<PersonPage> {
    ctx.detail(serde_json::json!({ "person_id": req.id }));
    page(ctx, req)
}

/// A person's page as it is now (the open page refreshing itself).
pub fn page(ctx: &ReadCtx<'_>, req: OpenPerson) -> CoreResult<PersonPage> {
    let person = records::get(ctx, req.id)?;
    let visits = visits(ctx, req.id)?;
    let live = |v: &&Visit| !matches!(v.status.as_str(), "cancelled" | "no_show");
    let next_visit = visits
        .iter()
        .filter(live)
        .filter(|v| v.ends_at_ms > ctx.now_ms)
        .min_by_key(|v| v.starts_at_ms)
        .cloned();
    let last_visit = visits
        .iter()
        .filter(live)
        .find(|v| v.ends_at_ms <= ctx.now_ms)
        .cloned();
    let count = |s: &str| visits.iter().filter(|v| v.status == s).count() as u32;
    Ok(PersonPage {
        alerts: alerts::of(ctx, req.id)?,
        dates: dates::of(ctx, req.id)?,
        notes: notes::of(ctx, req.id)?,
        links: links::of(ctx, req.id)?,
        merged_from: merges(ctx, req.id)?,
        preference_choices: crate::setup::practice::load(ctx)?
            .map(|p| records::preference_choices(p.kind))
            .unwrap_or_default()
            .iter()
            .map(|c| (*c).to_owned())
            .collect(),
        no_shows: count("no_show"),
        cancellations: count("cancelled"),
        person,
        next_visit,
        last_visit,
        visits,
    })
}
