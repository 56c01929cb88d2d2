//! Moving out: the practice's people as a spreadsheet file any system (or a
//! person) can read — UTF-8 with a header row, one person a row, dates as
//! year-month-day or in the practice's order — whose header Hearth's own
//! import recognises, so an export re-imports into a fresh practice as the
//! same people. A cell that a spreadsheet would run as a formula (starting
//! with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a
//! leading `'`, which the import takes off again.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::people::alerts;
use crate::setup::practice::DateOrder;

/// `export_people`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ExportPeople {
    /// Dates in the practice's order ("14/03/1980") rather than year-month-day.
    #[serde(default)]
    pub practice_date_order: bool,
    /// Archived records too (never erased ones: nothing is left of those).
    #[serde(default)]
    pub include_archived: bool,
}

/// A spreadsheet file to save.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct CsvFile {
    pub file_name: String,
    pub text: String,
    pub rows: i64,
    /// Whose details the file shows: each is recorded as a look, through
    /// "export" (`audit::looks`).
    pub shows: Vec<Shown>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Shown {
    pub person_id: crate::ids::PersonId,
}

/// The header: names the import recognises (`moving::columns`).
const HEADER: [&str; 11] = [
    "Hearth ID",
    "First name",
    "Family name",
    "Preferred name",
    "Date of birth",
    "Phone",
    "Other phone",
    "E-mail",
    "Address",
    "Alerts",
    "Archived",
];

/// A cell a spreadsheet would not run: a leading `'` before what starts a formula.
pub fn neutralised(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// A cell as exported, read back: the `'` [`neutralised`] added taken off.
pub fn unneutralised(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

pub fn people(ctx: &mut Ctx<'_>, req: ExportPeople) -> CoreResult<CsvFile> {
    let practice = crate::setup::practice::require(ctx)?;
    let (text, n, shows) = people_sheet(
        ctx,
        &practice,
        req.practice_date_order,
        req.include_archived,
    )?;
    let day = crate::time::local_date(practice.tz(), ctx.now_ms);
    ctx.detail(serde_json::json!({ "people": n, "archived": req.include_archived }));
    Ok(CsvFile {
        file_name: format!(
            "{}-people-{}.csv",
            slug(&practice.name),
            day.format("%Y-%m-%d")
        ),
        text,
        rows: n,
        shows,
    })
}

/// The people as a sheet: its text, rows, and whom it shows.
pub(super) fn people_sheet(
    ctx: &ReadCtx<'_>,
    practice: &crate::setup::practice::Practice,
    practice_date_order: bool,
    include_archived: bool,
) -> CoreResult<(String, i64, Vec<Shown>)> {
    let order = practice.date_order;
    let date = |d: Option<String>| -> String {
        let Some(d) = crate::instant::LocalDate::from_stored(d.as_deref()) else {
            return String::new();
        };
        let d = d.date();
        match (practice_date_order, order) {
            (false, _) | (true, DateOrder::Ymd) => d.format("%Y-%m-%d").to_string(),
            (true, DateOrder::Dmy) => d.format("%d/%m/%Y").to_string(),
            (true, DateOrder::Mdy) => d.format("%m/%d/%Y").to_string(),
        }
    };
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    let fail = |e: csv::Error| CoreError::Storage(format!("the file could not be written: {e}"));
    out.write_record(HEADER).map_err(fail)?;
    let mut shows = Vec::new();
    let n = {
        let mut stmt = ctx.tx.prepare(
            "SELECT id, given_name, family_name, preferred_name, date_of_birth, phone, other_phone, email, address, archived
               FROM people WHERE erased_at_ms IS NULL AND merged_into IS NULL AND (?1 OR archived = 0)
              ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE, id",
        )?;
        let mut rows = stmt.query([include_archived])?;
        let mut n = 0i64;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            shows.push(Shown {
                person_id: crate::ids::PersonId(id),
            });
            let alerts: Vec<String> = alerts::of(ctx, crate::ids::PersonId(id))?
                .into_iter()
                .map(|a| a.text)
                .collect();
            let archived: bool = r.get(9)?;
            let cells: Vec<String> = vec![
                id.to_string(),
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                date(r.get(4)?),
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                // One alert a line: the import makes each line an alert again.
                alerts.join("\n"),
                if archived {
                    "yes".into()
                } else {
                    String::new()
                },
            ];
            out.write_record(cells.iter().map(|c| neutralised(c)))
                .map_err(fail)?;
            n += 1;
        }
        n
    };
    let bytes = out
        .into_inner()
        .map_err(|e| CoreError::Storage(format!("the file could not be written: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|_| CoreError::Storage("the file is not text".into()))?;
    Ok((text, n, shows))
}

/// The practice's name as a file name ("Riverside Dental" → "riverside-dental").
pub(crate) fn slug(name: &str) -> String {
    let s: String = deunicode::deunicode(name)
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "hearth".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_read_back() {
        for cell in [
            "=cmd|' /C calc'!A0",
            "+44 7700 900123",
            "-2",
            "@SUM(A1)",
            "\tx",
        ] {
            let n = neutralised(cell);
            assert!(n.starts_with('\''), "{n}");
            assert_eq!(unneutralised(&n), cell);
        }
        assert_eq!(neutralised("Ann"), "Ann");
        assert_eq!(unneutralised("'tis"), "'tis");
        assert_eq!(slug("Riverside Dentál & Co."), "riverside-dental-co");
    }
}
