//! Bringing the coming bookings in from another system's export. Each row
//! names its person (matched to someone here by the old system's number,
//! name and date of birth, or phone and first name — as the people import
//! matches — or added as someone new), its time (a date and a start with an
//! end or a length; a stay's arrival with its departure or nights), its
//! chair and provider or room, and its type — the old system's names for
//! these mapped to Hearth's once (and remembered for the next file). Every
//! row then goes through the same rule check as a booking typed at the desk
//! (`scheduling::rules`) and against the rows before it: a clash is listed
//! and never imported; a closed time (outside hours, blocked, in the past)
//! is listed and imported only when the manager says "book anyway" for that
//! row. Written in batches like the people, each booking recorded so that
//! undoing the import takes it out again (`moving::imports`).
use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::columns::{self, BookingField};
use super::people::{split_name, Candidate, Index, Known};
use super::table::{self, Row, Separator, TextEncoding};
use super::{dates, files, imports, people as people_in, times, uploads};
use crate::app::{Actor, Ctx, Hearth, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{AppointmentTypeId, PersonId, ResourceId};
use crate::instant::{Instant, LocalDate};
use crate::people::phones;
use crate::people::records;
use crate::people::search::fold;
use crate::scheduling::bookings::{self, BookingTime};
use crate::setup::appointment_types::{self, AppointmentType, ListAppointmentTypes};
use crate::setup::practice::{DateOrder, Practice, PracticeKind};
use crate::setup::resources::{self, ListResources, Resource, ResourceKind};
use crate::time::{fmt_span, resolve_local, LocalAdjustment};

/// Rows written per transaction: each is a whole booking with its rule
/// check, so fewer than the people's.
pub const BATCH: usize = 100;

const FIRST_ROWS: usize = 10;
const LISTED: usize = 2_000;

/// What kind of Hearth name an old system's name is mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    Chair,
    Provider,
    Room,
    Type,
}

impl NameKind {
    fn as_str(self) -> &'static str {
        match self {
            NameKind::Chair => "chair",
            NameKind::Provider => "provider",
            NameKind::Room => "room",
            NameKind::Type => "type",
        }
    }

    fn of(field: BookingField) -> Option<NameKind> {
        match field {
            BookingField::Chair => Some(NameKind::Chair),
            BookingField::Provider => Some(NameKind::Provider),
            BookingField::Room => Some(NameKind::Room),
            BookingField::Type => Some(NameKind::Type),
            _ => None,
        }
    }
}

/// The manager's word on one of the old system's names: which of Hearth's
/// chairs, providers, rooms or types it is (none: leave those rows out).
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct NameMatch {
    pub kind: NameKind,
    /// As in the file ("" for rows that give none).
    pub name: String,
    #[serde(default)]
    pub target_id: Option<i64>,
}

/// How the file is to be read: the same for the preview and the import.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct PreviewImportBookings {
    pub upload_id: i64,
    #[serde(default)]
    pub columns: Option<Vec<Option<BookingField>>>,
    #[serde(default)]
    pub encoding: Option<TextEncoding>,
    #[serde(default)]
    pub separator: Option<Separator>,
    #[serde(default)]
    pub date_order: Option<DateOrder>,
    /// The names mapped; any not given are as Hearth proposes.
    #[serde(default)]
    pub names: Vec<NameMatch>,
    /// Rows at a closed time (outside hours, blocked, in the past) to book anyway.
    #[serde(default)]
    pub book_anyway_rows: Vec<i64>,
}

/// Someone no one here matches.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OnNewPerson {
    /// Add them (with the name, phone, date of birth and number the row gives).
    #[default]
    Add,
    Skip,
}

/// `import_bookings`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ImportBookings {
    pub upload_id: i64,
    #[serde(default)]
    pub columns: Option<Vec<Option<BookingField>>>,
    #[serde(default)]
    pub encoding: Option<TextEncoding>,
    #[serde(default)]
    pub separator: Option<Separator>,
    #[serde(default)]
    pub date_order: Option<DateOrder>,
    #[serde(default)]
    pub names: Vec<NameMatch>,
    #[serde(default)]
    pub book_anyway_rows: Vec<i64>,
    #[serde(default)]
    pub on_new_person: OnNewPerson,
}

/// What a row of bookings is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingRowKind {
    /// For someone here, and every rule holds.
    Ready,
    /// For someone no one here matches: added with it (or skipped, as chosen).
    NewPerson,
    /// Already in the calendar (the same person at the same time).
    Existing,
    /// Takes a chair, provider or room already taken (here, or by an earlier
    /// row): never imported.
    Clash,
    /// At a closed time (outside hours, blocked, in the past) or a second
    /// room for the guest: imported only if booked anyway.
    Closed,
    Problem,
}

