//! Moving out, all of it: the whole practice as one archive a person can
//! read — a zip of spreadsheet files (the people with their alerts, their
//! notes and important dates, every booking, incident, task and handoff, the
//! team, the chairs, rooms and providers, the types) and a README saying what
//! each holds. The counterpart of erasure and of one person's export: what
//! is erased is not in it. Recorded, with everyone in it as looked at.
use std::io::Write;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::export::{self, slug, Shown};
use super::sheets::{self, SheetKind, Writing};
use crate::app::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::ids::PersonId;

/// `export_practice`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ExportPractice {
    /// Dates in the practice's order rather than year-month-day.
    #[serde(default)]
    pub practice_date_order: bool,
}

/// An archive to save.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct ArchiveFile {
    pub file_name: String,
    /// The zip, base64.
    pub base64: String,
    pub bytes: i64,
    /// The files in it, with their rows.
    pub files: Vec<ArchivedSheet>,
    /// Whose details it shows: each recorded as a look, through "export".
    pub shows: Vec<Shown>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct ArchivedSheet {
    pub name: String,
    pub rows: i64,
}

const README: &str = "This is everything the practice kept in Hearth, as spreadsheet files
(UTF-8, comma-separated, a header row; open them in any spreadsheet).

people.csv                  every patient or guest (archived ones too), with their alerts
notes.csv                   the notes written about them
important-dates.csv         their birthdays, anniversaries and other dates
bookings.csv                every appointment or stay, cancelled ones too
incidents.csv               what went wrong, how it was put right
tasks.csv                   the tasks, done or not
handoffs.csv                the notes the team handed each other
team.csv                    the people who work here and their roles (no passwords)
chairs-rooms-providers.csv  where and with whom things are booked
types.csv                   the appointment or stay types

Times are in the practice's time zone. \"Hearth ID\" is the same person in every file.
A cell a spreadsheet would run as a formula starts with ' (Hearth's import takes it off).
People who were erased are not here: nothing of them was kept.
";

pub fn export(ctx: &mut Ctx<'_>, req: ExportPractice) -> CoreResult<ArchiveFile> {
    let practice = crate::setup::practice::require(ctx)?;
    let writing = Writing {
        practice: &practice,
        practice_order: req.practice_date_order,
    };
    let mut files: Vec<(String, String, i64)> = Vec::new();
    let mut people: Vec<PersonId> = Vec::new();
    let (text, rows, shown) = export::people_sheet(ctx, &practice, req.practice_date_order, true)?;
    people.extend(shown.iter().map(|s| s.person_id));
    files.push(("people".into(), text, rows));
    let all = (i64::MIN, i64::MAX);
    let more = [
        &sheets::NOTES,
        &sheets::DATES,
        sheets::sheet_of(SheetKind::Bookings),
        sheets::sheet_of(SheetKind::Incidents),
        sheets::sheet_of(SheetKind::Tasks),
        sheets::sheet_of(SheetKind::Handoffs),
        &sheets::TEAM,
        &sheets::PLACES,
        &sheets::TYPES,
    ];
    for sheet in more {
        let (text, rows, shown) = sheets::write(ctx, sheet, writing, all, true)?;
        people.extend(shown);
        files.push((sheet.name.into(), text, rows));
    }
    people.sort_unstable();
    people.dedup();

    let fail = |e: zip::result::ZipError| {
        CoreError::Storage(format!("the archive could not be written: {e}"))
    };
    let io =
        |e: std::io::Error| CoreError::Storage(format!("the archive could not be written: {e}"));
    let day = crate::time::local_date(practice.tz(), ctx.now_ms);
    let folder = format!("{}-{}", slug(&practice.name), day.format("%Y-%m-%d"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(format!("{folder}/README.txt"), options)
        .map_err(fail)?;
    zip.write_all(README.as_bytes()).map_err(io)?;
    for (name, text, _) in &files {
        zip.start_file(format!("{folder}/{name}.csv"), options)
            .map_err(fail)?;
        zip.write_all(text.as_bytes()).map_err(io)?;
    }
    let bytes = zip.finish().map_err(fail)?.into_inner();
    ctx.detail(serde_json::json!({
        "archive": files.iter().map(|(n, _, r)| serde_json::json!({ "file": n, "rows": r })).collect::<Vec<_>>(),
        "people": people.len(),
    }));
    Ok(ArchiveFile {
        file_name: format!("{folder}.zip"),
        bytes: bytes.len() as i64,
        base64: data_encoding::BASE64.encode(&bytes),
        files: files
            .into_iter()
            .map(|(name, _, rows)| ArchivedSheet {
                name: format!("{name}.csv"),
                rows,
            })
            .collect(),
        shows: people
            .into_iter()
            .map(|person_id| Shown { person_id })
            .collect(),
    })
}
