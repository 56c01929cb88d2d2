//! A person's data on request: everything Hearth holds about them as one JSON
//! document (export), and erasure — names, contact details, notes and words
//! anonymised, the record and its bookings kept without them so counts stay
//! true. Both are permission-guarded and recorded in the audit trail (without
//! the personal data).
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::Ctx;
use crate::audit::looks::{self, PersonLook};
use crate::care::handoffs::{self, Handoff};
use crate::care::incidents::{self, Incident, ListIncidents};
use crate::care::person_data::Held;
use crate::care::recall::{self, RecallContact};
use crate::care::tasks::{self, ListTasks, Task};
use crate::care::waitlist::{self, WaitlistEntry};
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
    /// Notes between colleagues about them.
    pub handoffs: Vec<Handoff>,
    /// Their requests for an earlier or a wanted time.
    pub waitlist: Vec<WaitlistEntry>,
    /// The desk's calls about their recall.
    pub recall_calls: Vec<RecallContact>,
    /// Who has looked at their details, through what, and when.
    pub looked: Vec<PersonLook>,
}

pub fn export(ctx: &mut Ctx<'_>, req: ExportPerson) -> CoreResult<PersonExport> {
    let p = practice::require(ctx)?;
    let person = records::get(ctx, req.id)?;
    let mut out = PersonExport {
        exported_at_ms: ctx.now_ms,
        practice: p.name,
        person,
        alerts: Vec::new(),
        dates: Vec::new(),
        notes: Vec::new(),
        links: Vec::new(),
        bookings: Vec::new(),
        incidents: Vec::new(),
        tasks: Vec::new(),
        handoffs: Vec::new(),
        waitlist: Vec::new(),
        recall_calls: Vec::new(),
        looked: looks::of_person(ctx.tx, i64::from(req.id))?,
    };
    // Everything held about them (`person_data`: one list).
    for kind in Held::ALL {
        match kind {
            Held::Bookings => {
                let visits: Vec<Visit> = page::page(ctx, OpenPerson { id: req.id })?.visits;
                for v in visits {
                    out.bookings
                        .push(bookings::get(ctx, GetBooking { id: v.booking_id })?);
                }
            }
            Held::Alerts => out.alerts = alerts::of(ctx, req.id)?,
            Held::Dates => out.dates = dates::of(ctx, req.id)?,
            Held::Notes => out.notes = notes::of(ctx, req.id)?,
            Held::Links => out.links = links::of(ctx, req.id)?,
            Held::Incidents => {
                out.incidents = incidents::list(
                    ctx,
                    ListIncidents {
                        person_id: Some(req.id),
                        booking_id: None,
                    },
                )?
            }
            Held::Tasks => {
                out.tasks = tasks::list(
                    ctx,
                    ListTasks {
                        person_id: Some(req.id),
                        include_closed: true,
                        ..ListTasks::default()
                    },
                )?
            }
            Held::Handoffs => out.handoffs = handoffs::of(ctx, req.id)?,
            Held::Waitlist => out.waitlist = waitlist::of(ctx, req.id)?,
            Held::RecallCalls => out.recall_calls = recall::of(ctx, req.id)?,
        }
    }
    ctx.detail(serde_json::json!({ "person_id": req.id, "bookings": out.bookings.len() }));
    Ok(out)
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
    // Everything held about them (`person_data`: one list), then the record.
    let mut kept = 0;
    for kind in Held::ALL {
        let id = req.id;
        match kind {
            Held::Bookings => {
                kept = bookings::anonymise_person(ctx, id)?;
                occasions::erase_for(ctx, id)?;
            }
            Held::Alerts => _ = alerts::erase_for(ctx, id)?,
            Held::Dates => _ = dates::erase_for(ctx, id)?,
            Held::Notes => _ = notes::erase_for(ctx, id)?,
            Held::Links => _ = links::erase_for(ctx, id)?,
            Held::Incidents => _ = incidents::erase_for(ctx, id)?,
            Held::Tasks => _ = tasks::erase_for(ctx, id)?,
            Held::Handoffs => _ = handoffs::erase_for(ctx, id)?,
            Held::Waitlist => _ = waitlist::erase_for(ctx, id)?,
            Held::RecallCalls => _ = recall::erase_for(ctx, id)?,
        }
    }
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
