//! Recall: who is due back. A patient whose last completed visit of a type
//! with a recall interval (the six-month check-up) is due or overdue, and a
//! hotel's regular guest past their usual return interval — each with the
//! last visit, the next booking if any, open and remembered incidents, how
//! to reach them, and the desk's last call about it. The calls are kept
//! (`recall_contacts`): reached, no answer, left a message, declined, with a
//! day to call again until which the recall rests. A recall is settled by a
//! booking of its kind, and comes back by itself after the next visit.
use chrono::{Months, NaiveDate};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::care::incidents::IncidentSeverity;
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{AppointmentTypeId, BookingId, IncidentId, PersonId, ResourceId};
use crate::instant::LocalDate;
use crate::people::records::{self, Consent};
use crate::setup::practice::{self, PracticeKind};
use crate::setup::{appointment_types, clean_text};
use crate::time::local_date;

/// `list_recall`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListRecall {
    /// Also those due within this many days from today (default 30, at most 365).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 365)]
    pub within_days: Option<u16>,
    /// Also those already booked, and those resting after a call.
    #[serde(default)]
    pub include_settled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecallState {
    /// Past the day they were due.
    Overdue,
    /// Due within the days asked for.
    Due,
    /// A visit of the kind is already booked.
    Booked,
    /// The desk called: resting until the day to call again (or declined).
    Resting,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct RecallVisit {
    pub booking_id: BookingId,
    pub starts_at_ms: i64,
    pub type_name: String,
    /// The provider (dental) or room (hotel) it held.
    pub with: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct RecallIncident {
    pub id: IncidentId,
    pub what: String,
    pub severity: IncidentSeverity,
    /// Resolved (and remembered on visits), or still open.
    pub resolved: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecallOutcome {
    /// Spoke to them.
    Reached,
    NoAnswer,
    LeftMessage,
    /// They do not want to come back now.
    Declined,
}

stored_enum!(RecallOutcome, Reached { Reached = "reached", NoAnswer = "no_answer", LeftMessage = "left_message", Declined = "declined" });

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct RecallContact {
    pub id: i64,
    pub person_id: PersonId,
    pub type_id: Option<AppointmentTypeId>,
    pub outcome: RecallOutcome,
    pub note: String,
    pub call_again_on: Option<LocalDate>,
    pub at_ms: i64,
    pub by_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct RecallDue {
    pub person_id: PersonId,
    pub person_name: String,
    pub phone: String,
    pub consent: Consent,
    /// The recall's appointment type; `None` for a regular guest.
    pub type_id: Option<AppointmentTypeId>,
    /// "Check-up every 6 months", "Stays about every 3 months (4 stays)".
    pub reason: String,
    pub last_visit: RecallVisit,
    /// The provider of the last visit, to search slots with.
    pub provider_id: Option<ResourceId>,
    pub due_on: LocalDate,
    /// Days past the due day; negative: due in that many days.
    pub days_overdue: i64,
    pub state: RecallState,
    pub next_booking: Option<RecallVisit>,
    /// Open incidents, and resolved ones remembered on future visits; newest first.
    pub incidents: Vec<RecallIncident>,
    /// The desk's last call since the last visit.
    pub last_contact: Option<RecallContact>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct RecallList {
    pub today: LocalDate,
    pub overdue: u32,
    pub due: u32,
    /// Overdue first (longest overdue first), then due soonest, then the settled.
    pub items: Vec<RecallDue>,
    /// Left off the end (the list shows at most 300).
    pub more: u32,
}

/// `note_recall_contact`: the desk called about a recall.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct NoteRecallContact {
    pub person_id: PersonId,
    /// The recall's type; none for a regular guest.
    #[serde(default)]
    pub type_id: Option<AppointmentTypeId>,
    pub outcome: RecallOutcome,
    #[serde(default)]
    pub note: String,
    /// Rest the recall until this day.
    #[serde(default)]
    pub call_again_on: Option<LocalDate>,
}

const SHOWN: usize = 300;
/// A guest is a regular when their stays come back at least this far apart.
const REGULAR_MIN_DAYS: i64 = 28;

/// One recall before its details are read.
struct Candidate {
    person: PersonId,
    type_id: Option<AppointmentTypeId>,
    reason: String,
    last: BookingId,
    last_start: i64,
    due_on: NaiveDate,
}

/// The day a visit on `last` recalls `months` later (the month's last day
/// when it is shorter: 31 Aug + 6 months is 28 or 29 Feb).
pub fn due_after(last: NaiveDate, months: u8) -> Option<NaiveDate> {
    last.checked_add_months(Months::new(u32::from(months)))
}

/// The usual gap between arrivals in days (the median), when they form a
/// rhythm of at least [`REGULAR_MIN_DAYS`].
pub fn usual_interval(arrivals: &[NaiveDate]) -> Option<i64> {
    let mut gaps: Vec<i64> = arrivals
        .windows(2)
        .map(|w| (w[1] - w[0]).num_days())
        .filter(|d| *d > 0)
        .collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    let mid = gaps.len() / 2;
    let median = if gaps.len().is_multiple_of(2) {
        (gaps[mid - 1] + gaps[mid]) / 2
    } else {
        gaps[mid]
    };
    (median >= REGULAR_MIN_DAYS).then_some(median)
}

/// "every 6 weeks", "about every 3 months".
fn interval_words(days: i64) -> String {
    match days {
        d if d < 56 => format!("every {} weeks", (d + 3) / 7),
        d if d < 700 => format!("about every {} months", (d as f64 / 30.44).round() as i64),
        d => format!("about every {} years", (d as f64 / 365.25).round() as i64),
    }
}

const PERSON_OK: &str = "p.archived = 0 AND p.merged_into IS NULL AND p.erased_at_ms IS NULL";

fn treatment_candidates(ctx: &ReadCtx<'_>, tz: chrono_tz::Tz) -> CoreResult<Vec<Candidate>> {
    // SQLite gives the bare columns of the row holding the max().
    let sql = format!(
        "SELECT b.person_id, b.type_id, t.name, t.recall_months, max(b.starts_at_ms), b.id
           FROM bookings b JOIN appointment_types t ON t.id = b.type_id JOIN people p ON p.id = b.person_id
          WHERE t.recall_months IS NOT NULL AND t.archived = 0
            AND b.status IN ('completed', 'checked_out') AND {PERSON_OK}
          GROUP BY b.person_id, b.type_id"
    );
    let mut stmt = ctx.tx.prepare_cached(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, PersonId>(0)?,
            r.get::<_, AppointmentTypeId>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, u8>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, BookingId>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (person, type_id, name, months, start, last) = row?;
        let Some(due_on) = due_after(local_date(tz, start), months) else {
            continue;
        };
        out.push(Candidate {
            person,
            type_id: Some(type_id),
            reason: format!("{name} every {months} month{}", plural(months.into())),
            last,
            last_start: start,
            due_on,
        });
    }
    Ok(out)
}

fn regular_candidates(ctx: &ReadCtx<'_>, tz: chrono_tz::Tz) -> CoreResult<Vec<Candidate>> {
    let sql = format!(
        "SELECT b.person_id, b.id, b.starts_at_ms
           FROM bookings b JOIN people p ON p.id = b.person_id
          WHERE b.status IN ('completed', 'checked_out') AND {PERSON_OK}
          ORDER BY b.person_id, b.starts_at_ms"
    );
    let mut stmt = ctx.tx.prepare_cached(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, PersonId>(0)?,
            r.get::<_, BookingId>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    let mut stays: Vec<(BookingId, i64)> = Vec::new();
    let mut current: Option<PersonId> = None;
    let mut finish = |person: PersonId, stays: &[(BookingId, i64)]| {
        let arrivals: Vec<NaiveDate> = stays.iter().map(|s| local_date(tz, s.1)).collect();
        let (Some(days), Some(&(last, last_start)), Some(&last_day)) =
            (usual_interval(&arrivals), stays.last(), arrivals.last())
        else {
            return;
        };
        out.push(Candidate {
            person,
            type_id: None,
            reason: format!("Stays {} ({} stays)", interval_words(days), stays.len()),
            last,
            last_start,
            due_on: last_day + chrono::Duration::days(days),
        });
    };
    for row in rows {
        let (person, id, start) = row?;
        if current != Some(person) {
            if let Some(p) = current {
                finish(p, &stays);
            }
            stays.clear();
            current = Some(person);
        }
        stays.push((id, start));
    }
    if let Some(p) = current {
        finish(p, &stays);
    }
    Ok(out)
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A booking as the list shows it: when, what, and with whom (or where).
fn visit(ctx: &ReadCtx<'_>, id: BookingId) -> CoreResult<(RecallVisit, Option<ResourceId>)> {
    let (starts_at_ms, type_name): (i64, String) = ctx.tx.query_row(
        "SELECT b.starts_at_ms, t.name FROM bookings b JOIN appointment_types t ON t.id = b.type_id WHERE b.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let held: Option<(ResourceId, String, String)> = ctx
        .tx
        .prepare_cached(
            "SELECT r.id, r.name, r.kind FROM booking_resources br JOIN resources r ON r.id = br.resource_id
              WHERE br.booking_id = ?1 AND r.kind IN ('provider', 'room')
              ORDER BY r.kind = 'provider' DESC LIMIT 1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let provider = held.as_ref().filter(|h| h.2 == "provider").map(|h| h.0);
    Ok((
        RecallVisit {
            booking_id: id,
            starts_at_ms,
            type_name,
            with: held.map(|h| h.1),
        },
        provider,
    ))
}

fn next_booking(ctx: &ReadCtx<'_>, person: PersonId) -> CoreResult<Option<BookingId>> {
    Ok(ctx
        .tx
        .prepare_cached(
            "SELECT id FROM bookings WHERE person_id = ?1 AND ends_at_ms > ?2
                AND status NOT IN ('cancelled', 'no_show', 'completed', 'checked_out')
              ORDER BY starts_at_ms LIMIT 1",
        )?
        .query_row(params![person, ctx.now_ms], |r| r.get(0))
        .optional()?)
}

/// Is a visit of the recall's kind booked (any stay, for a regular guest)?
fn kind_booked(
    ctx: &ReadCtx<'_>,
    person: PersonId,
    type_id: Option<AppointmentTypeId>,
) -> CoreResult<bool> {
    Ok(ctx
        .tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM bookings WHERE person_id = ?1 AND ends_at_ms > ?2
                AND status NOT IN ('cancelled', 'no_show', 'completed', 'checked_out')
                AND (?3 IS NULL OR type_id = ?3))",
        )?
        .query_row(params![person, ctx.now_ms, type_id], |r| r.get(0))?)
}

fn incidents_of(ctx: &ReadCtx<'_>, person: PersonId) -> CoreResult<Vec<RecallIncident>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT id, what, severity, resolved_at_ms IS NOT NULL FROM incidents
          WHERE person_id = ?1 AND (resolved_at_ms IS NULL OR remember = 1)
          ORDER BY reported_at_ms DESC LIMIT 3",
    )?;
    let rows = stmt.query_map([person], |r| {
        Ok(RecallIncident {
            id: r.get(0)?,
            what: r.get(1)?,
            severity: IncidentSeverity::parse(&r.get::<_, String>(2)?),
            resolved: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

const CONTACT_SELECT: &str =
    "SELECT c.id, c.person_id, c.type_id, c.outcome, c.note, c.call_again_on, c.at_ms, s.name
   FROM recall_contacts c LEFT JOIN staff s ON s.id = c.by_staff";

fn contact_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RecallContact> {
    Ok(RecallContact {
        id: r.get(0)?,
        person_id: r.get(1)?,
        type_id: r.get(2)?,
        outcome: RecallOutcome::parse(&r.get::<_, String>(3)?),
        note: r.get(4)?,
        call_again_on: LocalDate::from_stored(r.get::<_, Option<String>>(5)?.as_deref()),
        at_ms: r.get(6)?,
        by_name: r.get(7)?,
    })
}

/// The last call about this recall since `since` (the last visit).
fn last_contact(
    ctx: &ReadCtx<'_>,
    person: PersonId,
    type_id: Option<AppointmentTypeId>,
    since: i64,
) -> CoreResult<Option<RecallContact>> {
    let sql = format!(
        "{CONTACT_SELECT} WHERE c.person_id = ?1 AND c.type_id IS ?2 AND c.at_ms > ?3 ORDER BY c.at_ms DESC, c.id DESC LIMIT 1"
    );
    Ok(ctx
        .tx
        .prepare_cached(&sql)?
        .query_row(params![person, type_id, since], contact_row)
        .optional()?)
}

pub fn list(ctx: &ReadCtx<'_>, req: ListRecall) -> CoreResult<RecallList> {
    let within = i64::from(req.within_days.unwrap_or(30));
    if within > 365 {
        return Err(CoreError::invalid(
            "within_days",
            "Look at most a year ahead.",
        ));
    }
    let p = practice::require(ctx)?;
    let tz = p.tz();
    let today = local_date(tz, ctx.now_ms);
    let horizon = today + chrono::Duration::days(within);
    let mut found = treatment_candidates(ctx, tz)?;
    if p.kind == PracticeKind::Hotel {
        found.extend(regular_candidates(ctx, tz)?);
    }
    found.retain(|c| c.due_on <= horizon);

    let mut items = Vec::new();
    for c in found {
        let contact = last_contact(ctx, c.person, c.type_id, c.last_start)?;
        let resting = contact.as_ref().is_some_and(|k| match k.call_again_on {
            Some(day) => day.date() > today,
            None => k.outcome == RecallOutcome::Declined,
        });
        let state = if kind_booked(ctx, c.person, c.type_id)? {
            RecallState::Booked
        } else if resting {
            RecallState::Resting
        } else if c.due_on < today {
            RecallState::Overdue
        } else {
            RecallState::Due
        };
        if !req.include_settled && matches!(state, RecallState::Booked | RecallState::Resting) {
            continue;
        }
        let Some(due_on) = LocalDate::new(c.due_on) else {
            continue;
        };
        items.push((c, state, due_on, contact));
    }
    let rank = |s: RecallState| match s {
        RecallState::Overdue | RecallState::Due => 0,
        RecallState::Resting => 1,
        RecallState::Booked => 2,
    };
    items.sort_by_key(|(c, state, _, _)| (rank(*state), c.due_on, c.person));
    let overdue = items.iter().filter(|i| i.1 == RecallState::Overdue).count() as u32;
    let due = items.iter().filter(|i| i.1 == RecallState::Due).count() as u32;
    let more = items.len().saturating_sub(SHOWN) as u32;
    let mut out = Vec::with_capacity(items.len().min(SHOWN));
    for (c, state, due_on, contact) in items.into_iter().take(SHOWN) {
        let person = records::get(ctx, c.person)?;
        let (last_visit, provider_id) = visit(ctx, c.last)?;
        let next_booking = match next_booking(ctx, c.person)? {
            Some(id) => Some(visit(ctx, id)?.0),
            None => None,
        };
        out.push(RecallDue {
            person_id: c.person,
            person_name: person.full_name,
            phone: person.phone,
            consent: person.consent,
            type_id: c.type_id,
            reason: c.reason,
            last_visit,
            provider_id,
            due_on,
            days_overdue: (today - c.due_on).num_days(),
            state,
            next_booking,
            incidents: incidents_of(ctx, c.person)?,
            last_contact: contact,
        });
    }
    Ok(RecallList {
        today: LocalDate::new(today)
            .ok_or_else(|| CoreError::Storage("today is out of range".into()))?,
        overdue,
        due,
        items: out,
        more,
    })
}

pub fn note_contact(ctx: &mut Ctx<'_>, req: NoteRecallContact) -> CoreResult<RecallContact> {
    let person = records::get(ctx, req.person_id)?;
    if person.erased || person.merged_into.is_some() {
        return Err(CoreError::invalid(
            "person_id",
            "That record was merged or erased; open the one that stays.",
        ));
    }
    if let Some(t) = req.type_id {
        if appointment_types::get(ctx, t)?.recall_months.is_none() {
            return Err(CoreError::invalid(
                "type_id",
                "That appointment type has no recall; set one in Settings first.",
            ));
        }
    }
    let note = clean_text("note", "The note", &req.note, 300, false)?;
    let today = local_date(practice::require(ctx)?.tz(), ctx.now_ms);
    if let Some(day) = req.call_again_on {
        if day.date() <= today {
            return Err(CoreError::invalid(
                "call_again_on",
                "Choose a day after today to call again.",
            ));
        }
        if day.date() > today + chrono::Duration::days(730) {
            return Err(CoreError::invalid(
                "call_again_on",
                "Choose a day within two years.",
            ));
        }
    }
    ctx.tx.execute(
        "INSERT INTO recall_contacts (person_id, type_id, outcome, note, call_again_on, at_ms, by_staff)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            req.person_id,
            req.type_id,
            req.outcome.as_str(),
            note,
            req.call_again_on.map(|d| d.date().to_string()),
            ctx.now_ms,
            ctx.actor.staff_id
        ],
    )?;
    let id = ctx.tx.last_insert_rowid();
    ctx.changed(topics::RECALL_CHANGED, id);
    ctx.detail(serde_json::json!({ "person_id": req.person_id, "outcome": req.outcome.as_str() }));
    let sql = format!("{CONTACT_SELECT} WHERE c.id = ?1");
    Ok(ctx.tx.query_row(&sql, [id], contact_row)?)
}

/// A merge: the calls follow the person.
pub(crate) fn move_person(ctx: &mut Ctx<'_>, from: PersonId, to: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE recall_contacts SET person_id = ?2 WHERE person_id = ?1",
        params![from, to],
    )?)
}

/// An erasure: the calls (and what was said) go.
pub(crate) fn erase_for(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<usize> {
    Ok(ctx
        .tx
        .execute("DELETE FROM recall_contacts WHERE person_id = ?1", [person])?)
}

/// Every call about this person, newest first (their export).
pub(crate) fn of(ctx: &ReadCtx<'_>, person: PersonId) -> CoreResult<Vec<RecallContact>> {
    let sql = format!("{CONTACT_SELECT} WHERE c.person_id = ?1 ORDER BY c.at_ms DESC, c.id DESC");
    let mut stmt = ctx.tx.prepare_cached(&sql)?;
    let rows = stmt.query_map([person], contact_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn six_months_on_is_the_same_day_or_the_months_last() {
        assert_eq!(due_after(d("2026-03-14"), 6), Some(d("2026-09-14")));
        assert_eq!(due_after(d("2026-08-31"), 6), Some(d("2027-02-28")));
        assert_eq!(due_after(d("2027-08-31"), 6), Some(d("2028-02-29")));
    }

    #[test]
    fn a_regular_is_someone_with_a_rhythm() {
        // Gaps of 88 and 95 days: the usual one is their middle, 91.
        let every_quarter = [d("2025-01-10"), d("2025-04-08"), d("2025-07-12")];
        assert_eq!(usual_interval(&every_quarter), Some(91));
        // An odd number of gaps: the middle one, whatever the outliers.
        let with_a_gap = [
            d("2025-01-01"),
            d("2025-03-02"),
            d("2025-05-01"),
            d("2026-01-01"),
        ];
        assert_eq!(usual_interval(&with_a_gap), Some(60));
        // Two stays a week apart are one trip, not a rhythm.
        assert_eq!(usual_interval(&[d("2026-01-01"), d("2026-01-08")]), None);
        assert_eq!(usual_interval(&[d("2026-01-01")]), None);
        assert_eq!(interval_words(90), "about every 3 months");
        assert_eq!(interval_words(42), "every 6 weeks");
    }
}
