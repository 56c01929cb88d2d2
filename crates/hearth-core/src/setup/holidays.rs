//! Public holidays: the practice's country's list for a year (the `holidays`
//! crate's data, for England the bank holidays of England and Wales), shown
//! beside whether each is already a closed day; closing them writes ordinary
//! practice-wide closed days (`blocks.rs`, "Public holiday: Christmas Day"), so
//! the rule check, slot search, follow-ups, recall and the waitlist all keep
//! them, and a manager can open one again by removing it like any closure.
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::instant::LocalDate;
use crate::setup::blocks::{self, AddClosedDays};
use crate::setup::practice;
use crate::time::local_ms;

/// The countries whose lists Hearth carries.
pub const COUNTRIES: &[&str] = &["GB", "IE", "US", "DE", "FR", "ES", "PL", "NL"];

/// `list_public_holidays`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListPublicHolidays {
    #[schema(minimum = 2000, maximum = 2030)]
    pub year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct PublicHoliday {
    pub date: LocalDate,
    pub name: String,
    /// The practice is already closed all that day.
    pub closed: bool,
}

/// `close_public_holidays`: close the practice on these holidays of `year`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosePublicHolidays {
    #[schema(minimum = 2000, maximum = 2030)]
    pub year: i32,
    /// Which of the year's holidays (all of them when left out).
    #[serde(default)]
    pub dates: Option<Vec<LocalDate>>,
}

/// The holidays of `country` in `year`, by date, in English; `None` when
/// Hearth carries no list for it. For the UK, the days England and Wales
/// keep (regional days such as St Andrew's Day are left out).
pub fn of_country(country: &str, year: i32) -> Option<Vec<(NaiveDate, String)>> {
    let code = country.trim().to_ascii_uppercase();
    if !COUNTRIES.contains(&code.as_str()) {
        return None;
    }
    let c: holidays::Country = code.parse().ok()?;
    let built = holidays::Builder::new()
        .countries(&[c])
        .years(year..year + 1)
        .build()
        .ok()?;
    let days = built.get(&c)?.get(&year)?;
    let mut out: Vec<(NaiveDate, String)> = days
        .values()
        .filter(|h| {
            // "[Scotland]", "[Northern Ireland]": another nation's day.
            code != "GB" || !h.name.contains('[') || h.name.contains("England")
        })
        .map(|h| {
            (
                h.date,
                h.name
                    .split(" [")
                    .next()
                    .unwrap_or(&h.name)
                    .trim()
                    .to_owned(),
            )
        })
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    Some(out)
}

pub fn list(ctx: &ReadCtx<'_>, req: ListPublicHolidays) -> CoreResult<Vec<PublicHoliday>> {
    let p = practice::require(ctx)?;
    let days = of_country(&p.country, req.year).ok_or_else(|| {
        CoreError::invalid(
            "year",
            if p.country.trim().is_empty() {
                "Set the practice's country in Settings first: its public holidays come from it.".to_owned()
            } else {
                format!(
                    "Hearth has no list of public holidays for {} in {}: close those days by hand below.",
                    p.country, req.year
                )
            },
        )
    })?;
    if days.is_empty() {
        return Err(CoreError::invalid(
            "year",
            format!("Hearth's list of public holidays does not reach {}: close those days by hand below.", req.year),
        ));
    }
    let tz = p.tz();
    let mut out = Vec::with_capacity(days.len());
    for (date, name) in days {
        let Some(local) = LocalDate::new(date) else {
            continue;
        };
        let (s, e) = (local_ms(tz, date, 0), local_ms(tz, date, 1440));
        let closed = blocks::overlapping(ctx, s, e)?
            .iter()
            .any(|b| b.resource_id.is_none() && b.starts_at_ms <= s && b.ends_at_ms >= e);
        out.push(PublicHoliday {
            date: local,
            name,
            closed,
        });
    }
    Ok(out)
}

pub fn close(ctx: &mut Ctx<'_>, req: ClosePublicHolidays) -> CoreResult<Vec<PublicHoliday>> {
    let year = req.year;
    let all = list(ctx, ListPublicHolidays { year })?;
    if let Some(dates) = &req.dates {
        if let Some(bad) = dates.iter().find(|d| !all.iter().any(|h| h.date == **d)) {
            return Err(CoreError::invalid(
                "dates",
                format!(
                    "{} is not a public holiday in {year}.",
                    bad.date().format("%-d %B %Y")
                ),
            ));
        }
    }
    let mut closed = 0;
    for h in &all {
        let wanted = req.dates.as_ref().is_none_or(|d| d.contains(&h.date));
        if !wanted || h.closed || h.date.date().year() != year {
            continue;
        }
        blocks::add_closed_days(
            ctx,
            AddClosedDays {
                resource_id: None,
                from: h.date,
                to: h.date,
                reason: format!("Public holiday: {}", h.name),
            },
        )?;
        closed += 1;
    }
    ctx.detail(serde_json::json!({ "year": year, "closed": closed }));
    list(ctx, ListPublicHolidays { year })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn englands_bank_holidays_with_the_boxing_day_substitute() {
        let days = of_country("gb", 2026).expect("GB");
        let dates: Vec<String> = days.iter().map(|(d, _)| d.to_string()).collect();
        assert_eq!(
            dates,
            [
                "2026-01-01",
                "2026-04-03",
                "2026-04-06",
                "2026-05-04",
                "2026-05-25",
                "2026-08-31",
                "2026-12-25",
                "2026-12-26",
                "2026-12-28"
            ]
        );
        assert!(days.iter().all(|(_, n)| !n.contains('[')), "{days:?}");
        assert!(of_country("XX", 2026).is_none());
        assert!(of_country("US", 2027).is_some_and(|d| !d.is_empty()));
    }
}
