//! Every look at a person's details, recorded. Which commands disclose a
//! person's details, and through what screen ([`THROUGH`]); who is in an
//! answer ([`people_in`]); and the coalesced record ([`record`]): one
//! `person_looks` row and one trail entry (`looked`) per staff member, person
//! and screen per hour — later looks that hour are covered by it, so the
//! trail says who has looked without repeating itself.
//!
//! `Hearth::record_looks` runs it after every such command, before the answer
//! leaves; a look that cannot be recorded is not shown.
use std::collections::BTreeSet;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::audit::{append, Entry};
use crate::error::CoreResult;
use crate::ids::StaffId;

/// The trail's action for a look.
pub const LOOKED: &str = "looked";

/// One hour, the span a look's entry covers.
pub const HOUR_MS: i64 = 3_600_000;

/// Whose details an answer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    /// One person's record (`person.id` or `person_id` at the top): the
    /// household links on it name others, but it is their record that is open.
    Subject,
    /// Everyone in it: a list, a sheet, search results.
    Everyone,
}

/// Every command whose answer shows a person's details beyond a name, the
/// screen it serves, and whose details. The calendar's `list_bookings` is not
/// one: the grid shows names and times, and opening a booking (`get_booking`)
/// is one.
pub const THROUGH: &[(&str, &str, Whose)] = &[
    ("open_person", "person page", Whose::Subject),
    ("get_person", "person page", Whose::Subject),
    ("export_person", "export", Whose::Subject),
    ("get_arrival_card", "arrival card", Whose::Subject),
    ("get_booking", "booking", Whose::Subject),
    ("search_people", "search", Whose::Everyone),
    ("likely_people", "likely matches", Whose::Everyone),
    (
        "list_possible_duplicates",
        "possible duplicates",
        Whose::Everyone,
    ),
    ("get_day_sheet", "day sheet", Whose::Everyone),
    ("get_my_day", "My day", Whose::Everyone),
    ("list_recall", "recall list", Whose::Everyone),
    ("list_incidents", "incidents", Whose::Everyone),
    ("export_people", "export", Whose::Everyone),
    ("export_sheet", "export", Whose::Everyone),
    ("export_practice", "export", Whose::Everyone),
    ("get_person_vcard", "vCard", Whose::Everyone),
    ("preview_import_people", "import preview", Whose::Everyone),
    ("preview_import_bookings", "import preview", Whose::Everyone),
];

/// The screen `command` discloses details through, and whose, if it does.
pub fn through(command: &str) -> Option<(&'static str, Whose)> {
    THROUGH
        .iter()
        .find(|(c, _, _)| *c == command)
        .map(|(_, screen, whose)| (*screen, *whose))
}

/// The people an answer shows the details of.
pub fn people_in(answer: &Value, whose: Whose) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    match whose {
        Whose::Subject => {
            let id = answer
                .pointer("/person/id")
                .or_else(|| answer.get("person_id"))
                .and_then(Value::as_i64);
            out.extend(id);
        }
        Whose::Everyone => collect(answer, &mut out),
    }
    out
}

fn collect(v: &Value, out: &mut BTreeSet<i64>) {
    match v {
        Value::Object(map) => {
            if let Some(id) = map.get("person_id").and_then(Value::as_i64) {
                out.insert(id);
            }
            let is_person = map.contains_key("full_name") || map.contains_key("given_name");
            if is_person {
                if let Some(id) = map.get("id").and_then(Value::as_i64) {
                    out.insert(id);
                }
            }
            map.values().for_each(|v| collect(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// The hour `at_ms` falls in.
pub fn hour_of(at_ms: i64) -> i64 {
    at_ms - at_ms.rem_euclid(HOUR_MS)
}

/// Records that `who` (the entry's staff member, session and computer) saw
/// `people` through `through` (by `command`), inside the caller's write
/// transaction: a person already recorded for them and that screen this hour
/// is skipped.
/// Returns how many were new.
pub fn record(
    conn: &Connection,
    who: &Entry<'_>,
    command: &str,
    through: &str,
    people: &[i64],
) -> CoreResult<usize> {
    let Some(staff) = who.staff_id else {
        return Ok(0);
    };
    let hour = hour_of(who.at_ms);
    let detail = serde_json::json!({ "through": through, "command": command }).to_string();
    let mut new = 0;
    for &person in people {
        let inserted = conn.execute(
            "INSERT OR IGNORE INTO person_looks (staff_id, person_id, through, hour_ms)
             VALUES (?1, ?2, ?3, ?4)",
            params![staff, person, through, hour],
        )?;
        if inserted == 0 {
            continue;
        }
        append(
            conn,
            &Entry {
                entity: "person",
                entity_id: Some(person),
                detail: &detail,
                ..who.clone()
            },
        )?;
        new += 1;
    }
    Ok(new)
}

/// Who has looked at a person's details, through one screen: the first and
/// the last hour recorded, and in how many hours in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct PersonLook {
    pub staff_id: StaffId,
    pub staff_name: Option<String>,
    /// The screen: "day sheet", "person page", "search", …
    pub through: String,
    /// The start of the first hour and of the last hour with a look.
    pub first_ms: i64,
    pub last_ms: i64,
    pub hours: u32,
}

/// Everyone who has looked at `person`'s details, the most recent first.
pub fn of_person(conn: &Connection, person: i64) -> CoreResult<Vec<PersonLook>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.staff_id, s.name, l.through, min(l.hour_ms), max(l.hour_ms), count(*)
           FROM person_looks l LEFT JOIN staff s ON s.id = l.staff_id
          WHERE l.person_id = ?1
          GROUP BY l.staff_id, l.through
          ORDER BY max(l.hour_ms) DESC, s.name, l.through",
    )?;
    let rows = stmt.query_map([person], |r| {
        Ok(PersonLook {
            staff_id: r.get(0)?,
            staff_name: r.get(1)?,
            through: r.get(2)?,
            first_ms: r.get(3)?,
            last_ms: r.get(4)?,
            hours: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn people_are_found_by_person_id_and_as_people_at_any_depth() {
        let answer = json!({
            "sections": [{ "rows": [
                { "booking_id": 7, "person_id": 3, "person_phone": "0770" },
                { "booking_id": 8, "person_id": null }
            ]}],
            "matches": [{ "id": 5, "full_name": "Ann Lee" }],
            "person": { "id": 9, "given_name": "Bo" },
            "resource": { "id": 11, "name": "Chair 1" }
        });
        assert_eq!(
            people_in(&answer, Whose::Everyone),
            BTreeSet::from([3, 5, 9])
        );
        assert_eq!(people_in(&answer, Whose::Subject), BTreeSet::from([9]));
        let card = json!({ "booking_id": 7, "person_id": 3, "linked": [{ "person_id": 4 }] });
        assert_eq!(people_in(&card, Whose::Subject), BTreeSet::from([3]));
    }
}