/// A row as judged.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct BookingRowVerdict {
    pub row: i64,
    /// The person as the row names them.
    pub name: String,
    /// When, in the practice's words ("Tue 5 Jan 9:00–9:30"; "" if unread).
    pub when: String,
    pub verdict: BookingRowKind,
    pub reason: String,
    /// Who it is for, when matched (recorded as a look, "import preview").
    pub person_id: Option<PersonId>,
    /// Closed: booked anyway, as the manager said.
    pub book_anyway: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct BookingFieldChoice {
    pub field: BookingField,
    pub label: String,
}

/// One of the old system's names, as mapped.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct NameMapping {
    pub kind: NameKind,
    pub name: String,
    /// Rows giving it.
    pub rows: i64,
    pub target_id: Option<i64>,
    /// How: "As you said", "As at the last import", "Same name", "Not matched".
    pub how: String,
}

/// A chair, provider, room or type a name can be mapped to.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct NameTarget {
    pub kind: NameKind,
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct BookingPreviewRow {
    pub cells: Vec<String>,
    pub verdict: BookingRowVerdict,
}

/// The preview of a file of bookings.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct BookingsPreview {
    pub file_name: String,
    pub encoding: TextEncoding,
    pub separator: Separator,
    pub date_order: DateOrder,
    pub header: Vec<String>,
    pub columns: Vec<Option<BookingField>>,
    pub fields: Vec<BookingFieldChoice>,
    pub names: Vec<NameMapping>,
    pub targets: Vec<NameTarget>,
    pub first_rows: Vec<BookingPreviewRow>,
    pub rows: i64,
    pub ready: i64,
    /// Rows for someone new…
    pub new_person_rows: i64,
    /// …and how many people that is.
    pub new_people: i64,
    pub existing: i64,
    pub clashes: i64,
    pub closed: i64,
    /// Closed rows the manager said to book anyway.
    pub booked_anyway: i64,
    pub problems: i64,
    pub attention: Vec<BookingRowVerdict>,
    pub imported_before_ms: Option<i64>,
}

/// Who a row is for.
#[derive(Debug, Clone)]
enum Whom {
    Here(PersonId),
    /// Someone new, first named on this row of the file.
    New {
        first_row: usize,
    },
}

/// A row judged, with what it would write.
struct Judged {
    number: usize,
    whom: Option<Whom>,
    candidate: Candidate,
    type_id: Option<AppointmentTypeId>,
    resource_ids: Vec<ResourceId>,
    time: Option<BookingTime>,
    notes: String,
    verdict: BookingRowVerdict,
}

struct Judgement {
    file_name: String,
    sha256: String,
    table: table::Table,
    columns: Vec<Option<BookingField>>,
    order: DateOrder,
    names: Vec<NameMapping>,
    targets: Vec<NameTarget>,
    rows: Vec<Judged>,
}

pub fn preview(ctx: &ReadCtx<'_>, req: PreviewImportBookings) -> CoreResult<BookingsPreview> {
    let j = judge(ctx, &req)?;
    let count = |v: BookingRowKind| j.rows.iter().filter(|r| r.verdict.verdict == v).count() as i64;
    let new_people = j
        .rows
        .iter()
        .filter(|r| {
            r.verdict.verdict == BookingRowKind::NewPerson
                && matches!(r.whom, Some(Whom::New { first_row }) if first_row == r.number)
        })
        .count() as i64;
    Ok(BookingsPreview {
        file_name: j.file_name.clone(),
        encoding: j.table.encoding,
        separator: j.table.separator,
        date_order: j.order,
        header: j.table.header.clone(),
        columns: j.columns.clone(),
        fields: BookingField::ALL
            .into_iter()
            .map(|f| BookingFieldChoice {
                field: f,
                label: f.label().into(),
            })
            .collect(),
        names: j.names.clone(),
        targets: j.targets.clone(),
        first_rows: j
            .rows
            .iter()
            .take(FIRST_ROWS)
            .map(|r| BookingPreviewRow {
                cells: j
                    .table
                    .rows
                    .iter()
                    .find(|t| t.number == r.number)
                    .map(|t| {
                        t.cells
                            .iter()
                            .map(|c| c.chars().take(200).collect())
                            .collect()
                    })
                    .unwrap_or_default(),
                verdict: r.verdict.clone(),
            })
            .collect(),
        rows: j.rows.len() as i64,
        ready: count(BookingRowKind::Ready),
        new_person_rows: count(BookingRowKind::NewPerson),
        new_people,
        existing: count(BookingRowKind::Existing),
        clashes: count(BookingRowKind::Clash),
        closed: count(BookingRowKind::Closed),
        booked_anyway: j.rows.iter().filter(|r| r.verdict.book_anyway).count() as i64,
        problems: count(BookingRowKind::Problem),
        attention: j
            .rows
            .iter()
            .filter(|r| r.verdict.verdict != BookingRowKind::Ready)
            .take(LISTED)
            .map(|r| r.verdict.clone())
            .collect(),
        imported_before_ms: imports::done_with(ctx, &j.sha256)?,
    })
}

