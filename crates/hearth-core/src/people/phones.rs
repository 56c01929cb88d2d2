//! Phone numbers, read with the `phonenumber` crate (libphonenumber's data):
//! a number typed without + belongs to the practice's country; one from home
//! is shown as the desk dials it ("07911 123456"), one from abroad with its
//! country code ("+351 912 345 678"). Search matches the digits either way.
use phonenumber::country::Id;
use phonenumber::Mode;

/// A phone number as the desk should see it, and the digits search matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub display: String,
    /// The international digits and, when they differ, the national ones
    /// ("447911123456 07911123456").
    pub digits: String,
}

/// The region a practice's country names ("GB"), if it is one.
pub fn region(country: &str) -> Option<Id> {
    country.trim().to_ascii_uppercase().parse().ok()
}

/// The digits of a phone number as typed ("+44 (0)7700 900-123" → "4407700900123").
pub fn digits_of(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// The number read against `region`; `None` when it is not a phone number
/// (letters, too few or too many digits, or no number in that country).
pub fn normalise(region: Option<Id>, typed: &str) -> Option<Phone> {
    let t = typed.trim();
    if t.is_empty() {
        return Some(Phone {
            display: String::new(),
            digits: String::new(),
        });
    }
    let allowed = t
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()./".contains(c));
    if !allowed || !(6..=15).contains(&digits_of(t).len()) {
        return None;
    }
    let international = t.starts_with('+') || t.starts_with("00");
    if region.is_none() && !international {
        // No country to read it against: kept as typed.
        return Some(Phone {
            display: t.to_owned(),
            digits: digits_of(t),
        });
    }
    let n = match phonenumber::parse(region, t) {
        Ok(n) => n,
        Err(_) if region.is_none() => {
            return Some(Phone {
                display: t.to_owned(),
                digits: digits_of(t),
            })
        }
        Err(_) => return None,
    };
    if n.national().value().to_string().len() < 5 {
        return None;
    }
    let home = region
        .and_then(|r| phonenumber::metadata::DATABASE.by_id(r.as_ref()))
        .map(|m| m.country_code());
    let mode = if home == Some(n.code().value()) {
        Mode::National
    } else {
        Mode::International
    };
    let e164 = digits_of(&n.format().mode(Mode::E164).to_string());
    let national = digits_of(&n.format().mode(Mode::National).to_string());
    Some(Phone {
        display: n.format().mode(mode).to_string(),
        digits: if national == e164 {
            e164
        } else {
            format!("{e164} {national}")
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(region: &str, typed: &str) -> Option<String> {
        normalise(super::region(region), typed).map(|p| p.display)
    }

    #[test]
    fn a_number_from_home_reads_as_dialled_and_one_from_abroad_with_its_code() {
        assert_eq!(shown("GB", "07911123456").as_deref(), Some("07911 123456"));
        assert_eq!(
            shown("GB", "+44 (0)7911-123-456").as_deref(),
            Some("07911 123456")
        );
        assert_eq!(
            shown("GB", "0044 7911 123456").as_deref(),
            Some("07911 123456")
        );
        assert_eq!(
            shown("GB", "+351912345678").as_deref(),
            Some("+351 912 345 678")
        );
        assert_eq!(shown("PT", "912 345 678").as_deref(), Some("912 345 678"));
    }

    #[test]
    fn search_digits_cover_both_ways_of_writing_it() {
        let p = normalise(region("GB"), "07911 123456").expect("a number");
        assert_eq!(p.digits, "447911123456 07911123456");
    }

    #[test]
    fn what_is_not_a_phone_number_is_refused() {
        assert_eq!(shown("GB", "call me"), None);
        assert_eq!(shown("GB", "12"), None);
        assert_eq!(shown("GB", "1234567890123456"), None);
    }

    #[test]
    fn without_a_country_a_national_number_is_kept_as_typed() {
        assert_eq!(shown("", "555 0101").as_deref(), Some("555 0101"));
        assert_eq!(
            shown("", "+351 912345678").as_deref(),
            Some("+351 912 345 678")
        );
    }
}
