//! Moving out, beyond the people (`export.rs`): the bookings of a range,
//! the incidents, the tasks and the handoffs — and, for the whole-practice
//! archive (`archive.rs`), the notes, important dates, team, chairs, rooms
//! and types — each as a spreadsheet file any system or person can read:
//! UTF-8, a header row, times in the practice's zone, dates as
//! year-month-day or in the practice's order, formulas neutralised. Each
//! sheet is one query whose column names are its header; the bookings'
//! header is one the bookings import recognises, so they re-import into a
//! fresh practice as the same bookings.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::export::{neutralised, slug, CsvFile, Shown};
use crate::app::Ctx;
use crate::app::ReadCtx;
use crate::error::{CoreError, CoreResult};
use crate::ids::PersonId;
use crate::instant::LocalDate;
use crate::setup::practice::{DateOrder, Practice};
use crate::time::{local_ms, to_local};

/// What is exported (`export_sheet`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SheetKind {
    Bookings,
    Incidents,
    Tasks,
    Handoffs,
}

/// `export_sheet`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ExportSheet {
    pub sheet: SheetKind,
    /// First local day (bookings: that start on or after it; the others:
    /// made on or after it). None: from the first.
    #[serde(default)]
    pub from_date: Option<LocalDate>,
    /// Last local day, included. None: to the last.
    #[serde(default)]
    pub to_date: Option<LocalDate>,
    /// Bookings: cancelled ones and no-shows too.
    #[serde(default)]
    pub include_cancelled: bool,
    /// Dates in the practice's order rather than year-month-day.
    #[serde(default)]
    pub practice_date_order: bool,
}

/// How a column's stored value is written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Cell {
    Text,
    /// Milliseconds: the local date and time ("2027-01-05 09:00").
    Instant,
    /// Milliseconds: the local date.
    Day,
    /// Milliseconds: the local time ("09:00").
    Time,
    /// A stored local date ("2027-01-05").
    Date,
}

/// One sheet: its file name, its query (its column names are the header;
/// `?1` and `?2` the range in milliseconds, `?3` whether cancelled bookings
/// count, each if the sheet takes it), how each column is written, and the
/// column naming the person.
pub(super) struct Sheet {
    pub name: &'static str,
    pub sql: &'static str,
    pub cells: &'static [Cell],
    pub person: Option<usize>,
}

use Cell::{Date, Day, Instant, Text, Time};

const BOOKINGS: Sheet = Sheet {
    name: "bookings",
    sql: "SELECT b.id AS \"Booking ID\", b.person_id AS \"Hearth ID\",
                 CASE WHEN p.erased_at_ms IS NULL THEN coalesce(p.given_name, '') ELSE '' END AS \"First name\",
                 CASE WHEN p.erased_at_ms IS NULL THEN coalesce(p.family_name, b.person_name) ELSE '' END AS \"Family name\",
                 b.starts_at_ms AS \"Date\", b.starts_at_ms AS \"Start\", b.ends_at_ms AS \"End\",
                 b.arrival_date AS \"Arrival\", b.departure_date AS \"Departure\",
                 (SELECT group_concat(r.name, ', ') FROM booking_resources br JOIN resources r ON r.id = br.resource_id
                   WHERE br.booking_id = b.id AND r.kind = 'chair') AS \"Chair\",
                 (SELECT group_concat(r.name, ', ') FROM booking_resources br JOIN resources r ON r.id = br.resource_id
                   WHERE br.booking_id = b.id AND r.kind = 'provider') AS \"Provider\",
                 (SELECT group_concat(r.name, ', ') FROM booking_resources br JOIN resources r ON r.id = br.resource_id
                   WHERE br.booking_id = b.id AND r.kind = 'room') AS \"Room\",
                 t.name AS \"Type\", b.status AS \"Status\", b.notes AS \"Notes\",
                 coalesce(b.cancel_reason, '') AS \"Cancel reason\", b.created_at_ms AS \"Booked at\"
            FROM bookings b JOIN appointment_types t ON t.id = b.type_id LEFT JOIN people p ON p.id = b.person_id
           WHERE b.starts_at_ms >= ?1 AND b.starts_at_ms < ?2 AND (?3 OR b.live = 1)
           ORDER BY b.starts_at_ms, b.id",
    cells: &[
        Text, Text, Text, Text, Day, Time, Time, Date, Date, Text, Text, Text, Text, Text, Text,
        Text, Instant,
    ],
    person: Some(1),
};