/// `import_bookings`: judges the file again (never trusting an earlier
/// preview), then books each row that may be booked, in batches; each
/// booking goes through the desk's rule check again as it is written, so a
/// booking the desk made meanwhile is never double-booked (that row is
/// counted as skipped).
pub fn import(h: &Hearth, actor: &Actor, req: ImportBookings) -> CoreResult<people_in::ImportDone> {
    let preview_req = PreviewImportBookings {
        upload_id: req.upload_id,
        columns: req.columns.clone(),
        encoding: req.encoding,
        separator: req.separator,
        date_order: req.date_order,
        names: req.names.clone(),
        book_anyway_rows: req.book_anyway_rows.clone(),
    };
    let j = h.read(actor, |ctx| judge(ctx, &preview_req))?;
    let wanted = |r: &Judged| match r.verdict.verdict {
        BookingRowKind::Ready => true,
        BookingRowKind::NewPerson => req.on_new_person == OnNewPerson::Add,
        BookingRowKind::Closed => r.verdict.book_anyway,
        _ => false,
    };
    let plan: Vec<&Judged> = j.rows.iter().filter(|r| wanted(r)).collect();
    let mut skipped = (j.rows.len() - plan.len()) as i64;
    let import_id = h.write(actor, "import_bookings", |ctx| {
        let id = imports::start(ctx, "bookings", &j.file_name, &j.sha256)?;
        remember_names(ctx, &j.names)?;
        ctx.detail(serde_json::json!({ "import": id, "rows": j.rows.len(), "started": true }));
        Ok(id)
    })?;
    // Someone new named on several rows is added once.
    let mut added_people: HashMap<usize, PersonId> = HashMap::new();
    let mut added = 0i64;
    for batch in plan.chunks(BATCH) {
        let (a, s, people) = h.write(actor, "import_bookings", |ctx| {
            let (mut a, mut s) = (0i64, 0i64);
            let mut people: Vec<(usize, PersonId)> = Vec::new();
            for row in batch {
                let known = |first: usize| {
                    added_people
                        .get(&first)
                        .copied()
                        .or_else(|| people.iter().find(|(f, _)| *f == first).map(|(_, p)| *p))
                };
                let person = match &row.whom {
                    Some(Whom::Here(p)) => *p,
                    Some(Whom::New { first_row }) => match known(*first_row) {
                        Some(p) => p,
                        None => {
                            let p = add_person(ctx, import_id, &row.candidate)?;
                            people.push((*first_row, p));
                            p
                        }
                    },
                    None => {
                        s += 1;
                        continue;
                    }
                };
                match book(ctx, import_id, person, row) {
                    Ok(()) => a += 1,
                    // Booked or closed at the desk since the file was judged.
                    Err(e) if is_rule(&e) => s += 1,
                    Err(e) => return Err(e),
                }
            }
            imports::count(ctx, import_id, a, 0, 0)?;
            ctx.detail(serde_json::json!({
                "import": import_id,
                "from_row": batch.first().map(|r| r.number),
                "to_row": batch.last().map(|r| r.number),
                "added": a, "skipped": s,
            }));
            Ok((a, s, people))
        })?;
        added += a;
        skipped += s;
        added_people.extend(people);
        // Hand the writer's lock to the desk between batches.
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let record = h.write(actor, "import_bookings", |ctx| {
        imports::count(ctx, import_id, 0, 0, skipped)?;
        let record = imports::finish(ctx, import_id)?;
        uploads::remove(ctx, req.upload_id)?;
        ctx.changed(topics::BOOKING_CHANGED, 0);
        ctx.detail(serde_json::json!({
            "import": import_id, "added": added, "people": added_people.len(), "skipped": skipped, "done": true,
        }));
        Ok(record)
    })?;
    Ok(people_in::ImportDone { import: record })
}

/// Books one row, recorded for the undo.
fn book(ctx: &mut Ctx<'_>, import_id: i64, person: PersonId, row: &Judged) -> CoreResult<()> {
    let (Some(type_id), Some(time)) = (row.type_id, row.time.clone()) else {
        return Err(CoreError::invalid("row", "The row can't be booked."));
    };
    let b = bookings::create(
        ctx,
        bookings::CreateBooking {
            person_id: Some(person),
            person_name: String::new(),
            person_phone: String::new(),
            someone_new: false,
            type_id,
            resource_ids: row.resource_ids.clone(),
            time,
            notes: row.notes.clone(),
            override_rules: row.verdict.book_anyway,
        },
    )?;
    imports::record(ctx, import_id, "booking", b.id.0, person, None, None)
}

fn add_person(ctx: &mut Ctx<'_>, import_id: i64, c: &Candidate) -> CoreResult<PersonId> {
    let id = records::insert_imported(
        ctx,
        &records::Imported {
            given: &c.given,
            family: &c.family,
            preferred: "",
            date_of_birth: c.dob,
            phone: c.phone.as_ref(),
            other_phone: None,
            email: "",
            address: "",
            external_id: &c.external_id,
        },
    )?;
    imports::record(ctx, import_id, "person", id.0, id, None, None)?;
    ctx.changed(topics::PERSON_CHANGED, id);
    Ok(id)
}

/// The names as mapped are remembered for the next file.
fn remember_names(ctx: &Ctx<'_>, names: &[NameMapping]) -> CoreResult<()> {
    let mut stmt = ctx.tx.prepare_cached(
        "INSERT INTO import_name_maps (field, name, target_id, at_ms) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (field, name) DO UPDATE SET target_id = excluded.target_id, at_ms = excluded.at_ms",
    )?;
    for n in names {
        if let Some(target) = n.target_id {
            stmt.execute(params![
                n.kind.as_str(),
                columns::fold(&n.name),
                target,
                ctx.now_ms
            ])?;
        }
    }
    Ok(())
}

fn remembered(ctx: &ReadCtx<'_>) -> CoreResult<HashMap<(String, String), i64>> {
    let mut stmt = ctx
        .tx
        .prepare("SELECT field, name, target_id FROM import_name_maps")?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What Hearth has that the names can be mapped to.
fn targets(
    ctx: &ReadCtx<'_>,
) -> CoreResult<(Vec<NameTarget>, Vec<Resource>, Vec<AppointmentType>)> {
    let res = resources::list(ctx, ListResources::default())?;
    let types = appointment_types::list(ctx, ListAppointmentTypes::default())?;
    let mut out = Vec::new();
    for r in &res {
        let kind = match r.kind {
            ResourceKind::Chair => NameKind::Chair,
            ResourceKind::Provider => NameKind::Provider,
            ResourceKind::Room => NameKind::Room,
        };
        out.push(NameTarget {
            kind,
            id: r.id.0,
            name: r.name.clone(),
        });
    }
    for t in &types {
        out.push(NameTarget {
            kind: NameKind::Type,
            id: t.id.0,
            name: t.name.clone(),
        });
    }
    Ok((out, res, types))
}

/// The words of a name that tell it apart ("Dr. Amy Patel" → amy, patel).
fn words_of(name: &str) -> Vec<String> {
    columns::fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "dr" | "mr" | "mrs" | "ms" | "the"))
        .map(str::to_owned)
        .collect()
}

