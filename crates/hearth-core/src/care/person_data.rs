//! One list of what Hearth holds about a person, by kind, with the tables
//! each kind lives in. Merging two records (`merge`), a person's export and
//! their erasure (`privacy`) each go through every kind with an exhaustive
//! `match`, so a kind added here does not compile until all three handle it;
//! and a test holds that every table naming a person is in this list or is
//! named below as deliberately left out, so a new table can't be forgotten.

/// A kind of data held about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// Their visits or stays (with each one's resources, occasions and status changes).
    Bookings,
    Alerts,
    /// Birthdays, anniversaries and other important dates.
    Dates,
    Notes,
    /// Family and other links to other people.
    Links,
    Incidents,
    Tasks,
    Handoffs,
    Waitlist,
    /// The desk's calls about their recall.
    RecallCalls,
}

impl Held {
    /// Every kind, in the order merge, export and erasure go through them.
    pub const ALL: [Held; 10] = [
        Held::Bookings,
        Held::Alerts,
        Held::Dates,
        Held::Notes,
        Held::Links,
        Held::Incidents,
        Held::Tasks,
        Held::Handoffs,
        Held::Waitlist,
        Held::RecallCalls,
    ];

    /// Its name in a merge's record of what moved and in the export.
    pub fn key(self) -> &'static str {
        match self {
            Held::Bookings => "bookings",
            Held::Alerts => "alerts",
            Held::Dates => "dates",
            Held::Notes => "notes",
            Held::Links => "links",
            Held::Incidents => "incidents",
            Held::Tasks => "tasks",
            Held::Handoffs => "handoffs",
            Held::Waitlist => "waitlist",
            Held::RecallCalls => "recall_calls",
        }
    }

    /// The tables that name the person for this kind.
    pub fn tables(self) -> &'static [&'static str] {
        match self {
            Held::Bookings => &["bookings"],
            Held::Alerts => &["person_alerts"],
            Held::Dates => &["person_dates"],
            Held::Notes => &["person_notes"],
            Held::Links => &["person_links"],
            Held::Incidents => &["incidents"],
            Held::Tasks => &["tasks"],
            Held::Handoffs => &["handoffs"],
            Held::Waitlist => &["waitlist"],
            Held::RecallCalls => &["recall_contacts"],
        }
    }
}

/// Tables that name a person but are not data held *about* them for the
/// desk's work, and why each is left out of merge, export and erasure.
pub const LEFT_OUT: &[(&str, &str)] = &[
    (
        "people",
        "the record itself: merged, exported and erased on its own",
    ),
    (
        "person_looks",
        "who looked at the record: part of the audit, exported as `looked`, kept as the trail is",
    ),
    (
        "person_merges",
        "the record of a merge itself, shown on the survivor's page",
    ),
    (
        "people_distinct",
        "two records marked as different people: a pair, not data about one",
    ),
    (
        "import_changes",
        "what an import changed, for its undo; forgotten on erasure (`imports::forget_person`)",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table with a column naming a person: `person_id`, or any
    /// column whose foreign key is `people`.
    fn tables_naming_a_person() -> Vec<String> {
        let mut conn = rusqlite::Connection::open_in_memory().expect("memory");
        crate::store::migrations::migrate(&mut conn).expect("schema");
        let names: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'people_search%'")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .expect("tables");
        names
            .into_iter()
            .filter(|t| {
                let by_name: bool = conn
                    .query_row(
                        &format!("SELECT count(*) > 0 FROM pragma_table_info('{t}') WHERE name = 'person_id'"),
                        [],
                        |r| r.get(0),
                    )
                    .expect("columns");
                let by_key: bool = conn
                    .query_row(
                        &format!("SELECT count(*) > 0 FROM pragma_foreign_key_list('{t}') WHERE \"table\" = 'people'"),
                        [],
                        |r| r.get(0),
                    )
                    .expect("keys");
                by_name || by_key
            })
            .collect()
    }

    #[test]
    fn every_table_naming_a_person_is_held_data_or_left_out_for_a_reason() {
        let found = tables_naming_a_person();
        assert!(found.len() >= 10, "too few found: {found:?}");
        let listed: Vec<&str> = Held::ALL
            .iter()
            .flat_map(|k| k.tables().iter().copied())
            .chain(LEFT_OUT.iter().map(|(t, _)| *t))
            .collect();
        let forgotten: Vec<&String> = found
            .iter()
            .filter(|t| !listed.contains(&t.as_str()))
            .collect();
        assert!(
            forgotten.is_empty(),
            "tables naming a person that merge, export and erasure don't know: {forgotten:?} \
             (add them to a kind in `Held::tables`, or to LEFT_OUT with the reason)"
        );
        // And nothing listed that isn't there (a table renamed away).
        for t in listed {
            assert!(
                found.iter().any(|f| f == t) || t == "people",
                "{t} is listed but names no person"
            );
        }
    }
}