const INCIDENTS: Sheet = Sheet {
    name: "incidents",
    sql: "SELECT i.id AS \"Incident ID\", i.booking_id AS \"Booking ID\", i.person_id AS \"Hearth ID\",
                 CASE WHEN p.erased_at_ms IS NULL THEN coalesce(p.given_name || ' ' || p.family_name, '') ELSE '' END AS \"Name\",
                 i.reported_at_ms AS \"Reported at\", coalesce(rb.name, '') AS \"Reported by\",
                 i.category AS \"Category\", i.severity AS \"Severity\", i.place AS \"Place\", i.what AS \"What happened\",
                 coalesce(hb.name, '') AS \"Handled by\", i.resolution AS \"Resolution\", i.resolved_at_ms AS \"Resolved at\",
                 CASE WHEN i.remember THEN 'yes' ELSE '' END AS \"Remembered\", i.gesture AS \"Gesture\"
            FROM incidents i LEFT JOIN people p ON p.id = i.person_id
            LEFT JOIN staff rb ON rb.id = i.reported_by LEFT JOIN staff hb ON hb.id = i.handled_by
           WHERE i.reported_at_ms >= ?1 AND i.reported_at_ms < ?2
           ORDER BY i.reported_at_ms, i.id",
    cells: &[
        Text, Text, Text, Text, Instant, Text, Text, Text, Text, Text, Text, Text, Instant, Text,
        Text,
    ],
    person: Some(2),
};

const TASKS: Sheet = Sheet {
    name: "tasks",
    sql: "SELECT t.id AS \"Task ID\", t.title AS \"Task\", t.details AS \"Details\", t.due_at_ms AS \"Due\",
                 coalesce(t.role, '') AS \"For role\", coalesce(s.name, '') AS \"For\",
                 t.person_id AS \"Hearth ID\",
                 CASE WHEN p.erased_at_ms IS NULL THEN coalesce(p.given_name || ' ' || p.family_name, '') ELSE '' END AS \"Name\",
                 t.booking_id AS \"Booking ID\", t.status AS \"Status\", coalesce(c.name, '') AS \"Closed by\",
                 t.closed_at_ms AS \"Closed at\", t.close_note AS \"Note\", t.created_at_ms AS \"Made at\"
            FROM tasks t LEFT JOIN people p ON p.id = t.person_id
            LEFT JOIN staff s ON s.id = t.staff_id LEFT JOIN staff c ON c.id = t.closed_by
           WHERE t.created_at_ms >= ?1 AND t.created_at_ms < ?2
           ORDER BY t.due_at_ms, t.id",
    cells: &[
        Text, Text, Text, Instant, Text, Text, Text, Text, Text, Text, Text, Instant, Text, Instant,
    ],
    person: Some(6),
};

const HANDOFFS: Sheet = Sheet {
    name: "handoffs",
    sql: "SELECT h.id AS \"Handoff ID\", h.created_at_ms AS \"Written at\", coalesce(f.name, '') AS \"From\",
                 coalesce(h.to_role, '') AS \"To role\", coalesce(ts.name, '') AS \"To\",
                 h.person_id AS \"Hearth ID\",
                 CASE WHEN p.erased_at_ms IS NULL THEN coalesce(p.given_name || ' ' || p.family_name, '') ELSE '' END AS \"Name\",
                 h.booking_id AS \"Booking ID\", h.body AS \"Message\", h.priority AS \"Priority\", h.action AS \"Asks for\",
                 h.status AS \"Status\", coalesce(c.name, '') AS \"Closed by\", h.closed_at_ms AS \"Closed at\",
                 h.outcome AS \"Outcome\"
            FROM handoffs h LEFT JOIN people p ON p.id = h.person_id LEFT JOIN staff f ON f.id = h.from_staff
            LEFT JOIN staff ts ON ts.id = h.to_staff LEFT JOIN staff c ON c.id = h.closed_by
           WHERE h.created_at_ms >= ?1 AND h.created_at_ms < ?2
           ORDER BY h.created_at_ms, h.id",
    cells: &[
        Text, Instant, Text, Text, Text, Text, Text, Text, Text, Text, Text, Text, Text, Instant,
        Text,
    ],
    person: Some(5),
};

