//! Incidents (`incidents`) and the gestures made for them on later visits
//! (`incident_gestures`). Something went wrong during a visit or stay: what,
//! where, how serious, who handled it, how it was resolved and how long that
//! took. One marked "remember on future visits" resurfaces on every later
//! booking of that person — on its arrival card, with a gesture task for the
//! manager — until what was done for it on that visit is recorded. Earlier
//! gestures stay listed, so a gesture can grow rather than repeat.
use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::StaffRole;
use crate::app::{Ctx, ReadCtx};
use crate::care::tasks::{self, BookingFacts, Fill};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{BookingId, IncidentId, PersonId, StaffId};
use crate::instant::Instant;
use crate::kind::PracticeKind;
use crate::setup::clean_text;
use crate::setup::task_rules::{self, RuleTrigger};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentCategory {
    Maintenance,
    Housekeeping,
    Noise,
    Service,
    Clinical,
    Billing,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentSeverity {
    Minor,
    Moderate,
    Serious,
}

stored_enum!(IncidentCategory, Other { Maintenance = "maintenance", Housekeeping = "housekeeping", Noise = "noise", Service = "service", Clinical = "clinical", Billing = "billing", Other = "other" });
stored_enum!(IncidentSeverity, Minor { Minor = "minor", Moderate = "moderate", Serious = "serious" });

/// What was done for a remembered incident on a later visit.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Gesture {
    pub id: i64,
    pub booking_id: BookingId,
    /// When that visit or stay began.
    pub visit_starts_at_ms: i64,
    pub what: String,
    pub by_name: Option<String>,
    pub at_ms: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Incident {
    pub id: IncidentId,
    pub booking_id: BookingId,
    pub person_id: Option<PersonId>,
    /// When the visit or stay it happened on began.
    pub visit_starts_at_ms: i64,
    pub what: String,
    pub category: IncidentCategory,
    pub severity: IncidentSeverity,
    /// The room or chair ("Room 214").
    pub place: String,
    pub reported_at_ms: i64,
    pub reported_by_name: Option<String>,
    pub handled_by: Option<StaffId>,
    pub handled_by_name: Option<String>,
    pub resolution: String,
    pub resolved_at_ms: Option<i64>,
    /// From report to resolution.
    pub minutes_to_resolve: Option<i64>,
    pub remember: bool,
    /// The gesture to propose on later visits.
    pub gesture: String,
    /// Gestures made on later visits, oldest first.
    pub gestures: Vec<Gesture>,
    pub version: i64,
}

/// `log_incident`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct LogIncident {
    pub booking_id: BookingId,
    pub what: String,
    pub category: IncidentCategory,
    pub severity: IncidentSeverity,
    /// When it was reported (now when left out).
    #[serde(default)]
    pub reported_at_ms: Option<Instant>,
    /// Make a task to put it right, for this role.
    #[serde(default)]
    pub task_for: Option<StaffRole>,
    #[serde(default)]
    pub remember: bool,
    #[serde(default)]
    pub gesture: String,
}

/// `update_incident`: fields left out stay as they are.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct UpdateIncident {
    pub id: IncidentId,
    pub expected_version: i64,
    #[serde(default)]
    pub handled_by: Option<StaffId>,
    /// How it was put right; with `resolved`, marks it resolved now.
    #[serde(default)]
    pub resolution: Option<String>,
    #[serde(default)]
    pub resolved: Option<bool>,
    #[serde(default)]
    pub remember: Option<bool>,
    #[serde(default)]
    pub gesture: Option<String>,
}

/// `record_gesture`: what was done for a remembered incident on this visit.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct RecordGesture {
    pub incident_id: IncidentId,
    pub booking_id: BookingId,
    pub what: String,
}

/// `list_incidents`: a person's, or one booking's.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListIncidents {
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub booking_id: Option<BookingId>,
}