/// Hearth's name for one of the old system's: the same name, or the one
/// target all of whose words it shares (or that shares all of its words).
fn propose_target(kind: NameKind, name: &str, targets: &[NameTarget]) -> Option<i64> {
    let of_kind: Vec<&NameTarget> = targets.iter().filter(|t| t.kind == kind).collect();
    if name.trim().is_empty() {
        // No type given: the practice's only type, if it has one.
        return (kind == NameKind::Type && of_kind.len() == 1).then(|| of_kind[0].id);
    }
    let folded = columns::fold(name);
    if let Some(t) = of_kind.iter().find(|t| columns::fold(&t.name) == folded) {
        return Some(t.id);
    }
    let words = words_of(name);
    if words.is_empty() {
        return None;
    }
    let likely: Vec<&&NameTarget> = of_kind
        .iter()
        .filter(|t| {
            let theirs = words_of(&t.name);
            !theirs.is_empty()
                && (words.iter().all(|w| theirs.contains(w))
                    || theirs.iter().all(|w| words.contains(w)))
        })
        .collect();
    match likely.as_slice() {
        [one] => Some(one.id),
        _ => None,
    }
}

/// A row's cells read by the mapping (before anything is matched).
#[derive(Default)]
struct Cells {
    candidate: Candidate,
    full: String,
    dob: String,
    phone: String,
    date: String,
    start: String,
    end: String,
    duration: String,
    arrival: String,
    departure: String,
    nights: String,
    named: Vec<(NameKind, String)>,
    notes: Vec<String>,
}

fn cells(row: &Row, columns: &[Option<BookingField>]) -> Cells {
    let mut c = Cells::default();
    for (i, field) in columns.iter().enumerate() {
        let Some(field) = field else { continue };
        // A cell a spreadsheet export kept from running as a formula.
        let v = super::export::unneutralised(row.cell(i)).trim();
        if let Some(kind) = NameKind::of(*field) {
            c.named.push((kind, v.chars().take(120).collect()));
            continue;
        }
        if v.is_empty() {
            continue;
        }
        let v = v.to_owned();
        match field {
            BookingField::PersonNumber => c.candidate.external_id = v.chars().take(60).collect(),
            BookingField::PersonName => c.full = v,
            BookingField::PersonGivenName => c.candidate.given = v,
            BookingField::PersonFamilyName => c.candidate.family = v,
            BookingField::PersonBirthDate => c.dob = v,
            BookingField::PersonPhone => c.phone = v,
            BookingField::Date => c.date = v,
            BookingField::Start => c.start = v,
            BookingField::End => c.end = v,
            BookingField::Duration => c.duration = v,
            BookingField::Arrival => c.arrival = v,
            BookingField::Departure => c.departure = v,
            BookingField::Nights => c.nights = v,
            BookingField::Notes => c.notes.push(v),
            BookingField::Chair
            | BookingField::Provider
            | BookingField::Room
            | BookingField::Type => {}
        }
    }
    if c.candidate.given.is_empty() && c.candidate.family.is_empty() && !c.full.is_empty() {
        (c.candidate.given, c.candidate.family) = split_name(&c.full);
    }
    c
}