/// The archive's sheets beyond the four above and the people.
pub(super) const NOTES: Sheet = Sheet {
    name: "notes",
    sql: "SELECT n.person_id AS \"Hearth ID\", p.given_name || ' ' || p.family_name AS \"Name\",
                 n.created_at_ms AS \"Written at\", coalesce(s.name, '') AS \"By\", n.body AS \"Note\"
            FROM person_notes n JOIN people p ON p.id = n.person_id LEFT JOIN staff s ON s.id = n.created_by
           WHERE n.removed = 0 AND p.erased_at_ms IS NULL AND p.merged_into IS NULL
           ORDER BY n.person_id, n.created_at_ms",
    cells: &[Text, Text, Instant, Text, Text],
    person: Some(0),
};

pub(super) const DATES: Sheet = Sheet {
    name: "important-dates",
    sql: "SELECT d.person_id AS \"Hearth ID\", p.given_name || ' ' || p.family_name AS \"Name\", d.kind AS \"Kind\",
                 d.label AS \"Label\", d.day AS \"Day\", d.month AS \"Month\", coalesce(d.year, '') AS \"Year\"
            FROM person_dates d JOIN people p ON p.id = d.person_id
           WHERE d.removed = 0 AND p.erased_at_ms IS NULL AND p.merged_into IS NULL
           ORDER BY d.person_id, d.month, d.day",
    cells: &[Text, Text, Text, Text, Text, Text, Text],
    person: Some(0),
};

pub(super) const TEAM: Sheet = Sheet {
    name: "team",
    sql: "SELECT id AS \"Staff ID\", name AS \"Name\", role AS \"Role\", coalesce(login, '') AS \"Login\",
                 CASE WHEN archived THEN 'yes' ELSE '' END AS \"Archived\"
            FROM staff ORDER BY id",
    cells: &[Text, Text, Text, Text, Text],
    person: None,
};

pub(super) const PLACES: Sheet = Sheet {
    name: "chairs-rooms-providers",
    sql: "SELECT r.id AS \"ID\", r.kind AS \"Kind\", r.name AS \"Name\", coalesce(rt.name, '') AS \"Room type\",
                 CASE WHEN r.archived THEN 'yes' ELSE '' END AS \"Archived\"
            FROM resources r LEFT JOIN room_types rt ON rt.id = r.room_type_id
           ORDER BY r.kind, r.sort_order, r.id",
    cells: &[Text, Text, Text, Text, Text],
    person: None,
};

pub(super) const TYPES: Sheet = Sheet {
    name: "types",
    sql: "SELECT id AS \"ID\", name AS \"Name\", duration_minutes AS \"Minutes\",
                 CASE WHEN needs_chair THEN 'yes' ELSE '' END AS \"Needs a chair\",
                 CASE WHEN needs_provider THEN 'yes' ELSE '' END AS \"Needs a provider\",
                 CASE WHEN needs_room THEN 'yes' ELSE '' END AS \"Needs a room\",
                 CASE WHEN archived THEN 'yes' ELSE '' END AS \"Archived\"
            FROM appointment_types ORDER BY id",
    cells: &[Text, Text, Text, Text, Text, Text, Text],
    person: None,
};

pub(super) fn sheet_of(kind: SheetKind) -> &'static Sheet {
    match kind {
        SheetKind::Bookings => &BOOKINGS,
        SheetKind::Incidents => &INCIDENTS,
        SheetKind::Tasks => &TASKS,
        SheetKind::Handoffs => &HANDOFFS,
    }
}

/// How dates are written.
#[derive(Clone, Copy)]
pub(super) struct Writing<'a> {
    pub practice: &'a Practice,
    pub practice_order: bool,
}

impl Writing<'_> {
    fn date(&self, d: NaiveDate) -> String {
        match (self.practice_order, self.practice.date_order) {
            (false, _) | (true, DateOrder::Ymd) => d.format("%Y-%m-%d").to_string(),
            (true, DateOrder::Dmy) => d.format("%d/%m/%Y").to_string(),
            (true, DateOrder::Mdy) => d.format("%m/%d/%Y").to_string(),
        }
    }

    fn cell(&self, how: Cell, v: rusqlite::types::ValueRef<'_>) -> String {
        use rusqlite::types::ValueRef as V;
        let tz = self.practice.tz();
        match (how, v) {
            (_, V::Null) => String::new(),
            (Cell::Instant, V::Integer(ms)) => {
                let t = to_local(tz, ms);
                format!("{} {}", self.date(t.date_naive()), t.format("%H:%M"))
            }
            (Cell::Day, V::Integer(ms)) => self.date(to_local(tz, ms).date_naive()),
            (Cell::Time, V::Integer(ms)) => to_local(tz, ms).format("%H:%M").to_string(),
            (Cell::Date, V::Text(t)) => {
                let t = String::from_utf8_lossy(t);
                LocalDate::from_stored(Some(&t)).map_or(t.to_string(), |d| self.date(d.date()))
            }
            (_, V::Integer(i)) => i.to_string(),
            (_, V::Real(f)) => f.to_string(),
            (_, V::Text(t)) => String::from_utf8_lossy(t).into_owned(),
            (_, V::Blob(_)) => String::new(),
        }
    }
}

