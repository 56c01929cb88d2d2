//! Important dates on a person (`person_dates`): a birthday, an anniversary
//! with the year it began, another date worth marking. The date of birth
//! counts as a birthday without a row here. A date that falls within a visit
//! or stay (or the practice's lead days before it) becomes an occasion on that
//! booking (`scheduling::occasions::sync_from_dates`). Removed, never deleted.
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::PersonId;
use crate::people::records;
use crate::setup::clean_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    Birthday,
    Anniversary,
    Other,
}

stored_enum!(DateKind, Other { Birthday = "birthday", Anniversary = "anniversary", Other = "other" });

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct ImportantDate {
    /// `None` for the birthday that comes from the date of birth.
    pub id: Option<i64>,
    pub kind: DateKind,
    pub month: u32,
    pub day: u32,
    /// The year it began (a wedding, a birth), when known.
    pub year: Option<i32>,
    /// The desk's words ("wedding anniversary").
    pub label: String,
}

impl ImportantDate {
    /// The key its occasions carry: one occasion per date per booking.
    pub fn key(&self) -> String {
        match self.id {
            Some(id) => format!("date:{id}"),
            None => "birthday".to_owned(),
        }
    }

    /// The occasion's words in `year`: "10th wedding anniversary", "40th
    /// birthday", "Birthday".
    pub fn words_in(&self, year: i32) -> String {
        let what = match (self.kind, self.label.is_empty()) {
            (_, false) => self.label.clone(),
            (DateKind::Birthday, true) => "birthday".to_owned(),
            (DateKind::Anniversary, true) => "anniversary".to_owned(),
            (DateKind::Other, true) => "special day".to_owned(),
        };
        match self.year {
            Some(y) if year > y && self.kind != DateKind::Other => {
                format!("{} {what}", ordinal(year - y))
            }
            _ => capitalised(&what),
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 101st…
pub fn ordinal(n: i32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `add_important_date`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct AddImportantDate {
    pub person_id: PersonId,
    pub kind: DateKind,
    pub month: u32,
    pub day: u32,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub label: String,
}

/// `remove_important_date`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct RemoveImportantDate {
    pub id: i64,
}

/// A person's important dates: the birthday from their date of birth first.
pub fn of(ctx: &ReadCtx<'_>, person: PersonId) -> CoreResult<Vec<ImportantDate>> {
    let p = records::get(ctx, person)?;
    let mut out = Vec::new();
    if let Some(dob) = p.date_of_birth {
        use chrono::Datelike;
        let d = dob.date();
        out.push(ImportantDate {
            id: None,
            kind: DateKind::Birthday,
            month: d.month(),
            day: d.day(),
            year: Some(d.year()),
            label: String::new(),
        });
    }
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT id, kind, month, day, year, label FROM person_dates WHERE person_id = ?1 AND removed = 0 ORDER BY month, day, id",
    )?;
    let rows = stmt.query_map([person], |r| {
        Ok(ImportantDate {
            id: Some(r.get(0)?),
            kind: DateKind::parse(&r.get::<_, String>(1)?),
            month: r.get(2)?,
            day: r.get(3)?,
            year: r.get(4)?,
            label: r.get(5)?,
        })
    })?;
    for d in rows {
        out.push(d?);
    }
    Ok(out)
}

pub fn add(ctx: &mut Ctx<'_>, req: AddImportantDate) -> CoreResult<Vec<ImportantDate>> {
    records::get(ctx, req.person_id)?;
    // Any year that has the day will do (29 February: a leap year).
    if chrono::NaiveDate::from_ymd_opt(2000, req.month, req.day).is_none() {
        return Err(CoreError::invalid("day", "That day is not in that month."));
    }
    let this_year = crate::time::local_date(chrono_tz::UTC, ctx.now_ms);
    if let Some(y) = req.year {
        use chrono::Datelike;
        if !(1900..=this_year.year()).contains(&y) {
            return Err(CoreError::invalid(
                "year",
                format!("The year must be between 1900 and {}.", this_year.year()),
            ));
        }
        if chrono::NaiveDate::from_ymd_opt(y, req.month, req.day).is_none() {
            return Err(CoreError::invalid(
                "day",
                "That day was not in that month that year.",
            ));
        }
    }
    let label = clean_text("label", "The label", &req.label, 60, false)?;
    if req.kind == DateKind::Other && label.is_empty() {
        return Err(CoreError::invalid("label", "Say what the date is."));
    }
    ctx.tx.execute(
        "INSERT INTO person_dates (person_id, kind, month, day, year, label, created_by, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![req.person_id, req.kind.as_str(), req.month, req.day, req.year, label, ctx.actor.staff_id, ctx.now_ms],
    )?;
    ctx.changed(topics::PERSON_CHANGED, req.person_id);
    ctx.detail(serde_json::json!({ "person_id": req.person_id, "kind": req.kind.as_str() }));
    of(ctx, req.person_id)
}

/// Removes a date; returns whose it was.
pub fn remove(ctx: &mut Ctx<'_>, req: RemoveImportantDate) -> CoreResult<PersonId> {
    let person = crate::people::owner_of_live(ctx, "person_dates", req.id, "That date")?;
    ctx.tx.execute(
        "UPDATE person_dates SET removed = 1 WHERE id = ?1",
        [req.id],
    )?;
    ctx.changed(topics::PERSON_CHANGED, person);
    ctx.detail(serde_json::json!({ "person_id": person }));
    Ok(person)
}

/// A merge: the merged record's important dates become the survivor's. Returns how many moved.
pub(crate) fn move_person(ctx: &mut Ctx<'_>, from: PersonId, to: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE person_dates SET person_id = ?2 WHERE person_id = ?1",
        rusqlite::params![from, to],
    )?)
}

/// An erasure: the person's important dates are emptied and removed.
pub(crate) fn erase_for(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE person_dates SET label = '', removed = 1 WHERE person_id = ?1",
        [person],
    )?)
}

/// An anniversary brought by an import (`moving::people`): its id, for the undo.
pub(crate) fn insert_imported_anniversary(
    ctx: &Ctx<'_>,
    person: PersonId,
    date: chrono::NaiveDate,
) -> CoreResult<i64> {
    use chrono::Datelike;
    ctx.tx
        .prepare_cached(
            "INSERT INTO person_dates (person_id, kind, month, day, year, created_by, created_at_ms) VALUES (?1, 'anniversary', ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![person, date.month(), date.day(), date.year(), ctx.actor.staff_id, ctx.now_ms])?;
    Ok(ctx.tx.last_insert_rowid())
}

/// An import's date taken back (`moving::imports`).
pub(crate) fn delete_imported(ctx: &Ctx<'_>, id: i64) -> CoreResult<()> {
    ctx.tx
        .execute("DELETE FROM person_dates WHERE id = ?1", [id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_read_as_spoken() {
        let got: Vec<String> = [1, 2, 3, 4, 10, 11, 12, 13, 21, 22, 23, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "10th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th"
            ]
        );
    }

    #[test]
    fn an_anniversary_with_its_year_counts_the_years() {
        let d = ImportantDate {
            id: Some(3),
            kind: DateKind::Anniversary,
            month: 6,
            day: 14,
            year: Some(2016),
            label: "wedding anniversary".into(),
        };
        assert_eq!(d.words_in(2026), "10th wedding anniversary");
        assert_eq!(d.key(), "date:3");
        let b = ImportantDate {
            id: None,
            kind: DateKind::Birthday,
            month: 1,
            day: 2,
            year: None,
            label: String::new(),
        };
        assert_eq!(b.words_in(2026), "Birthday");
        assert_eq!(b.key(), "birthday");
    }
}
