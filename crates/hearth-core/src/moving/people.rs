//! Bringing people in from another system's export. Every row is judged
//! before anything is written — ready; someone already in Hearth (the same
//! number in the old system, the same name and date of birth, or the same
//! phone with the same first name: it says which); the same person as an
//! earlier row of the file; or a problem in words, with the row's number —
//! by the same rules as a record typed at the desk (`people::records`). The
//! manager then chooses, per kind, to skip, to fill in the record already
//! here, or to add anyway, and the import is written in batches of
//! [`BATCH`] rows (so the desk's bookings never wait long behind it), each
//! change recorded so that it can be undone (`moving::imports`).
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::columns::{self, PersonField};
use super::dates;
use super::table::{Row, Separator, Table, TextEncoding};
use super::{files, imports, uploads};
use crate::app::{Actor, Ctx, Hearth, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::PersonId;
use crate::people::alerts::{self, AlertKind};
use crate::people::phones::{self, Phone};
use crate::people::search::fold;
use crate::people::{notes, records};
use crate::setup::practice::DateOrder;

/// Rows written per transaction.
pub const BATCH: usize = 200;

/// Rows shown with their cells in the preview.
const FIRST_ROWS: usize = 10;

/// Rows needing a look listed in the preview (the counts are always whole).
const LISTED: usize = 2_000;

/// How the file is to be read: the same for the preview and the import.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct PreviewImportPeople {
    /// The file handed over (`add_import_part`).
    pub upload_id: i64,
    /// What each column holds; none: as Hearth proposes from the header.
    #[serde(default)]
    pub columns: Option<Vec<Option<PersonField>>>,
    #[serde(default)]
    pub encoding: Option<TextEncoding>,
    #[serde(default)]
    pub separator: Option<Separator>,
    /// The order of the file's dates; none: the practice's.
    #[serde(default)]
    pub date_order: Option<DateOrder>,
}

/// What to do with each kind of row.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OnExisting {
    #[default]
    Skip,
    /// Fill in what the record here lacks; add the alerts, notes and dates.
    Merge,
    AddAnyway,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OnInFile {
    #[default]
    Skip,
    AddAnyway,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OnProblem {
    #[default]
    Skip,
    /// Import the row without the value that can't be read (kept, as
    /// typed, in a note). A row without a name is always skipped.
    LeaveOut,
}

/// `import_people`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ImportPeople {
    pub upload_id: i64,
    #[serde(default)]
    pub columns: Option<Vec<Option<PersonField>>>,
    #[serde(default)]
    pub encoding: Option<TextEncoding>,
    #[serde(default)]
    pub separator: Option<Separator>,
    #[serde(default)]
    pub date_order: Option<DateOrder>,
    #[serde(default)]
    pub on_existing: OnExisting,
    #[serde(default)]
    pub on_in_file: OnInFile,
    #[serde(default)]
    pub on_problem: OnProblem,
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportVerdict {
    Ready,
    /// Someone already in Hearth.
    Existing,
    /// The same person as an earlier row.
    InFile,
    Problem,
}

/// A row as judged.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct RowVerdict {
    /// Its line in the file (the header is line 1).
    pub row: i64,
    /// The name as read ("" when there is none).
    pub name: String,
    pub verdict: ImportVerdict,
    /// Why, in words ("Same phone and first name as Ann Smith").
    pub reason: String,
    /// Existing: who (recorded as a look, through "import preview").
    pub person_id: Option<PersonId>,
    /// InFile: the earlier row.
    pub same_as_row: Option<i64>,
    /// Problem: the row can still be imported without the value (`leave_out`).
    pub can_leave_out: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct FieldChoice {
    pub field: PersonField,
    pub label: String,
    /// Several columns may feed it.
    pub joins: bool,
}

/// A first row with its cells, and what Hearth made of it.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct PreviewRow {
    pub cells: Vec<String>,
    pub verdict: RowVerdict,
}

