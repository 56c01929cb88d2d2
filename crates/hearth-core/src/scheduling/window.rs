//! A follow-up's window: the earliest and latest local day it may be booked
//! on — given as two dates, or as "in about N weeks ± M days" from today (the
//! practice's today, from its clock).
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::instant::LocalDate;

/// How a window is asked for: `from`–`to`, or about `weeks` ± `give_days`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema,
)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct WindowSpec {
    #[serde(default)]
    pub from: Option<LocalDate>,
    #[serde(default)]
    pub to: Option<LocalDate>,
    /// "In about N weeks".
    #[serde(default)]
    #[schema(minimum = 1, maximum = 104)]
    pub about_weeks: Option<u16>,
    /// "± M days" around it (default 3).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 30)]
    pub give_days: Option<u16>,
}

/// The days a follow-up may fall on, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Window {
    pub from: LocalDate,
    pub to: LocalDate,
}

impl Window {
    /// How many days it spans (both ends counted).
    pub fn days(&self) -> u16 {
        ((self.to.date() - self.from.date()).num_days() + 1).clamp(1, 366) as u16
    }
}

fn date(d: NaiveDate) -> CoreResult<LocalDate> {
    LocalDate::new(d).ok_or_else(|| CoreError::invalid("window", "That window is out of range."))
}

/// The window `spec` names, seen from `today`. Never before today; at most a
/// year long and two years ahead.
pub fn resolve(spec: &WindowSpec, today: NaiveDate) -> CoreResult<Window> {
    let (from, to) = match (spec.from, spec.to, spec.about_weeks) {
        (Some(f), Some(t), None) => (f.date(), t.date()),
        (None, None, Some(weeks)) => {
            if !(1..=104).contains(&weeks) {
                return Err(CoreError::invalid(
                    "about_weeks",
                    "Say between 1 and 104 weeks.",
                ));
            }
            let give = spec.give_days.unwrap_or(3);
            if give > 30 {
                return Err(CoreError::invalid(
                    "give_days",
                    "Give or take at most 30 days.",
                ));
            }
            let centre = today + Duration::days(7 * i64::from(weeks));
            (
                centre - Duration::days(i64::from(give)),
                centre + Duration::days(i64::from(give)),
            )
        }
        _ => {
            return Err(CoreError::invalid(
                "window",
                "Give the window as two dates, or as \"in about N weeks\".",
            ))
        }
    };
    if to < from {
        return Err(CoreError::invalid(
            "to",
            "The window ends before it starts.",
        ));
    }
    if to < today {
        return Err(CoreError::invalid("to", "That window is already over."));
    }
    if (to - from).num_days() > 365 || (to - today).num_days() > 731 {
        return Err(CoreError::invalid(
            "to",
            "A follow-up window is at most a year long and two years ahead.",
        ));
    }
    Ok(Window {
        from: date(from.max(today))?,
        to: date(to)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }
    fn ld(s: &str) -> LocalDate {
        LocalDate::new(d(s)).expect("in range")
    }

    #[test]
    fn about_two_weeks_give_or_take_four_days_is_days_10_to_18() {
        let w = resolve(
            &WindowSpec {
                about_weeks: Some(2),
                give_days: Some(4),
                ..WindowSpec::default()
            },
            d("2026-11-24"),
        )
        .expect("window");
        assert_eq!((w.from, w.to), (ld("2026-12-04"), ld("2026-12-12")));
        assert_eq!(w.days(), 9);
    }

    #[test]
    fn across_the_spring_change_of_clocks_days_stay_days() {
        // 29 March 2026: clocks go forward in Europe; the window is in local days.
        let w = resolve(
            &WindowSpec {
                about_weeks: Some(1),
                give_days: Some(0),
                ..WindowSpec::default()
            },
            d("2026-03-22"),
        )
        .expect("window");
        assert_eq!((w.from, w.to), (ld("2026-03-29"), ld("2026-03-29")));
    }

    #[test]
    fn dates_are_kept_but_never_before_today() {
        let w = resolve(
            &WindowSpec {
                from: Some(ld("2026-11-01")),
                to: Some(ld("2026-11-30")),
                ..WindowSpec::default()
            },
            d("2026-11-24"),
        )
        .expect("window");
        assert_eq!(w.from, ld("2026-11-24"));
    }

    #[test]
    fn a_window_in_the_past_backwards_or_half_given_is_refused() {
        let today = d("2026-11-24");
        let past = WindowSpec {
            from: Some(ld("2026-10-01")),
            to: Some(ld("2026-10-05")),
            ..WindowSpec::default()
        };
        let backwards = WindowSpec {
            from: Some(ld("2026-12-10")),
            to: Some(ld("2026-12-01")),
            ..WindowSpec::default()
        };
        let half = WindowSpec {
            from: Some(ld("2026-12-10")),
            ..WindowSpec::default()
        };
        for spec in [past, backwards, half] {
            assert_eq!(
                resolve(&spec, today).expect_err("refused").code(),
                "input.invalid"
            );
        }
    }
}