/// The practice's rules a row is read by.
struct Reading<'a> {
    practice: &'a Practice,
    order: DateOrder,
    today: NaiveDate,
    region: Option<phonenumber::country::Id>,
}

impl Reading<'_> {
    fn date(&self, what: &str, text: &str) -> Result<NaiveDate, String> {
        if text.is_empty() {
            return Err(format!("There is no {what} on this row."));
        }
        dates::read_coming(text, self.order, self.today)
    }

    /// A local date and minute as an instant; a time the clocks skip is refused.
    fn instant(&self, date: NaiveDate, minute: u32) -> Result<Instant, String> {
        let wall = date.and_time(
            chrono::NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap_or_default(),
        );
        let r = resolve_local(self.practice.tz(), wall);
        if let LocalAdjustment::MovedForward { .. } = r.adjustment {
            return Err(format!(
                "{} on {} does not exist here: the clocks go forward that night.",
                wall.format("%H:%M"),
                date.format("%-d %B %Y")
            ));
        }
        Instant::new(r.ms).ok_or_else(|| "The date is out of range.".to_owned())
    }

    /// The row's time, or why it can't be read.
    fn time(&self, c: &Cells, t: Option<&AppointmentType>) -> Result<BookingTime, String> {
        match self.practice.kind {
            PracticeKind::Dental => self.timed(c, t),
            PracticeKind::Hotel => self.nights(c),
        }
    }

    fn timed(&self, c: &Cells, t: Option<&AppointmentType>) -> Result<BookingTime, String> {
        // "2027-01-05 09:00" in the date column, or in the start column.
        let (date, start) = match (times::split_date_time(&c.date), c.start.as_str()) {
            (Some((d, t)), "") => (d, t),
            (_, s) if c.date.is_empty() => match times::split_date_time(s) {
                Some((d, t)) => (d, t),
                None => ("", s),
            },
            (Some((d, _)), s) => (d, s),
            (None, s) => (c.date.as_str(), s),
        };
        let date = self.date("date", date)?;
        let start = times::split_date_time(start).map_or(start, |(_, t)| t);
        if start.is_empty() {
            return Err("There is no start time on this row.".into());
        }
        let start_minute = times::read_time(start)?;
        let starts = self.instant(date, start_minute)?;
        let ends = if !c.end.is_empty() {
            let end = times::split_date_time(&c.end).map_or(c.end.as_str(), |(_, t)| t);
            let end_minute = times::read_time(end)?;
            if end_minute <= start_minute {
                return Err(format!(
                    "It ends ({}) before it starts ({}).",
                    short(end),
                    short(start)
                ));
            }
            self.instant(date, end_minute)?
        } else {
            let minutes = if !c.duration.is_empty() {
                times::read_minutes(&c.duration)?
            } else {
                t.map(|t| t.duration_minutes).ok_or_else(|| {
                    "There is no end time or length on this row, and no type to take it from."
                        .to_owned()
                })?
            };
            Instant::new(starts.ms() + i64::from(minutes) * 60_000)
                .ok_or_else(|| "The date is out of range.".to_owned())?
        };
        Ok(BookingTime::Timed {
            starts_at_ms: starts,
            ends_at_ms: ends,
        })
    }

    fn nights(&self, c: &Cells) -> Result<BookingTime, String> {
        let arrival_text = if c.arrival.is_empty() {
            &c.date
        } else {
            &c.arrival
        };
        let arrival = self.date("arrival date", arrival_text)?;
        let departure = if !c.departure.is_empty() {
            self.date("departure date", &c.departure)?
        } else if !c.nights.is_empty() {
            let n: u32 = c
                .nights
                .trim()
                .parse()
                .map_err(|_| format!("\"{}\" is not a number of nights.", short(&c.nights)))?;
            arrival
                .checked_add_days(chrono::Days::new(u64::from(n)))
                .ok_or_else(|| "The stay is too long.".to_owned())?
        } else {
            return Err("There is no departure date or number of nights on this row.".into());
        };
        let day =
            |d: NaiveDate| LocalDate::new(d).ok_or_else(|| "The date is out of range.".to_owned());
        Ok(BookingTime::Nights {
            arrival: day(arrival)?,
            departure: day(departure)?,
        })
    }
}

fn short(v: &str) -> String {
    v.chars().take(30).collect()
}

/// The rules a booking can break that the manager may set aside for a row
/// (never a clash).
fn closed(e: &CoreError) -> bool {
    matches!(
        e,
        CoreError::OutsideHours { .. }
            | CoreError::Blocked { .. }
            | CoreError::InPast { .. }
            | CoreError::SecondRoom { .. }
            | CoreError::RoomTypeChanged { .. }
    )
}

