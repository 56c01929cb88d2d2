//! A person's data on request: everything Hearth holds about them as one JSON
//! document (export), and erasure — names, contact details, notes and words
//! anonymised, the record and its bookings kept without them so counts stay
//! true. Both are permission-guarded and recorded in the audit trail (without
//! the personal data).
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::Ctx;
use crate::audit::looks::{self, PersonLook};
use crate::care::incidents::{self, Incident, ListIncidents};
use crate::care::recall::{self, RecallContact};
use crate::care::tasks::{self, ListTasks, Task};
use crate::care::{handoffs, waitlist};
use crate::error::{CoreError, CoreResult};
use crate::ids::PersonId;
use crate::people::alerts::{self, Alert};
use crate::people::dates::{self, ImportantDate};
use crate::people::links::{self, Link};
use crate::people::notes::{self, Note};
use crate::people::page::{self, OpenPerson, Visit};
use crate::people::records::{self, Person};
use crate::scheduling::bookings::{self, Booking, GetBooking};
use crate::scheduling::occasions;
use crate::setup::{clean_text, practice};

/// `export_person`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ExportPerson {
    pub id: PersonId,
}

/// Everything held about one person.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct PersonExport {
    pub exported_at_ms: i64,
    pub practice: String,
    pub person: Person,
    pub alerts: Vec<Alert>,
    pub dates: Vec<ImportantDate>,
    pub notes: Vec<Note>,
    pub links: Vec<Link>,
    pub bookings: Vec<Booking>,
    pub incidents: Vec<Incident>,
    pub tasks: Vec<Task>,
    /// The desk's calls about their recall.
    pub recall_calls: Vec<RecallContact>,
    /// Who has looked at their details, through what, and when.
    pub looked: Vec<PersonLook>,
}

pub fn export(ctx: &mut Ctx<'_>, req: ExportPerson) -> CoreResult<PersonExport> {
    let p = practice::require(ctx)?;
    let person = records::get(ctx, req.id)?;
    let visits: Vec<Visit> = page::page(ctx, OpenPerson { id: req.id })?.visits;
    let mut all = Vec::with_capacity(visits.len());
    for v in visits {
        all.push(bookings::get(ctx, GetBooking { id: v.booking_id })?);
    }
    ctx.detail(serde_json::json!({ "person_id": req.id, "bookings": all.len() }));
    Ok(PersonExport {
        exported_at_ms: ctx.now_ms,
        practice: p.name,
        alerts: alerts::of(ctx, req.id)?,
        dates: dates::of(ctx, req.id)?,
        notes: notes::of(ctx, req.id)?,
        links: links::of(ctx, req.id)?,
        incidents: incidents::list(
            ctx,
            ListIncidents {
                person_id: Some(req.id),
                booking_id: None,
            },
        )?,
        tasks: tasks::list(
            ctx,
            ListTasks {
                person_id: Some(req.id),
                include_closed: true,
                ..ListTasks::default()
            },
        )?,
        recall_calls: recall::of(ctx, req.id)?,
        looked: looks::of_person(ctx.tx, i64::from(req.id))?,
        bookings: all,
        person,
    })
}

/// `erase_person`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ErasePerson {
    pub id: PersonId,
    /// Why ("asked by e-mail on 3 March"); kept in the audit trail.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Erased {
    pub id: PersonId,
    /// Bookings kept, without the name (so counts stay true).
    pub bookings_kept: u32,
}

pub fn erase(ctx: &mut Ctx<'_>, req: ErasePerson) -> CoreResult<Erased> {
    let person = records::get(ctx, req.id)?;
    if person.erased {
        return Err(CoreError::invalid("id", "This record was already erased."));
    }
    let reason = clean_text("reason", "The reason", &req.reason, 300, true)?;
    let kept = bookings::anonymise_person(ctx, req.id)?;
    occasions::erase_for(ctx, req.id)?;
    tasks::erase_for(ctx, req.id)?;
    incidents::erase_for(ctx, req.id)?;
    alerts::erase_for(ctx, req.id)?;
    dates::erase_for(ctx, req.id)?;
    notes::erase_for(ctx, req.id)?;
    links::erase_for(ctx, req.id)?;
    handoffs::erase_for(ctx, req.id)?;
    waitlist::erase_for(ctx, req.id)?;
    recall::erase_for(ctx, req.id)?;
    records::erase(ctx, req.id)?;
    crate::moving::imports::forget_person(ctx, req.id)?;
    // Gone from the file too: no older copy in the log or free space.
    ctx.wipe_after();
    ctx.detail(serde_json::json!({ "person_id": req.id, "reason": reason, "bookings_kept": kept }));
    Ok(Erased {
        id: req.id,
        bookings_kept: kept as u32,
    })
}
