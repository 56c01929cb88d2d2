//! Practice setup: the practice itself (kind, zone, hours), its staff, the
//! resources bookings hold, appointment types, and blocked time.
pub mod appointment_types;
pub mod backups;
pub mod blocks;
pub mod holidays;
pub mod practice;
pub mod resources;
pub mod rota;
pub mod sharing;
pub mod staff;
pub mod starter;
pub mod task_rules;

use crate::error::{CoreError, CoreResult};

/// Trims a one-line field (a name, a phone number, a reason) and refuses it
/// when empty, too long, broken over lines or only invisible characters.
pub(crate) fn clean_text(
    field: &str,
    label: &str,
    value: &str,
    max: usize,
    required: bool,
) -> CoreResult<String> {
    clean(field, label, value, max, required, crate::text::one_line)
}

/// Text of several lines (a booking's notes, a note on a person or a
/// handoff): as [`clean_text`], but line breaks are kept.
pub(crate) fn clean_lines(
    field: &str,
    label: &str,
    value: &str,
    max: usize,
    required: bool,
) -> CoreResult<String> {
    clean(field, label, value, max, required, crate::text::lines)
}

fn clean(
    field: &str,
    label: &str,
    value: &str,
    max: usize,
    required: bool,
    shape: fn(&str, &str, &str) -> CoreResult<()>,
) -> CoreResult<String> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(CoreError::invalid(
            field,
            format!("{label} can't be empty."),
        ));
    }
    if v.chars().count() > max {
        return Err(CoreError::invalid(
            field,
            format!("{label} is too long (at most {max} characters)."),
        ));
    }
    shape(field, label, v)?;
    Ok(v.to_owned())
}

/// Colours are `#rrggbb`.
pub(crate) fn clean_colour(value: &str) -> CoreResult<String> {
    let v = value.trim();
    let ok = v.len() == 7 && v.starts_with('#') && v[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(v.to_ascii_lowercase())
    } else {
        Err(CoreError::invalid("colour", "Pick a colour like #3b82f6."))
    }
}