/// A rule of the calendar (as opposed to a fault).
fn is_rule(e: &CoreError) -> bool {
    closed(e) || matches!(e, CoreError::Overlap { .. })
}

fn judge(ctx: &ReadCtx<'_>, req: &PreviewImportBookings) -> CoreResult<Judgement> {
    let (file_name, bytes) = uploads::read(ctx, req.upload_id)?;
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    let table = files::read(&bytes, req.encoding, req.separator)?;
    let columns = match &req.columns {
        Some(c) => {
            if c.len() != table.header.len() {
                return Err(CoreError::invalid(
                    "columns",
                    format!(
                        "The file has {} columns; say what each of them holds.",
                        table.header.len()
                    ),
                ));
            }
            for f in BookingField::ALL
                .into_iter()
                .filter(|f| *f != BookingField::Notes)
            {
                if c.iter().filter(|x| **x == Some(f)).count() > 1 {
                    return Err(CoreError::invalid(
                        "columns",
                        format!("Only one column can be \"{}\".", f.label()),
                    ));
                }
            }
            c.clone()
        }
        None => columns::propose(&table.header),
    };
    let practice = crate::setup::practice::require(ctx)?;
    let reading = Reading {
        practice: &practice,
        order: req.date_order.unwrap_or(practice.date_order),
        today: crate::time::local_date(practice.tz(), ctx.now_ms),
        region: phones::region(&practice.country),
    };
    let (targets, _, types) = targets(ctx)?;
    let rows_read: Vec<(&Row, Cells)> =
        table.rows.iter().map(|r| (r, cells(r, &columns))).collect();
    let names = map_names(ctx, req, &rows_read, &targets)?;
    let target_of = |kind: NameKind, name: &str| {
        names
            .iter()
            .find(|n| n.kind == kind && n.name == name)
            .and_then(|n| n.target_id)
    };
    let here = people_in::known(ctx)?;
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, k) in here.people.iter().enumerate() {
        by_name.entry(fold(&k.name)).or_default().push(i);
    }
    let mut new_people = Index::default();
    let mut taken: HashMap<ResourceId, Vec<(i64, i64, usize)>> = HashMap::new();
    let resource_names: HashMap<i64, &str> = targets
        .iter()
        .filter(|t| t.kind != NameKind::Type)
        .map(|t| (t.id, t.name.as_str()))
        .collect();
    let mut rows = Vec::with_capacity(rows_read.len());
    for (row, mut c) in rows_read {
        let mut verdict = BookingRowVerdict {
            row: row.number as i64,
            name: c.candidate.name().chars().take(120).collect(),
            when: String::new(),
            verdict: BookingRowKind::Ready,
            reason: String::new(),
            person_id: None,
            book_anyway: false,
        };
        // The type, chair, provider or room, as mapped.
        let mut type_id = None;
        let mut resource_ids = Vec::new();
        let mut problem: Option<String> = row.problem.clone();
        let mut type_given = false;
        for (kind, name) in &c.named {
            if *kind == NameKind::Type {
                type_given = true;
            } else if name.is_empty() {
                continue;
            }
            match (target_of(*kind, name), kind) {
                (Some(id), NameKind::Type) => type_id = Some(AppointmentTypeId(id)),
                (Some(id), _) => resource_ids.push(ResourceId(id)),
                (None, _) if name.is_empty() => {
                    problem.get_or_insert_with(|| {
                        "The row gives no type: say which type rows without one are, above.".into()
                    });
                }
                (None, _) => {
                    problem.get_or_insert_with(|| {
                        format!(
                            "\"{}\" is not matched to a {} here: say which {} it is, above.",
                            short(name),
                            kind.as_str(),
                            kind.as_str()
                        )
                    });
                }
            }
        }
        if !type_given {
            match target_of(NameKind::Type, "") {
                Some(id) => type_id = Some(AppointmentTypeId(id)),
                None => {
                    problem.get_or_insert_with(|| {
                        "The file gives no type: say which type its bookings are, above.".into()
                    });
                }
            }
        }
        let kind = type_id.and_then(|id| types.iter().find(|t| t.id == id));
        let time = reading.time(&c, kind);
        if let Ok(t) = &time {
            if let Ok((s, e)) = span_of(&practice, t) {
                verdict.when = fmt_span(practice.clock(), s, e);
            }
        }
        let time = match time {
            Ok(t) => Some(t),
            Err(why) => {
                problem.get_or_insert(why);
                None
            }
        };
        // The person: their date of birth and phone read as the desk would.
        if !c.dob.is_empty() {
            match dates::read(&c.dob, reading.order, reading.today) {
                Ok(d) => c.candidate.dob = Some(d),
                Err(why) => {
                    problem.get_or_insert(why);
                }
            }
        }
        if !c.phone.is_empty() {
            c.candidate.phone = phones::normalise(reading.region, &c.phone);
        }
        for (field, label) in [
            ("given_name", "The first name"),
            ("family_name", "The family name"),
        ] {
            let value = if field == "given_name" {
                &mut c.candidate.given
            } else {
                &mut c.candidate.family
            };
            match crate::setup::clean_text(field, label, value, 80, false) {
                Ok(clean) => *value = clean,
                Err(e) => {
                    problem.get_or_insert_with(|| e.to_string());
                }
            }
        }
        let notes = c.notes.join("\n");
        let notes = crate::setup::clean_lines("notes", "The notes", &notes, 4000, false)
            .unwrap_or_else(|_| {
                notes
                    .chars()
                    .filter(|ch| !ch.is_control() || *ch == '\n')
                    .take(4000)
                    .collect()
            });
        let mut whom = None;
        if problem.is_none() {
            let name = c.candidate.name();
            let found = here
                .find(&c.candidate)
                .map(|(i, _)| i)
                .or_else(|| only_by_name(&here, &by_name, &c.candidate));
            match (found, new_people.find(&c.candidate)) {
                (Some(i), _) if here.people[i].archived => {
                    problem = Some(format!(
                        "{}'s record is archived: restore it before bringing in their bookings.",
                        here.people[i].name
                    ));
                }
                (Some(i), _) => {
                    whom = Some(Whom::Here(here.people[i].id));
                    verdict.person_id = Some(here.people[i].id);
                    verdict.name = here.people[i].name.clone();
                }
                (None, Some((i, _))) => {
                    whom = Some(Whom::New {
                        first_row: new_people.people[i].id.0 as usize,
                    });
                }
                (None, None) if name.is_empty() => {
                    problem = Some(if c.candidate.external_id.is_empty() {
                        "There is no one named on this row.".into()
                    } else {
                        format!(
                            "No one here has the number {} from the old system, and the row gives no name.",
                            short(&c.candidate.external_id)
                        )
                    });
                }
                (None, None) => {
                    new_people.add(
                        Known {
                            id: PersonId(row.number as i64),
                            name,
                            given: c.candidate.given.clone(),
                            archived: false,
                            has_number: !c.candidate.external_id.is_empty(),
                            dob: c.candidate.dob,
                        },
                        &c.candidate.external_id,
                        c.candidate.dob,
                        &c.candidate
                            .phone
                            .as_ref()
                            .map(|p| p.digits.clone())
                            .unwrap_or_default(),
                    );
                    whom = Some(Whom::New {
                        first_row: row.number,
                    });
                }
            }
        }
        let person = match &whom {
            Some(Whom::Here(p)) => Some(*p),
            _ => None,
        };
        match (&problem, &time, kind) {
            (Some(why), _, _) => {
                verdict.verdict = BookingRowKind::Problem;
                verdict.reason = why.clone();
            }
            (None, Some(t), Some(kind)) => {
                let anyway = req.book_anyway_rows.contains(&verdict.row);
                let check = |override_rules| {
                    bookings::check_new(
                        ctx,
                        &practice,
                        kind,
                        person,
                        &resource_ids,
                        t,
                        override_rules,
                    )
                };
                let (judged, closed_why) = match check(false) {
                    Err(e) if closed(&e) && anyway => (check(true), Some(e.to_string())),
                    other => (other, None),
                };
                let span = span_of(&practice, t).ok();
                let existing = match (person, span) {
                    (Some(p), Some((s, e))) => bookings::same_time_for(ctx, p, s, e)?,
                    _ => None,
                };
                // Taken by an earlier row of the file (one that will be booked).
                let in_file = span.and_then(|(s, e)| {
                    resource_ids.iter().find_map(|r| {
                        taken.get(r).and_then(|list| {
                            list.iter()
                                .find(|(ts, te, _)| *ts < e && s < *te)
                                .map(|(ts, te, n)| (*r, *ts, *te, *n))
                        })
                    })
                });
                match (existing, in_file, judged) {
                    (Some(_), _, _) => {
                        verdict.verdict = BookingRowKind::Existing;
                        verdict.reason =
                            "Already in the calendar (the same person at the same time).".into();
                    }
                    (None, Some((r, ts, te, n)), _) => {
                        verdict.verdict = BookingRowKind::Clash;
                        verdict.reason = format!(
                            "{} is taken {} by row {n} of the file.",
                            resource_names.get(&r.0).copied().unwrap_or("The place"),
                            fmt_span(practice.clock(), ts, te)
                        );
                    }
                    (None, None, Ok((s, e))) => {
                        for r in &resource_ids {
                            taken.entry(*r).or_default().push((s, e, row.number));
                        }
                        match (&whom, closed_why) {
                            (_, Some(why)) => {
                                verdict.verdict = BookingRowKind::Closed;
                                verdict.reason = why;
                                verdict.book_anyway = true;
                            }
                            (Some(Whom::New { first_row }), None) => {
                                verdict.verdict = BookingRowKind::NewPerson;
                                verdict.reason = if *first_row == row.number {
                                    "No one here matches: they will be added.".into()
                                } else {
                                    format!("Someone new, the same as on row {first_row}.")
                                };
                            }
                            _ => {}
                        }
                    }
                    (None, None, Err(e)) => {
                        verdict.reason = e.to_string();
                        verdict.verdict = if matches!(e, CoreError::Overlap { .. }) {
                            BookingRowKind::Clash
                        } else if closed(&e) {
                            BookingRowKind::Closed
                        } else {
                            BookingRowKind::Problem
                        };
                    }
                }
            }
            _ => {
                verdict.verdict = BookingRowKind::Problem;
                verdict.reason = "The row can't be read.".into();
            }
        }
        rows.push(Judged {
            number: row.number,
            whom,
            candidate: c.candidate,
            type_id,
            resource_ids,
            time,
            notes,
            verdict,
        });
    }
    Ok(Judgement {
        file_name,
        sha256,
        table,
        columns,
        order: reading.order,
        names,
        targets,
        rows,
    })
}

