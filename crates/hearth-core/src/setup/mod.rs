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

/// Trims a name-like field and refuses it when empty or too long.
pub(crate) fn clean_text(
    field: &str,
    label: &str,
    value: &str,
    max: usize,
    required: bool,
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
