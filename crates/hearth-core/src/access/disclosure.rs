//! Minimum necessary: the one table of what each role may see of a person and
//! of a booking beyond their name, and [`shape`], which every command's answer
//! passes through (`commands::dispatch`), so no read, list or printed page can
//! show more than the table allows — including one added later.
//!
//! | Detail | What it is | Manager | Front desk | Practitioner | Housekeeping |
//! |---|---|---|---|---|---|
//! | [`Detail::Contact`] | phone numbers, e-mail, address, emergency contact, date of birth | ✓ | ✓ | ✓ | — |
//! | [`Detail::Care`] | health alerts, notes on a booking or a person, what a visit is for, an earlier incident | ✓ | ✓ | ✓ | — |
//!
//! Housekeeping sees who is in which room and when, and its own tasks; it
//! sees no one's phone number, notes or health. The fields are named by their
//! JSON names, the same in every answer.
use serde_json::Value;

use crate::access::StaffRole;

/// A kind of personal detail beyond a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// How to reach someone, and who they are beyond a name.
    Contact,
    /// Their health and what staff wrote about them.
    Care,
}

/// Every answer field that carries a detail, by its JSON name, and whether
/// its type allows "none" (emptied to null rather than "", [] or false).
pub const FIELDS: &[(&str, Detail, bool)] = &[
    ("phone", Detail::Contact, false),
    ("person_phone", Detail::Contact, false),
    ("other_phone", Detail::Contact, false),
    ("phone_digits", Detail::Contact, false),
    ("email", Detail::Contact, false),
    ("address", Detail::Contact, false),
    ("emergency_name", Detail::Contact, false),
    ("emergency_phone", Detail::Contact, false),
    ("emergency_relation", Detail::Contact, false),
    ("date_of_birth", Detail::Contact, true),
    ("alert", Detail::Care, true),
    ("alerts", Detail::Care, false),
    ("occasions", Detail::Care, false),
    ("notes", Detail::Care, false),
    ("last_visit_notes", Detail::Care, false),
    ("remembered", Detail::Care, false),
];

/// Whether `role` may see `detail`.
pub fn sees(role: StaffRole, detail: Detail) -> bool {
    match role {
        StaffRole::Manager | StaffRole::FrontDesk | StaffRole::Practitioner => true,
        StaffRole::Housekeeping => match detail {
            Detail::Contact | Detail::Care => false,
        },
    }
}

/// Whether `role` sees every role's tasks (else its own board and what is
/// assigned to its members).
pub fn sees_all_tasks(role: StaffRole) -> bool {
    !matches!(role, StaffRole::Housekeeping)
}

/// Whether answers for `role` need shaping at all.
pub fn restricted(role: StaffRole) -> bool {
    FIELDS.iter().any(|(_, d, _)| !sees(role, *d))
}

/// Empties, at any depth of `answer`, every field `role` may not see: text
/// becomes "", a list [], a flag false, an optional value null. The shape of
/// the answer stays what its type says.
pub fn shape(role: StaffRole, answer: &mut Value) {
    match answer {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let hidden = FIELDS
                    .iter()
                    .find(|(name, d, _)| name == key && !sees(role, *d));
                match hidden {
                    Some((_, _, true)) => *v = Value::Null,
                    Some(_) => {
                        *v = match v {
                            Value::String(_) => Value::String(String::new()),
                            Value::Array(_) => Value::Array(Vec::new()),
                            Value::Bool(_) => Value::Bool(false),
                            _ => Value::Null,
                        }
                    }
                    None => shape(role, v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| shape(role, v)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn housekeeping_sees_names_and_rooms_but_no_contact_or_care() {
        let mut a = json!([{ "person_name": "Ann Lee", "person_phone": "07700 900123", "notes": "Nut allergy",
            "alert": "critical", "occasions": [{ "text": "Anniversary" }], "remembered": true, "resource_ids": [3],
            "nested": { "email": "ann@example.com", "date_of_birth": "1980-01-01" } }]);
        shape(StaffRole::Housekeeping, &mut a);
        assert_eq!(
            a,
            json!([{ "person_name": "Ann Lee", "person_phone": "", "notes": "", "alert": null, "occasions": [],
                "remembered": false, "resource_ids": [3], "nested": { "email": "", "date_of_birth": null } }])
        );
        let mut b = json!({ "person_phone": "07700 900123" });
        for role in [
            StaffRole::Manager,
            StaffRole::FrontDesk,
            StaffRole::Practitioner,
        ] {
            shape(role, &mut b);
            assert!(!restricted(role));
        }
        assert_eq!(b["person_phone"], "07700 900123");
        assert!(restricted(StaffRole::Housekeeping));
    }
}