/// Someone typed at the desk (no number from the old system) whom a row
/// names, when no one else here has that name and the dates of birth don't
/// disagree: the bookings file gives the old system's number, the record
/// here doesn't have it.
fn only_by_name(
    here: &Index,
    by_name: &HashMap<String, Vec<usize>>,
    c: &Candidate,
) -> Option<usize> {
    let name = c.name();
    if name.is_empty() {
        return None;
    }
    match by_name.get(&fold(&name))?.as_slice() {
        [i] => {
            let k = &here.people[*i];
            let dob_agrees = match (k.dob, c.dob) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            (!k.has_number && dob_agrees).then_some(*i)
        }
        _ => None,
    }
}

/// The booking's `[start, end)` as the desk would store it.
fn span_of(p: &Practice, t: &BookingTime) -> Result<(i64, i64), ()> {
    match t {
        BookingTime::Timed {
            starts_at_ms,
            ends_at_ms,
        } => Ok((starts_at_ms.ms(), ends_at_ms.ms())),
        BookingTime::Nights { arrival, departure } => Ok((
            crate::time::local_ms(p.tz(), arrival.date(), u32::from(p.check_in_minute)),
            crate::time::local_ms(p.tz(), departure.date(), u32::from(p.check_out_minute)),
        )),
    }
}