/// The preview: how the file was read and what each row is.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct PeoplePreview {
    pub file_name: String,
    pub encoding: TextEncoding,
    pub separator: Separator,
    pub date_order: DateOrder,
    pub header: Vec<String>,
    pub columns: Vec<Option<PersonField>>,
    pub fields: Vec<FieldChoice>,
    pub first_rows: Vec<PreviewRow>,
    pub rows: i64,
    pub ready: i64,
    pub existing: i64,
    pub in_file: i64,
    pub problems: i64,
    /// Problems that can go in without the value that can't be read.
    pub can_leave_out: i64,
    /// The rows that are not ready, in file order (at most 2,000 listed).
    pub attention: Vec<RowVerdict>,
    /// The same file was imported before (and not undone): when.
    pub imported_before_ms: Option<i64>,
}

/// A row read into a person.
#[derive(Debug, Clone, Default)]
pub(super) struct Candidate {
    pub(super) given: String,
    pub(super) family: String,
    preferred: String,
    pub(super) dob: Option<NaiveDate>,
    pub(super) phone: Option<Phone>,
    other_phone: Option<Phone>,
    email: String,
    address: String,
    notes: Vec<String>,
    alerts: Vec<String>,
    anniversary: Option<NaiveDate>,
    pub(super) external_id: String,
    last_visit: Option<NaiveDate>,
    /// Values that can't be read: (what, as typed, why).
    unreadable: Vec<(&'static str, String, String)>,
}

impl Candidate {
    pub(super) fn name(&self) -> String {
        crate::people::records::full_name(&self.given, &self.family)
    }
}

/// The practice's rules a row is read by.
struct Rules {
    region: Option<phonenumber::country::Id>,
    order: DateOrder,
    today: NaiveDate,
}

/// Someone already here, as matching needs them.
pub(super) struct Known {
    pub(super) id: PersonId,
    pub(super) name: String,
    pub(super) given: String,
    /// Archived: restored before they can be booked.
    pub(super) archived: bool,
    /// Has a number from the old system.
    pub(super) has_number: bool,
    pub(super) dob: Option<NaiveDate>,
}

/// Who is already here, by each key a duplicate is found by.
#[derive(Default)]
pub(super) struct Index {
    by_external: HashMap<String, usize>,
    by_name_dob: HashMap<(String, NaiveDate), usize>,
    by_phone: HashMap<String, Vec<usize>>,
    /// People with nothing but a name (no number, birth date or phone).
    by_name_only: HashMap<String, usize>,
    pub(super) people: Vec<Known>,
}

impl Index {
    pub(super) fn add(&mut self, k: Known, external: &str, dob: Option<NaiveDate>, digits: &str) {
        let i = self.people.len();
        if !external.is_empty() {
            self.by_external.entry(external.to_owned()).or_insert(i);
        }
        if let Some(d) = dob {
            self.by_name_dob.entry((fold(&k.name), d)).or_insert(i);
        }
        for t in digits.split_whitespace() {
            self.by_phone.entry(t.to_owned()).or_default().push(i);
        }
        if external.is_empty() && dob.is_none() && digits.trim().is_empty() {
            self.by_name_only.entry(fold(&k.name)).or_insert(i);
        }
        self.people.push(k);
    }

