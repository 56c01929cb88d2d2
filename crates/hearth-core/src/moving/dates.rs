//! Dates as other systems export them: day, month and year in the
//! practice's order (or the order the manager says the file uses), with
//! `/`, `-`, `.` or spaces between; a year of two digits for a date in the
//! past (a birth date) is the most recent such year, and for a coming
//! booking the one nearest today ([`read_coming`]); `2026-03-01` is always
//! year-month-day; a time after the date is ignored ("03/01/1980 00:00").
use chrono::{Datelike, NaiveDate};

use crate::setup::practice::DateOrder;

/// The date `text` names in `order`, or why it can't be read, in words.
/// `today` resolves two-digit years.
pub fn read(text: &str, order: DateOrder, today: NaiveDate) -> Result<NaiveDate, String> {
    read_as(text, order, today, false)
}

/// As [`read`], for a date that may be ahead (a booking): a two-digit year
/// is the one nearest today ("26" is 2026, "99" is 1999).
pub fn read_coming(text: &str, order: DateOrder, today: NaiveDate) -> Result<NaiveDate, String> {
    read_as(text, order, today, true)
}

fn read_as(
    text: &str,
    order: DateOrder,
    today: NaiveDate,
    nearest: bool,
) -> Result<NaiveDate, String> {
    let t = text.trim();
    // "1980-03-01 00:00:00", "03/01/1980 12:00 AM": the time is not wanted.
    let t = match t.find(['T', ' ']) {
        Some(i) if t[i..].contains(':') => t[..i].trim(),
        _ => t,
    };
    let parts: Vec<&str> = t
        .split(['/', '-', '.', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    let unreadable = || {
        format!(
            "\"{}\" is not a date Hearth can read as {}.",
            text.chars().take(30).collect::<String>(),
            words(order)
        )
    };
    if parts.len() != 3 || parts.iter().any(|p| !p.chars().all(|c| c.is_ascii_digit())) {
        return Err(unreadable());
    }
    let n: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().map_err(|_| unreadable()))
        .collect::<Result<_, _>>()?;
    let (y, m, d, year_digits) = if parts[0].len() == 4 {
        (n[0], n[1], n[2], 4)
    } else {
        match order {
            DateOrder::Dmy => (n[2], n[1], n[0], parts[2].len()),
            DateOrder::Mdy => (n[2], n[0], n[1], parts[2].len()),
            DateOrder::Ymd => (n[0], n[1], n[2], parts[0].len()),
        }
    };
    let year = match year_digits {
        4 => y as i32,
        2 => {
            let this = today.year();
            let century = this - this.rem_euclid(100);
            let y = century + y as i32;
            if nearest {
                if y > this + 50 {
                    y - 100
                } else if y < this - 50 {
                    y + 100
                } else {
                    y
                }
            } else if y > this {
                y - 100
            } else {
                y
            }
        }
        _ => return Err(unreadable()),
    };
    NaiveDate::from_ymd_opt(year, m, d)
        .filter(|d| d.year() >= 1900)
        .ok_or_else(|| {
            format!(
                "\"{}\" is not a real date when read as {}.",
                text.chars().take(30).collect::<String>(),
                words(order)
            )
        })
}

/// The order in words ("day/month/year").
pub fn words(order: DateOrder) -> &'static str {
    match order {
        DateOrder::Dmy => "day/month/year",
        DateOrder::Mdy => "month/day/year",
        DateOrder::Ymd => "year-month-day",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).expect("date")
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn each_order_and_separator() {
        assert_eq!(
            read("03/01/1980", DateOrder::Dmy, today()),
            Ok(ymd(1980, 1, 3))
        );
        assert_eq!(
            read("03/01/1980", DateOrder::Mdy, today()),
            Ok(ymd(1980, 3, 1))
        );
        assert_eq!(
            read("1980.01.03", DateOrder::Dmy, today()),
            Ok(ymd(1980, 1, 3))
        );
        assert_eq!(
            read("3-1-1980", DateOrder::Dmy, today()),
            Ok(ymd(1980, 1, 3))
        );
        assert_eq!(
            read("1980-01-03 00:00:00", DateOrder::Mdy, today()),
            Ok(ymd(1980, 1, 3))
        );
        assert_eq!(
            read("1/3/1980 12:00 AM", DateOrder::Mdy, today()),
            Ok(ymd(1980, 1, 3))
        );
    }

    #[test]
    fn two_digit_years_are_in_the_past() {
        assert_eq!(
            read("03/01/80", DateOrder::Dmy, today()),
            Ok(ymd(1980, 1, 3))
        );
        assert_eq!(
            read("03/01/19", DateOrder::Dmy, today()),
            Ok(ymd(2019, 1, 3))
        );
        assert_eq!(
            read("03/01/27", DateOrder::Dmy, today()),
            Ok(ymd(1927, 1, 3))
        );
    }

    #[test]
    fn two_digit_years_of_a_booking_are_the_nearest() {
        assert_eq!(
            read_coming("03/01/27", DateOrder::Dmy, today()),
            Ok(ymd(2027, 1, 3))
        );
        assert_eq!(
            read_coming("12/30/26", DateOrder::Mdy, today()),
            Ok(ymd(2026, 12, 30))
        );
        assert_eq!(
            read_coming("03/01/99", DateOrder::Dmy, today()),
            Ok(ymd(1999, 1, 3))
        );
    }

    #[test]
    fn what_cannot_be_read_says_why() {
        let e = read("13/13/1980", DateOrder::Dmy, today()).expect_err("no month 13");
        assert!(
            e.contains("not a real date") && e.contains("day/month/year"),
            "{e}"
        );
        let e = read("31/12/1980", DateOrder::Mdy, today()).expect_err("no month 31");
        assert!(e.contains("month/day/year"), "{e}");
        assert!(read("next Tuesday", DateOrder::Dmy, today()).is_err());
        assert!(read("1/2", DateOrder::Dmy, today()).is_err());
    }
}