/// Each of the old system's names in the file, mapped: as the manager
/// said, else as remembered from an earlier import, else to the Hearth name
/// it most likely is.
fn map_names(
    ctx: &ReadCtx<'_>,
    req: &PreviewImportBookings,
    rows: &[(&Row, Cells)],
    targets: &[NameTarget],
) -> CoreResult<Vec<NameMapping>> {
    for m in &req.names {
        if let Some(id) = m.target_id {
            if !targets.iter().any(|t| t.kind == m.kind && t.id == id) {
                return Err(CoreError::invalid(
                    "names",
                    format!(
                        "The name \"{}\" is mapped to a {} that is not here (or no longer offered).",
                        short(&m.name),
                        m.kind.as_str()
                    ),
                ));
            }
        }
    }
    let remembered = remembered(ctx)?;
    let mut out: Vec<NameMapping> = Vec::new();
    for (_, c) in rows {
        let mut has_type = false;
        for (kind, name) in &c.named {
            has_type |= *kind == NameKind::Type;
            if name.is_empty() && *kind != NameKind::Type {
                continue;
            }
            match out.iter_mut().find(|n| n.kind == *kind && n.name == *name) {
                Some(n) => n.rows += 1,
                None => out.push(NameMapping {
                    kind: *kind,
                    name: name.clone(),
                    rows: 1,
                    target_id: None,
                    how: String::new(),
                }),
            }
        }
        if !has_type {
            match out
                .iter_mut()
                .find(|n| n.kind == NameKind::Type && n.name.is_empty())
            {
                Some(n) => n.rows += 1,
                None => out.push(NameMapping {
                    kind: NameKind::Type,
                    name: String::new(),
                    rows: 1,
                    target_id: None,
                    how: String::new(),
                }),
            }
        }
    }
    for n in &mut out {
        let said = req
            .names
            .iter()
            .find(|m| m.kind == n.kind && m.name == n.name);
        let kept = remembered
            .get(&(n.kind.as_str().to_owned(), columns::fold(&n.name)))
            .filter(|id| targets.iter().any(|t| t.kind == n.kind && t.id == **id));
        (n.target_id, n.how) = match (said, kept) {
            (Some(m), _) => (m.target_id, "As you said".into()),
            (None, Some(id)) => (Some(*id), "As at the last import".into()),
            (None, None) => match propose_target(n.kind, &n.name, targets) {
                Some(id) => (Some(id), "Same name".into()),
                None => (None, "Not matched".into()),
            },
        };
    }
    out.sort_by_key(|n| n.kind.as_str());
    Ok(out)
}