    /// Whom `c` matches, and why.
    pub(super) fn find(&self, c: &Candidate) -> Option<(usize, String)> {
        if !c.external_id.is_empty() {
            if let Some(&i) = self.by_external.get(&c.external_id) {
                return Some((
                    i,
                    format!("Same number in the old system ({})", c.external_id),
                ));
            }
        }
        if let Some(d) = c.dob {
            if let Some(&i) = self.by_name_dob.get(&(fold(&c.name()), d)) {
                return Some((i, "Same name and date of birth".into()));
            }
        }
        // A phone is shared in a family: it is the same person only when the
        // first names agree too.
        let given = fold(&c.given);
        for p in [&c.phone, &c.other_phone].into_iter().flatten() {
            for t in p.digits.split_whitespace() {
                if let Some(list) = self.by_phone.get(t) {
                    if let Some(&i) = list
                        .iter()
                        .find(|&&i| !given.is_empty() && fold(&self.people[i].given) == given)
                    {
                        return Some((i, format!("Same phone ({}) and first name", p.display)));
                    }
                }
            }
        }
        // Nothing but a name on either side: nothing tells them apart (and
        // the same file imported twice adds nobody).
        if c.external_id.is_empty()
            && c.dob.is_none()
            && c.phone.is_none()
            && c.other_phone.is_none()
        {
            if let Some(&i) = self.by_name_only.get(&fold(&c.name())) {
                return Some((i, "Same name, and nothing else to tell them apart,".into()));
            }
        }
        None
    }
}

/// A row judged, with what it would write.
struct Judged {
    number: usize,
    candidate: Candidate,
    verdict: RowVerdict,
}

/// The file read, and every row judged.
struct Judgement {
    file_name: String,
    sha256: String,
    table: Table,
    columns: Vec<Option<PersonField>>,
    order: DateOrder,
    rows: Vec<Judged>,
}

pub fn preview(ctx: &ReadCtx<'_>, req: PreviewImportPeople) -> CoreResult<PeoplePreview> {
    let j = judge(
        ctx,
        req.upload_id,
        req.columns,
        req.encoding,
        req.separator,
        req.date_order,
    )?;
    let count = |v: ImportVerdict| j.rows.iter().filter(|r| r.verdict.verdict == v).count() as i64;
    let imported_before_ms = imports::done_with(ctx, &j.sha256)?;
    Ok(PeoplePreview {
        file_name: j.file_name.clone(),
        encoding: j.table.encoding,
        separator: j.table.separator,
        date_order: j.order,
        header: j.table.header.clone(),
        columns: j.columns.clone(),
        fields: PersonField::ALL
            .into_iter()
            .map(|f| FieldChoice {
                field: f,
                label: f.label().into(),
                joins: f.joins(),
            })
            .collect(),
        first_rows: j
            .rows
            .iter()
            .take(FIRST_ROWS)
            .map(|r| PreviewRow {
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
        ready: count(ImportVerdict::Ready),
        existing: count(ImportVerdict::Existing),
        in_file: count(ImportVerdict::InFile),
        problems: count(ImportVerdict::Problem),
        can_leave_out: j.rows.iter().filter(|r| r.verdict.can_leave_out).count() as i64,
        attention: j
            .rows
            .iter()
            .filter(|r| r.verdict.verdict != ImportVerdict::Ready)
            .take(LISTED)
            .map(|r| r.verdict.clone())
            .collect(),
        imported_before_ms,
    })
}

/// What an import did.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct ImportDone {
    pub import: imports::ImportRecord,
}

/// `import_people`: judges the file again (never trusting an earlier
/// preview), then writes it in batches; the import is recorded before its
/// first batch, so even one cut short can be undone.
pub fn import(h: &Hearth, actor: &Actor, req: ImportPeople) -> CoreResult<ImportDone> {
    let j = h.read(actor, |ctx| {
        judge(
            ctx,
            req.upload_id,
            req.columns.clone(),
            req.encoding,
            req.separator,
            req.date_order,
        )
    })?;
    let plan: Vec<(&Judged, Action)> = j.rows.iter().map(|r| (r, action(r, &req))).collect();
    let skipped = plan.iter().filter(|(_, a)| *a == Action::Skip).count() as i64;
    let import_id = h.write(actor, "import_people", |ctx| {
        let id = imports::start(ctx, "people", &j.file_name, &j.sha256)?;
        ctx.detail(serde_json::json!({ "import": id, "rows": j.rows.len(), "started": true }));
        Ok(id)
    })?;
    let mut added = 0i64;
    let mut merged = 0i64;
    for batch in plan.chunks(BATCH) {
        let (a, m) = h.write(actor, "import_people", |ctx| {
            let (mut a, mut m) = (0i64, 0i64);
            for (row, act) in batch {
                match act {
                    Action::Skip => {}
                    Action::Add => {
                        add(ctx, import_id, &row.candidate)?;
                        a += 1;
                    }
                    Action::Merge(into) => {
                        fill(ctx, import_id, *into, &row.candidate)?;
                        m += 1;
                    }
                }
            }
            imports::count(ctx, import_id, a, m, 0)?;
            ctx.detail(serde_json::json!({
                "import": import_id,
                "from_row": batch.first().map(|(r, _)| r.number),
                "to_row": batch.last().map(|(r, _)| r.number),
                "added": a, "merged": m,
            }));
            Ok((a, m))
        })?;
        added += a;
        merged += m;
        // The writer's lock is not fair: a moment's pause hands it to a
        // booking waiting at the desk before the next batch takes it again.
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let record = h.write(actor, "import_people", |ctx| {
        imports::count(ctx, import_id, 0, 0, skipped)?;
        let record = imports::finish(ctx, import_id)?;
        uploads::remove(ctx, req.upload_id)?;
        ctx.changed(topics::PERSON_CHANGED, 0);
        ctx.detail(serde_json::json!({
            "import": import_id, "added": added, "merged": merged, "skipped": skipped, "done": true,
        }));
        Ok(record)
    })?;
    Ok(ImportDone { import: record })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Skip,
    Add,
    Merge(PersonId),
}

fn action(r: &Judged, req: &ImportPeople) -> Action {
    match r.verdict.verdict {
        ImportVerdict::Ready => Action::Add,
        ImportVerdict::Existing => match (req.on_existing, r.verdict.person_id) {
            (OnExisting::Skip, _) => Action::Skip,
            (OnExisting::Merge, Some(p)) => Action::Merge(p),
            (OnExisting::Merge, None) => Action::Skip,
            (OnExisting::AddAnyway, _) => Action::Add,
        },
        ImportVerdict::InFile => match req.on_in_file {
            OnInFile::Skip => Action::Skip,
            OnInFile::AddAnyway => Action::Add,
        },
        ImportVerdict::Problem => match req.on_problem {
            OnProblem::LeaveOut if r.verdict.can_leave_out => Action::Add,
            _ => Action::Skip,
        },
    }
}

fn judge(
    ctx: &ReadCtx<'_>,
    upload_id: i64,
    columns: Option<Vec<Option<PersonField>>>,
    encoding: Option<TextEncoding>,
    separator: Option<Separator>,
    date_order: Option<DateOrder>,
) -> CoreResult<Judgement> {
    let (file_name, bytes) = uploads::read(ctx, upload_id)?;
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    let table = files::read(&bytes, encoding, separator)?;
    let columns = match columns {
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
            for f in PersonField::ALL.into_iter().filter(|f| !f.joins()) {
                if c.iter().filter(|x| **x == Some(f)).count() > 1 {
                    return Err(CoreError::invalid(
                        "columns",
                        format!("Only one column can be \"{}\".", f.label()),
                    ));
                }
            }
            c
        }
        None => columns::propose(&table.header),
    };
    let practice = crate::setup::practice::load(ctx)?;
    let rules = Rules {
        region: practice.as_ref().and_then(|p| phones::region(&p.country)),
        order: date_order
            .or(practice.as_ref().map(|p| p.date_order))
            .unwrap_or(DateOrder::Dmy),
        today: practice.as_ref().map_or_else(
            || crate::time::local_date(chrono_tz::UTC, ctx.now_ms),
            |p| crate::time::local_date(p.tz(), ctx.now_ms),
        ),
    };
    let here = known(ctx)?;
    let mut in_file = Index::default();
    let mut rows = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let (candidate, problem) = read_row(row, &table.header, &columns, &rules);
        let name = candidate.name();
        let mut verdict = RowVerdict {
            row: row.number as i64,
            name: name.chars().take(120).collect(),
            verdict: ImportVerdict::Ready,
            reason: String::new(),
            person_id: None,
            same_as_row: None,
            can_leave_out: false,
        };
        // A row that can't be read at all is a problem; one with a value that
        // can't be read is first someone already here (or on an earlier
        // row), so that a second import of the same file adds nobody.
        let also = |reason: String| match &problem {
            Some((why, true)) => format!("{reason}; also: {why}"),
            _ => reason,
        };
        match (&problem, here.find(&candidate), in_file.find(&candidate)) {
            (Some((why, false)), _, _) => {
                verdict.verdict = ImportVerdict::Problem;
                verdict.reason = why.clone();
            }
            (_, Some((i, why)), _) => {
                let k = &here.people[i];
                verdict.verdict = ImportVerdict::Existing;
                verdict.reason = also(format!("{why} as {} (already here)", k.name));
                verdict.person_id = Some(k.id);
            }
            (_, None, Some((i, why))) => {
                let first = in_file.people[i].id.0;
                verdict.verdict = ImportVerdict::InFile;
                verdict.reason = also(format!("{why} as row {first} of the file"));
                verdict.same_as_row = Some(first);
            }
            (Some((why, true)), None, None) => {
                verdict.verdict = ImportVerdict::Problem;
                verdict.reason = why.clone();
                verdict.can_leave_out = true;
            }
            (None, None, None) => {}
        }
        // Later rows are matched against every earlier one that has a name.
        if !name.is_empty() {
            let digits: Vec<String> = [&candidate.phone, &candidate.other_phone]
                .into_iter()
                .flatten()
                .map(|p| p.digits.clone())
                .collect();
            in_file.add(
                Known {
                    id: PersonId(row.number as i64),
                    name: name.clone(),
                    given: candidate.given.clone(),
                    archived: false,
                    has_number: !candidate.external_id.is_empty(),
                    dob: candidate.dob,
                },
                &candidate.external_id,
                candidate.dob,
                &digits.join(" "),
            );
        }
        rows.push(Judged {
            number: row.number,
            candidate,
            verdict,
        });
    }
    Ok(Judgement {
        file_name,
        sha256,
        table,
        columns,
        order: rules.order,
        rows,
    })
}

/// Everyone here a row could be (live records, and archived ones that were
/// not merged away or erased).
pub(super) fn known(ctx: &ReadCtx<'_>) -> CoreResult<Index> {
    let mut index = Index::default();
    let mut stmt = ctx.tx.prepare(
        "SELECT id, given_name, family_name, external_id, date_of_birth, phone_digits, archived FROM people
          WHERE merged_into IS NULL AND erased_at_ms IS NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let given: String = r.get(1)?;
        let family: String = r.get(2)?;
        let external: String = r.get(3)?;
        let dob: Option<String> = r.get(4)?;
        let digits: String = r.get(5)?;
        let dob = crate::instant::LocalDate::from_stored(dob.as_deref()).map(|d| d.date());
        index.add(
            Known {
                id: PersonId(r.get(0)?),
                name: crate::people::records::full_name(&given, &family),
                given,
                archived: r.get(6)?,
                has_number: !external.is_empty(),
                dob,
            },
            &external,
            dob,
            &digits,
        );
    }
    Ok(index)
}

/// Reads one row into a person by the practice's rules: the candidate, and
/// the first problem (in words; and whether the row can go in without the
/// value).
fn read_row(
    row: &Row,
    header: &[String],
    columns: &[Option<PersonField>],
    rules: &Rules,
) -> (Candidate, Option<(String, bool)>) {
    let mut c = Candidate::default();
    let mut fatal: Option<String> = row.problem.clone();
    let mut full = String::new();
    let mut address: Vec<&str> = Vec::new();
    let cell = |i: usize| row.cell(i);
    for (i, field) in columns.iter().enumerate() {
        let Some(field) = field else { continue };
        // A cell a spreadsheet export kept from running as a formula.
        let v = super::export::unneutralised(cell(i));
        if v.is_empty() {
            continue;
        }
        let heading = header.get(i).map_or("", String::as_str);
        match field {
            PersonField::GivenName => c.given = v.to_owned(),
            PersonField::FamilyName => c.family = v.to_owned(),
            PersonField::FullName => full = v.to_owned(),
            PersonField::PreferredName => c.preferred = v.to_owned(),
            PersonField::Email => c.email = v.to_owned(),
            PersonField::ExternalId => c.external_id = v.chars().take(60).collect(),
            PersonField::Address => address.push(v),
            PersonField::Notes => c.notes.push(v.to_owned()),
            // Each line an alert; named after its column unless the column
            // is just "Alerts" or "Allergies".
            PersonField::Alerts => {
                let generic = ["alerts", "alert", "allergies", "allergy", ""]
                    .contains(&columns::fold(heading).as_str());
                for line in v.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    c.alerts.push(if generic {
                        line.to_owned()
                    } else {
                        format!("{heading}: {line}")
                    });
                }
            }
            PersonField::Phone | PersonField::OtherPhone => {
                match phones::normalise(rules.region, v) {
                    Some(p) if *field == PersonField::Phone => c.phone = Some(p),
                    Some(p) => c.other_phone = Some(p),
                    None => c.unreadable.push((
                        field.label(),
                        v.to_owned(),
                        format!(
                            "\"{}\" is not a phone number for this practice's country.",
                            short(v)
                        ),
                    )),
                }
            }
            PersonField::BirthDate | PersonField::Anniversary | PersonField::LastVisit => {
                match dates::read(v, rules.order, rules.today) {
                    Ok(d) if *field == PersonField::BirthDate && d > rules.today => {
                        c.unreadable.push((
                            field.label(),
                            v.to_owned(),
                            format!("The date of birth \"{}\" is in the future.", short(v)),
                        ))
                    }
                    Ok(d) => match field {
                        PersonField::BirthDate => c.dob = Some(d),
                        PersonField::Anniversary => c.anniversary = Some(d),
                        _ => c.last_visit = Some(d),
                    },
                    Err(why) => c.unreadable.push((field.label(), v.to_owned(), why)),
                }
            }
        }
    }
    if !full.is_empty() && c.given.is_empty() && c.family.is_empty() {
        (c.given, c.family) = split_name(&full);
    }
    c.address = address.join(", ");
    // The desk's own rules for each text (one line, length, invisible characters).
    let checks: [(&str, &str, usize); 5] = [
        ("given_name", "The first name", 80),
        ("family_name", "The family name", 80),
        ("preferred_name", "The preferred name", 80),
        ("address", "The address", 300),
        ("email", "The e-mail", 200),
    ];
    for (field, label, max) in checks {
        let value = match field {
            "given_name" => &mut c.given,
            "family_name" => &mut c.family,
            "preferred_name" => &mut c.preferred,
            "address" => &mut c.address,
            _ => &mut c.email,
        };
        match crate::setup::clean_text(field, label, value, max, false) {
            Ok(clean) => *value = clean,
            Err(e) if matches!(field, "given_name" | "family_name") => {
                fatal.get_or_insert_with(|| e.to_string());
            }
            Err(e) => {
                let raw = std::mem::take(value);
                c.unreadable.push((label_of(field), raw, e.to_string()));
            }
        }
    }
    if !c.email.is_empty() {
        if let Err(e) = crate::people::records::clean_email(&c.email) {
            let raw = std::mem::take(&mut c.email);
            c.unreadable.push(("E-mail", raw, e.to_string()));
        }
    }
    for note in c.notes.iter_mut().chain(c.alerts.iter_mut()) {
        *note =
            crate::setup::clean_lines("notes", "A note", note, 4000, false).unwrap_or_else(|_| {
                note.chars()
                    .filter(|ch| !ch.is_control() || *ch == '\n')
                    .collect()
            });
    }
    if c.given.is_empty() && c.family.is_empty() {
        fatal.get_or_insert_with(|| "There is no name on this row.".into());
    }
    let problem = match (fatal, c.unreadable.first()) {
        (Some(why), _) => Some((why, false)),
        (None, Some((_, _, why))) => Some((why.clone(), true)),
        (None, None) => None,
    };
    (c, problem)
}