const SELECT: &str = "SELECT i.id, i.booking_id, i.person_id, b.starts_at_ms, i.what, i.category, i.severity, i.place,
        i.reported_at_ms, r.name, i.handled_by, h.name, i.resolution, i.resolved_at_ms, i.remember, i.gesture, i.version
   FROM incidents i JOIN bookings b ON b.id = i.booking_id
   LEFT JOIN staff r ON r.id = i.reported_by LEFT JOIN staff h ON h.id = i.handled_by";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Incident> {
    let reported: i64 = r.get(8)?;
    let resolved: Option<i64> = r.get(13)?;
    Ok(Incident {
        id: r.get(0)?,
        booking_id: r.get(1)?,
        person_id: r.get(2)?,
        visit_starts_at_ms: r.get(3)?,
        what: r.get(4)?,
        category: IncidentCategory::parse(&r.get::<_, String>(5)?),
        severity: IncidentSeverity::parse(&r.get::<_, String>(6)?),
        place: r.get(7)?,
        reported_at_ms: reported,
        reported_by_name: r.get(9)?,
        handled_by: r.get(10)?,
        handled_by_name: r.get(11)?,
        resolution: r.get(12)?,
        resolved_at_ms: resolved,
        // To the nearest minute, as the desk would say it.
        minutes_to_resolve: resolved.map(|at| ((at - reported + 30_000) / 60_000).max(0)),
        remember: r.get(14)?,
        gesture: r.get(15)?,
        gestures: vec![],
        version: r.get(16)?,
    })
}

