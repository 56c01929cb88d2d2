//! Times and lengths as other systems export them: a time of day ("9:00",
//! "09:00:00", "9:00 AM", "2pm", "14h30", "1430"), a date and time in one
//! cell ("2027-01-05 09:00:00", "1/5/2027 9:00 AM"), and a length ("30",
//! "45 min", "1:15", "1h30", or Open Dental's pattern of 5-minute marks,
//! "XXX///").

/// A cell holding a date with a time after it: the date part and the time
/// part ("2027-01-05T09:00" → ("2027-01-05", "09:00")). `None` when there is
/// no time in it.
pub fn split_date_time(text: &str) -> Option<(&str, &str)> {
    let t = text.trim();
    let i = t.find(['T', ' '])?;
    let (date, time) = (t[..i].trim(), t[i + 1..].trim());
    (time.contains(':') || read_time(time).is_ok())
        .then_some((date, time))
        .filter(|(d, _)| d.chars().any(|c| c.is_ascii_digit()))
}

/// The minute of the day `text` names, or why it can't be read, in words.
pub fn read_time(text: &str) -> Result<u32, String> {
    let unreadable = || {
        format!(
            "\"{}\" is not a time Hearth can read (write it as 9:30 or 14:30).",
            text.chars().take(30).collect::<String>()
        )
    };
    let lower = text.trim().to_ascii_lowercase();
    let (body, half) = if let Some(b) = lower
        .strip_suffix("am")
        .or_else(|| lower.strip_suffix("a.m."))
    {
        (b.trim(), Some(false))
    } else if let Some(b) = lower
        .strip_suffix("pm")
        .or_else(|| lower.strip_suffix("p.m."))
    {
        (b.trim(), Some(true))
    } else {
        (lower.as_str(), None)
    };
    let parts: Vec<&str> = body.split([':', '.', 'h']).collect();
    let (h, m): (u32, u32) = match parts.as_slice() {
        [hm] if hm.len() == 4 && half.is_none() => (
            hm[..2].parse().map_err(|_| unreadable())?,
            hm[2..].parse().map_err(|_| unreadable())?,
        ),
        [h] => (h.parse().map_err(|_| unreadable())?, 0),
        [h, ""] => (h.parse().map_err(|_| unreadable())?, 0),
        [h, m] | [h, m, _] => (
            h.parse().map_err(|_| unreadable())?,
            m.parse().map_err(|_| unreadable())?,
        ),
        _ => return Err(unreadable()),
    };
    if let [_, _, s] = parts.as_slice() {
        if s.parse::<u32>().is_err() {
            return Err(unreadable());
        }
    }
    let h = match half {
        Some(pm) if (1..=12).contains(&h) => (h % 12) + if pm { 12 } else { 0 },
        Some(_) => return Err(unreadable()),
        None => h,
    };
    if h > 23 || m > 59 {
        return Err(unreadable());
    }
    Ok(h * 60 + m)
}

/// A length in minutes, or why it can't be read.
pub fn read_minutes(text: &str) -> Result<u32, String> {
    let unreadable = || {
        format!(
            "\"{}\" is not a length Hearth can read (write it in minutes, as 30 or 1:15).",
            text.chars().take(30).collect::<String>()
        )
    };
    let t = text.trim().to_ascii_lowercase();
    // Open Dental's pattern: one mark per 5 minutes.
    if !t.is_empty() && t.chars().all(|c| matches!(c, 'x' | '/' | '|')) {
        return Ok(5 * t.chars().count() as u32);
    }
    let t = t
        .trim_end_matches("minutes")
        .trim_end_matches("minute")
        .trim_end_matches("mins")
        .trim_end_matches("min")
        .trim_end_matches('m')
        .trim();
    let minutes = if let Some((h, m)) = t.split_once([':', 'h']) {
        let h: u32 = h.trim().parse().map_err(|_| unreadable())?;
        let m: u32 = match m.trim() {
            "" => 0,
            m => m.parse().map_err(|_| unreadable())?,
        };
        if m > 59 {
            return Err(unreadable());
        }
        h * 60 + m
    } else {
        t.parse().map_err(|_| unreadable())?
    };
    if minutes == 0 || minutes > 24 * 60 {
        return Err(unreadable());
    }
    Ok(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_in_common_spellings() {
        for (text, minute) in [
            ("9:00", 540),
            ("09:00", 540),
            ("09:00:00", 540),
            ("9.30", 570),
            ("9:00 AM", 540),
            ("12:15 pm", 735),
            ("12:15 AM", 15),
            ("2pm", 840),
            ("14h30", 870),
            ("1430", 870),
            ("14", 840),
        ] {
            assert_eq!(read_time(text), Ok(minute), "{text}");
        }
        for bad in ["25:00", "9:75", "13 pm", "noon", "", "9:00:xx"] {
            assert!(read_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_date_and_time_in_one_cell() {
        assert_eq!(
            split_date_time("2027-01-05 09:00:00"),
            Some(("2027-01-05", "09:00:00"))
        );
        assert_eq!(
            split_date_time("1/5/2027 9:00 AM"),
            Some(("1/5/2027", "9:00 AM"))
        );
        assert_eq!(
            split_date_time("2027-01-05T09:00"),
            Some(("2027-01-05", "09:00"))
        );
        assert_eq!(split_date_time("05/01/2027"), None);
        assert_eq!(split_date_time("5 January 2027"), None);
    }

    #[test]
    fn lengths() {
        for (text, minutes) in [
            ("30", 30),
            ("45 min", 45),
            ("45m", 45),
            ("60 minutes", 60),
            ("1:15", 75),
            ("1h30", 90),
            ("2h", 120),
            ("XXXX//", 30),
            ("//XX//", 30),
        ] {
            assert_eq!(read_minutes(text), Ok(minutes), "{text}");
        }
        for bad in ["0", "-5", "half an hour", "1:75", "2000"] {
            assert!(read_minutes(bad).is_err(), "{bad}");
        }
    }
}