fn label_of(field: &str) -> &'static str {
    match field {
        "preferred_name" => "Preferred name",
        "address" => "Address",
        _ => "E-mail",
    }
}

fn short(v: &str) -> String {
    v.chars().take(30).collect()
}

/// "Smith, Ann" → ("Ann", "Smith"); "Ann Marie Smith" → ("Ann Marie", "Smith").
pub(super) fn split_name(full: &str) -> (String, String) {
    let full = full.trim();
    if let Some((family, given)) = full.split_once(',') {
        return (given.trim().to_owned(), family.trim().to_owned());
    }
    match full.rsplit_once(' ') {
        Some((given, family)) => (given.trim().to_owned(), family.trim().to_owned()),
        None => (full.to_owned(), String::new()),
    }
}

/// The notes a row brings: its notes, the last visit, and what could not be read.
fn notes_of(c: &Candidate) -> Vec<String> {
    let mut out: Vec<String> = c.notes.clone();
    if let Some(d) = c.last_visit {
        out.push(format!(
            "Last visit in the old system: {}.",
            d.format("%-d %B %Y")
        ));
    }
    for (what, raw, _) in &c.unreadable {
        out.push(format!(
            "From the old system, not imported ({what} could not be read): {}",
            raw.chars().take(200).collect::<String>()
        ));
    }
    out
}