/// A sheet written: its text, rows, and the people it shows.
pub(super) fn write(
    ctx: &ReadCtx<'_>,
    sheet: &Sheet,
    writing: Writing<'_>,
    (from_ms, to_ms): (i64, i64),
    include_cancelled: bool,
) -> CoreResult<(String, i64, Vec<PersonId>)> {
    let fail = |e: csv::Error| CoreError::Storage(format!("the file could not be written: {e}"));
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut stmt = ctx.tx.prepare(sheet.sql)?;
    let header: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    out.write_record(&header).map_err(fail)?;
    let mut people: Vec<PersonId> = Vec::new();
    // A sheet takes as many of the three as its query names (the team's none).
    let given: [&dyn rusqlite::ToSql; 3] = [&from_ms, &to_ms, &include_cancelled];
    let mut rows = stmt.query(&given[..stmt.parameter_count().min(3)])?;
    let mut n = 0i64;
    while let Some(r) = rows.next()? {
        let mut cells = Vec::with_capacity(header.len());
        for i in 0..header.len() {
            let how = sheet.cells.get(i).copied().unwrap_or(Cell::Text);
            cells.push(neutralised(&writing.cell(how, r.get_ref(i)?)));
        }
        if let Some(i) = sheet.person {
            if let Some(id) = r.get::<_, Option<i64>>(i)? {
                people.push(PersonId(id));
            }
        }
        out.write_record(&cells).map_err(fail)?;
        n += 1;
    }
    people.sort_unstable();
    people.dedup();
    let bytes = out
        .into_inner()
        .map_err(|e| CoreError::Storage(format!("the file could not be written: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|_| CoreError::Storage("the file is not text".into()))?;
    Ok((text, n, people))
}

/// The range in milliseconds: from the start of `from` to the end of `to`
/// in the practice's zone (all time when left out).
pub(super) fn range(
    p: &Practice,
    from: Option<LocalDate>,
    to: Option<LocalDate>,
) -> CoreResult<(i64, i64)> {
    if let (Some(f), Some(t)) = (from, to) {
        if t.date() < f.date() {
            return Err(CoreError::invalid(
                "to_date",
                "The last day must not be before the first.",
            ));
        }
    }
    let tz = p.tz();
    Ok((
        from.map_or(i64::MIN, |d| local_ms(tz, d.date(), 0)),
        to.map_or(i64::MAX, |d| local_ms(tz, d.date(), 1440)),
    ))
}

/// `export_sheet`: one sheet as a file to save (recorded, with each person it
/// shows as looked at, through "export").
pub fn export(ctx: &mut Ctx<'_>, req: ExportSheet) -> CoreResult<CsvFile> {
    let practice = crate::setup::practice::require(ctx)?;
    let span = range(&practice, req.from_date, req.to_date)?;
    let sheet = sheet_of(req.sheet);
    let (text, rows, people) = write(
        ctx,
        sheet,
        Writing {
            practice: &practice,
            practice_order: req.practice_date_order,
        },
        span,
        req.include_cancelled,
    )?;
    let day = crate::time::local_date(practice.tz(), ctx.now_ms);
    let range_words = match (req.from_date, req.to_date) {
        (None, None) => String::new(),
        (f, t) => format!(
            "-{}-to-{}",
            f.map_or("start".into(), |d| d.date().format("%Y-%m-%d").to_string()),
            t.map_or("end".into(), |d| d.date().format("%Y-%m-%d").to_string())
        ),
    };
    ctx.detail(serde_json::json!({
        "sheet": sheet.name, "rows": rows, "people": people.len(),
        "from": req.from_date, "to": req.to_date,
    }));
    Ok(CsvFile {
        file_name: format!(
            "{}-{}{}-{}.csv",
            slug(&practice.name),
            sheet.name,
            range_words,
            day.format("%Y-%m-%d")
        ),
        text,
        rows,
        shows: people
            .into_iter()
            .map(|person_id| Shown { person_id })
            .collect(),
    })
}