fn gestures_of(ctx: &ReadCtx<'_>, id: IncidentId) -> CoreResult<Vec<Gesture>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT g.id, g.booking_id, b.starts_at_ms, g.what, s.name, g.at_ms FROM incident_gestures g
           JOIN bookings b ON b.id = g.booking_id LEFT JOIN staff s ON s.id = g.by_staff
          WHERE g.incident_id = ?1 ORDER BY b.starts_at_ms, g.id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Gesture {
            id: r.get(0)?,
            booking_id: r.get(1)?,
            visit_starts_at_ms: r.get(2)?,
            what: r.get(3)?,
            by_name: r.get(4)?,
            at_ms: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn query(ctx: &ReadCtx<'_>, filter: &str, p: impl rusqlite::Params) -> CoreResult<Vec<Incident>> {
    let mut stmt = ctx.tx.prepare_cached(&format!("{SELECT} WHERE {filter}"))?;
    let mut out: Vec<Incident> = stmt.query_map(p, from_row)?.collect::<Result<_, _>>()?;
    for i in &mut out {
        i.gestures = gestures_of(ctx, i.id)?;
    }
    Ok(out)
}

pub fn get(ctx: &ReadCtx<'_>, id: IncidentId) -> CoreResult<Incident> {
    query(ctx, "i.id = ?1", [id])?
        .pop()
        .ok_or_else(|| CoreError::not_found("That incident"))
}

pub fn list(ctx: &ReadCtx<'_>, req: ListIncidents) -> CoreResult<Vec<Incident>> {
    if req.person_id.is_none() && req.booking_id.is_none() {
        return Err(CoreError::invalid(
            "person_id",
            "Say whose incidents to list.",
        ));
    }
    query(
        ctx,
        "(?1 IS NULL OR i.person_id = ?1) AND (?2 IS NULL OR i.booking_id = ?2) ORDER BY i.reported_at_ms DESC LIMIT 200",
        params![req.person_id, req.booking_id],
    )
}

/// The remembered incidents of this booking's person from earlier visits:
/// what resurfaces on the booking (oldest first).
pub(crate) fn remembered_for(ctx: &ReadCtx<'_>, f: &BookingFacts) -> CoreResult<Vec<Incident>> {
    let Some(person) = f.person_id else {
        return Ok(vec![]);
    };
    query(
        ctx,
        "i.person_id = ?1 AND i.remember = 1 AND i.booking_id <> ?2 AND b.starts_at_ms < ?3 ORDER BY i.reported_at_ms",
        params![person, f.id, f.starts_at_ms],
    )
}

/// Gesture tasks (by the rules for remembered incidents) on a booking that
/// does not yet have them, one per remembered incident not yet acted on.
pub(crate) fn propose_gestures(ctx: &mut Ctx<'_>, booking: BookingId) -> CoreResult<()> {
    let f = tasks::facts(ctx, booking)?;
    if !f.live {
        return Ok(());
    }
    let remembered = remembered_for(ctx, &f)?;
    if remembered.is_empty() {
        return Ok(());
    }
    let rules = task_rules::matching(ctx, RuleTrigger::RememberedIncident, None)?;
    for i in remembered {
        if i.gestures.iter().any(|g| g.booking_id == booking) {
            continue;
        }
        let gesture = if i.gesture.is_empty() {
            "a gesture to make up for it".to_owned()
        } else {
            i.gesture.clone()
        };
        for rule in &rules {
            if tasks::exists_for_rule(ctx, rule.id, booking, Some(i.id))? {
                continue;
            }
            let fill = Fill {
                gesture: &gesture,
                incident: &i.what,
                ..Fill::default()
            };
            tasks::from_rule(ctx, rule, &f, None, Some(i.id), &fill)?;
        }
    }
    Ok(())
}

/// The person's later live bookings (from now on), for proposing gestures
/// when an incident is first remembered.
fn later_bookings(ctx: &ReadCtx<'_>, i: &Incident) -> CoreResult<Vec<BookingId>> {
    let Some(person) = i.person_id else {
        return Ok(vec![]);
    };
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT id FROM bookings WHERE person_id = ?1 AND live = 1 AND id <> ?2 AND starts_at_ms > ?3 AND ends_at_ms > ?4",
    )?;
    let rows = stmt.query_map(
        params![person, i.booking_id, i.visit_starts_at_ms, ctx.now_ms],
        |r| r.get(0),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn log(ctx: &mut Ctx<'_>, req: LogIncident) -> CoreResult<Incident> {
    let f = tasks::facts(ctx, req.booking_id)?;
    let what = clean_text("what", "What happened", &req.what, 500, true)?;
    let gesture = clean_text("gesture", "The gesture", &req.gesture, 200, false)?;
    let reported = req.reported_at_ms.map_or(ctx.now_ms, Instant::ms);
    if reported > ctx.now_ms + 60_000 {
        return Err(CoreError::invalid(
            "reported_at_ms",
            "An incident can't be reported in the future.",
        ));
    }
    ctx.tx.execute(
        "INSERT INTO incidents (booking_id, person_id, what, category, severity, place, reported_at_ms, reported_by,
                                remember, gesture, updated_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            f.id,
            f.person_id,
            what,
            req.category.as_str(),
            req.severity.as_str(),
            f.place,
            reported,
            ctx.actor.staff_id,
            req.remember,
            gesture,
            ctx.now_ms
        ],
    )?;
    let id = IncidentId(ctx.tx.last_insert_rowid());
    ctx.changed(topics::INCIDENT_CHANGED, id);
    ctx.detail(serde_json::json!({ "incident_id": id, "booking_id": f.id, "category": req.category.as_str() }));
    if let Some(role) = req.task_for {
        let title = if f.place.is_empty() {
            format!("Put right: {what}")
        } else {
            format!("Put right: {what} ({})", f.place)
        };
        tasks::for_incident(ctx, &f, id, &title, role)?;
    }
    let incident = get(ctx, id)?;
    if incident.remember {
        for b in later_bookings(ctx, &incident)? {
            propose_gestures(ctx, b)?;
        }
    }
    Ok(incident)
}

pub fn update(ctx: &mut Ctx<'_>, req: UpdateIncident) -> CoreResult<Incident> {
    let old = get(ctx, req.id)?;
    if old.version != req.expected_version {
        return Err(CoreError::Stale {
            message: "This incident was just changed on another desk. It has been reloaded — check it and try again.".into(),
        });
    }
    if let Some(s) = req.handled_by {
        if StaffRole::of(ctx.tx, s)?.is_none() {
            return Err(CoreError::invalid(
                "handled_by",
                "That staff member is not on the team.",
            ));
        }
    }
    let resolution = match &req.resolution {
        Some(r) => clean_text("resolution", "The resolution", r, 500, false)?,
        None => old.resolution.clone(),
    };
    let resolved_at = match req.resolved {
        Some(true) if resolution.is_empty() => {
            return Err(CoreError::invalid(
                "resolution",
                "Say how it was put right before marking it resolved.",
            ))
        }
        Some(true) => old.resolved_at_ms.or(Some(ctx.now_ms)),
        Some(false) => None,
        None => old.resolved_at_ms,
    };
    let gesture = match &req.gesture {
        Some(g) => clean_text("gesture", "The gesture", g, 200, false)?,
        None => old.gesture.clone(),
    };
    let remember = req.remember.unwrap_or(old.remember);
    ctx.tx.execute(
        "UPDATE incidents SET handled_by = coalesce(?2, handled_by), resolution = ?3, resolved_at_ms = ?4, remember = ?5,
                gesture = ?6, updated_at_ms = ?7, version = version + 1 WHERE id = ?1",
        params![old.id, req.handled_by.or(old.handled_by.is_none().then_some(ctx.actor.staff_id).flatten()), resolution, resolved_at, remember, gesture, ctx.now_ms],
    )?;
    ctx.changed(topics::INCIDENT_CHANGED, old.id);
    ctx.detail(serde_json::json!({ "incident_id": old.id, "resolved": resolved_at.is_some(), "remember": remember }));
    let incident = get(ctx, old.id)?;
    // Resolved: the task to put it right is done with it.
    if incident.resolved_at_ms.is_some() && old.resolved_at_ms.is_none() {
        tasks::done_for_incident(ctx, old.id, None, false, &incident.resolution)?;
    }
    if incident.remember && !old.remember {
        for b in later_bookings(ctx, &incident)? {
            propose_gestures(ctx, b)?;
        }
    }
    Ok(incident)
}

/// Records the gesture for `incident` on `booking` (once per visit).
pub(crate) fn gesture_made(
    ctx: &mut Ctx<'_>,
    incident: IncidentId,
    booking: BookingId,
    what: &str,
) -> CoreResult<()> {
    ctx.tx.execute(
        "INSERT INTO incident_gestures (incident_id, booking_id, what, by_staff, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (incident_id, booking_id) DO UPDATE SET what = excluded.what, by_staff = excluded.by_staff, at_ms = excluded.at_ms",
        params![incident, booking, what, ctx.actor.staff_id, ctx.now_ms],
    )?;
    ctx.changed(topics::INCIDENT_CHANGED, incident);
    Ok(())
}

pub fn record_gesture(ctx: &mut Ctx<'_>, req: RecordGesture) -> CoreResult<Incident> {
    let incident = get(ctx, req.incident_id)?;
    let f = tasks::facts(ctx, req.booking_id)?;
    if !incident.remember
        || incident.person_id.is_none()
        || incident.person_id != f.person_id
        || incident.booking_id == f.id
    {
        return Err(CoreError::invalid(
            "booking_id",
            "A gesture is recorded on a later visit of the same person, for an incident remembered from before.",
        ));
    }
    let what = clean_text("what", "What was done", &req.what, 500, true)?;
    gesture_made(ctx, incident.id, f.id, &what)?;
    ctx.detail(serde_json::json!({ "incident_id": incident.id, "booking_id": f.id }));
    // The gesture tasks for it on this visit are done by this.
    tasks::done_for_incident(ctx, incident.id, Some(f.id), true, &what)?;
    get(ctx, incident.id)
}

/// The role a repair goes to by default.
pub fn default_task_role(kind: PracticeKind) -> StaffRole {
    match kind {
        PracticeKind::Hotel => StaffRole::Housekeeping,
        PracticeKind::Dental => StaffRole::Manager,
    }
}

/// An incident as the demo writes it: remembered, resolved `minutes` after
/// it was reported, with the gesture to propose next time.
pub(crate) fn insert_generated(
    ctx: &mut Ctx<'_>,
    booking: BookingId,
    what: &str,
    category: IncidentCategory,
    reported_at_ms: i64,
    minutes: i64,
    gesture: &str,
) -> CoreResult<IncidentId> {
    let f = tasks::facts(ctx, booking)?;
    ctx.tx.execute(
        "INSERT INTO incidents (booking_id, person_id, what, category, severity, place, reported_at_ms, resolution,
                                resolved_at_ms, remember, gesture, updated_at_ms)
         VALUES (?1, ?2, ?3, ?4, 'moderate', ?5, ?6, 'Put right the same day', ?7, 1, ?8, ?9)",
        params![f.id, f.person_id, what, category.as_str(), f.place, reported_at_ms, reported_at_ms + minutes * 60_000, gesture, ctx.now_ms],
    )?;
    let id = IncidentId(ctx.tx.last_insert_rowid());
    ctx.changed(topics::INCIDENT_CHANGED, id);
    Ok(id)
}

/// A merge: the merged record's incidents become the survivor's.
pub(crate) fn move_person(ctx: &mut Ctx<'_>, from: PersonId, to: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE incidents SET person_id = ?2, version = version + 1 WHERE person_id = ?1",
        params![from, to],
    )?)
}

/// An erasure: what happened is kept as a category and a time, not in words.
pub(crate) fn erase_for(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<usize> {
    ctx.tx.execute(
        "UPDATE incident_gestures SET what = '' WHERE incident_id IN (SELECT id FROM incidents WHERE person_id = ?1)",
        [person],
    )?;
    Ok(ctx.tx.execute(
        "UPDATE incidents SET what = 'Erased', resolution = '', gesture = '', place = '', remember = 0, version = version + 1 WHERE person_id = ?1",
        [person],
    )?)
}