/// Adds a person, with their alerts, notes and dates; each recorded.
fn add(ctx: &mut Ctx<'_>, import_id: i64, c: &Candidate) -> CoreResult<PersonId> {
    let id = records::insert_imported(
        ctx,
        &records::Imported {
            given: &c.given,
            family: &c.family,
            preferred: &c.preferred,
            date_of_birth: c.dob,
            phone: c.phone.as_ref(),
            other_phone: c.other_phone.as_ref(),
            email: &c.email,
            address: &c.address,
            external_id: &c.external_id,
        },
    )?;
    imports::record(ctx, import_id, "person", id.0, id, None, None)?;
    attach(ctx, import_id, id, c)?;
    Ok(id)
}

/// The alerts, notes and anniversary a row brings to `person`.
fn attach(ctx: &mut Ctx<'_>, import_id: i64, person: PersonId, c: &Candidate) -> CoreResult<()> {
    for text in &c.alerts {
        let kind = if text.to_lowercase().contains("allerg") {
            AlertKind::Allergy
        } else {
            AlertKind::Other
        };
        let row = alerts::insert_imported(ctx, person, kind, text)?;
        imports::record(ctx, import_id, "alert", row, person, None, None)?;
    }
    for body in notes_of(c) {
        let row = notes::insert_imported(ctx, person, &body)?;
        imports::record(ctx, import_id, "note", row, person, None, None)?;
    }
    if let Some(d) = c.anniversary {
        let row = crate::people::dates::insert_imported_anniversary(ctx, person, d)?;
        imports::record(ctx, import_id, "date", row, person, None, None)?;
    }
    ctx.changed(topics::PERSON_CHANGED, person);
    Ok(())
}

/// Fills in what `person` lacks from the row (never overwriting what the
/// desk wrote), and adds the row's alerts, notes and dates; the fields as
/// they were and as they are now are recorded for the undo.
fn fill(ctx: &mut Ctx<'_>, import_id: i64, person: PersonId, c: &Candidate) -> CoreResult<()> {
    let (known_digits, _) = records::digits_and_external_id(ctx, person)?;
    let new_phone = [&c.phone, &c.other_phone].into_iter().flatten().find(|ph| {
        !ph.digits
            .split_whitespace()
            .any(|d| known_digits.split_whitespace().any(|k| k == d))
    });
    let offered: [(&str, String, Option<&str>); 6] = [
        ("preferred_name", c.preferred.clone(), None),
        ("email", c.email.clone(), None),
        ("address", c.address.clone(), None),
        (
            "date_of_birth",
            c.dob.map(|d| d.to_string()).unwrap_or_default(),
            None,
        ),
        ("external_id", c.external_id.clone(), None),
        (
            "phone",
            new_phone.map(|p| p.display.clone()).unwrap_or_default(),
            new_phone.map(|p| p.digits.as_str()),
        ),
    ];
    let now = records::fillables(ctx, person)?;
    let empty = |f: &str| now.get(f).is_none_or(String::is_empty);
    let mut before = serde_json::Map::new();
    let mut after = serde_json::Map::new();
    for (field, value, digits) in offered {
        if value.is_empty() {
            continue;
        }
        // A new phone goes where there is room: the phone, else the other phone.
        let field = if field == "phone" && !empty("phone") {
            "other_phone"
        } else {
            field
        };
        if !empty(field) {
            continue;
        }
        records::set_fillable(ctx, person, field, &value, digits)?;
        before.insert(field.into(), serde_json::Value::String(String::new()));
        after.insert(field.into(), serde_json::Value::String(value));
    }
    if !after.is_empty() {
        imports::record(
            ctx,
            import_id,
            "filled",
            person.0,
            person,
            Some(&serde_json::Value::Object(before).to_string()),
            Some(&serde_json::Value::Object(after).to_string()),
        )?;
    }
    attach(ctx, import_id, person, c)
}
