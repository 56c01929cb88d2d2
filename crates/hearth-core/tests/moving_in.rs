//! Moving in (scenario S8): a manager brings the practice's people from the
//! system it leaves. Each file here is shaped like a real export (its column
//! names, quoting, encoding and date order); every row is judged before
//! anything is written, and the import is undone in one step.
mod common;

use common::{id, member, Desk};
use hearth_core::setup::practice::PracticeKind;
use serde_json::{json, Value};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/imports")
        .join(name);
    std::fs::read(path).expect("fixture")
}

/// Hands a file over in parts of 64 KiB, as the screen does; its upload id.
fn upload(desk: &Desk, name: &str, bytes: &[u8]) -> i64 {
    let mut upload_id = Value::Null;
    let parts: Vec<&[u8]> = if bytes.is_empty() {
        vec![&[][..]]
    } else {
        bytes.chunks(64 * 1024).collect()
    };
    let n = parts.len();
    for (i, part) in parts.into_iter().enumerate() {
        let done = desk.ok(
            "add_import_part",
            json!({
                "upload_id": upload_id, "name": name, "last": i + 1 == n,
                "part": data_encoding::BASE64.encode(part),
            }),
        );
        upload_id = done["id"].clone();
    }
    upload_id.as_i64().expect("upload id")
}

/// Every row of every table a person's record lives in, as text: the same
/// fingerprint means the same state.
fn fingerprint(desk: &Desk) -> String {
    let conn = hearth_core::store::keys::open_raw(desk.hearth.store.path()).expect("open raw");
    let mut out = String::new();
    for table in [
        "people",
        "person_alerts",
        "person_notes",
        "person_dates",
        "person_links",
        "bookings",
        "booking_resources",
        "tasks",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .expect("select");
        // A record's version counts its edits (so another desk reloads it):
        // filling it in and putting it back are two edits, and it says so.
        let keep: Vec<usize> = (0..stmt.column_count())
            .filter(|&i| stmt.column_name(i).is_ok_and(|n| n != "version"))
            .collect();
        let mut rows = stmt.query([]).expect("rows");
        while let Some(r) = rows.next().expect("row") {
            let cells: Vec<String> = keep
                .iter()
                .map(|&i| format!("{:?}", r.get_ref(i).expect("cell")))
                .collect();
            out.push_str(&format!("{table}: {}\n", cells.join(" | ")));
        }
    }
    let search: i64 = conn
        .query_row("SELECT count(*) FROM people_search", [], |r| r.get(0))
        .expect("search rows");
    out.push_str(&format!("people_search rows: {search}\n"));
    out
}

fn verdicts(preview: &Value) -> Vec<(i64, String, String)> {
    preview["attention"]
        .as_array()
        .expect("attention")
        .iter()
        .map(|v| {
            (
                v["row"].as_i64().expect("row"),
                v["verdict"].as_str().expect("verdict").to_owned(),
                v["reason"].as_str().expect("reason").to_owned(),
            )
        })
        .collect()
}

/// A US dental practice with Quentin Quill already on its books.
fn us_practice() -> (Desk, i64) {
    let desk = Desk::new(PracticeKind::Dental);
    desk.update_practice("country", json!("US"))
        .expect("country");
    desk.update_practice("date_order", json!("mdy"))
        .expect("order");
    let q = desk.ok(
        "save_person",
        json!({ "given_name": "Quentin", "family_name": "Quill", "phone": "(503) 555-0155" }),
    );
    (desk, id(&q))
}

#[test]
fn an_open_dental_export_is_judged_row_by_row_before_anything_is_written() {
    let (desk, quentin) = us_practice();
    let before = fingerprint(&desk);
    let file = upload(&desk, "patients.csv", &fixture("open-dental-patients.csv"));
    let p = desk.ok("preview_import_people", json!({ "upload_id": file }));
    assert_eq!(p["encoding"], "utf8");
    assert_eq!(p["separator"], "comma");
    assert_eq!(p["date_order"], "mdy");
    let cols: Vec<Value> = p["columns"].as_array().expect("columns").clone();
    assert_eq!(
        cols,
        vec![
            json!("external_id"),
            json!("family_name"),
            json!("given_name"),
            json!("preferred_name"),
            json!("birth_date"),
            json!("other_phone"),
            json!("phone"),
            json!("email"),
            json!("address"),
            json!("address"),
            json!("address"),
            json!("address"),
            json!("alerts")
        ]
    );
    assert_eq!(p["rows"], 9);
    let v = verdicts(&p);
    let expect: &[(i64, &str, &str)] = &[
        (
            4,
            "in_file",
            "Same name and date of birth as row 2 of the file",
        ),
        (
            5,
            "problem",
            "\"13/45/1990\" is not a real date when read as month/day/year.",
        ),
        (6, "problem", "There is no name on this row."),
        (
            7,
            "problem",
            "\"555-01\" is not a phone number for this practice's country.",
        ),
        (
            8,
            "existing",
            "Same phone ((503) 555-0155) and first name as Quentin Quill (already here)",
        ),
        (
            10,
            "problem",
            "\"eileen@example\" is not an e-mail address Hearth can use (like name@example.com).",
        ),
    ];
    assert_eq!(
        v,
        expect
            .iter()
            .map(|(r, k, w)| (*r, (*k).to_owned(), (*w).to_owned()))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        (
            p["ready"].as_i64(),
            p["existing"].as_i64(),
            p["in_file"].as_i64(),
            p["problems"].as_i64()
        ),
        (Some(3), Some(1), Some(1), Some(4))
    );
    assert_eq!(p["attention"][4]["person_id"], quentin);
    // The formula is a name like any other here (neutralised when exported).
    assert_eq!(
        p["first_rows"][7]["verdict"]["name"],
        "Evil =cmd|' /C calc'!A0"
    );
    // A preview writes nothing.
    assert_eq!(fingerprint(&desk), before);
}

#[test]
fn the_import_and_its_undo_round_trip_and_a_second_import_adds_nobody() {
    let (desk, quentin) = us_practice();
    let before = fingerprint(&desk);
    let bytes = fixture("open-dental-patients.csv");
    let file = upload(&desk, "patients.csv", &bytes);
    let done = desk.ok(
        "import_people",
        json!({ "upload_id": file, "on_existing": "merge", "on_problem": "leave_out" }),
    );
    let record = &done["import"];
    assert_eq!(record["state"], "done");
    // Ready: Ann, Bob, Evil; left out: Dan's phone, Eileen's e-mail; Cara's
    // birth date. Merged: Quentin. Skipped: the second Ann, the row without a name.
    assert_eq!(
        (
            record["added"].as_i64(),
            record["merged"].as_i64(),
            record["skipped"].as_i64()
        ),
        (Some(6), Some(1), Some(2))
    );

    let found = desk.ok("search_people", json!({ "query": "Ann Smith" }));
    let ann = found
        .as_array()
        .expect("matches")
        .iter()
        .find(|m| m["preferred_name"] == "Annie")
        .expect("Ann");
    let ann_id = ann["id"].as_i64().expect("id");
    let page = desk.ok("get_person", json!({ "id": ann_id }));
    assert_eq!(page["person"]["date_of_birth"], "1980-03-14");
    assert_eq!(page["person"]["phone"], "(503) 555-0142");
    assert_eq!(page["person"]["other_phone"], "(503) 555-0100");
    assert_eq!(page["person"]["address"], "12 Oak St, Portland, OR, 97201");
    assert_eq!(page["alerts"][0]["kind"], "allergy");
    assert_eq!(page["alerts"][0]["text"], "MedUrgNote: Penicillin allergy");
    // Cara's unreadable birth date is kept, as typed, in a note.
    let cara = desk.ok("search_people", json!({ "query": "Cara Lee" }));
    let cara_id = cara[0]["id"].as_i64().expect("Cara");
    let cara_page = desk.ok("get_person", json!({ "id": cara_id }));
    assert!(cara_page["person"]["date_of_birth"].is_null());
    let notes = cara_page["notes"].to_string();
    assert!(notes.contains("13/45/1990"), "{notes}");
    // Quentin was filled in, not duplicated: his number from the old system.
    let q = desk.ok("get_person", json!({ "id": quentin }));
    assert_eq!(q["person"]["given_name"], "Quentin");

    // The same file again adds nobody.
    let again = upload(&desk, "patients.csv", &bytes);
    let p = desk.ok("preview_import_people", json!({ "upload_id": again }));
    assert!(p["imported_before_ms"].is_i64());
    assert_eq!(p["ready"], 0, "{}", p["first_rows"]);
    let second = desk.ok(
        "import_people",
        json!({ "upload_id": again, "on_problem": "leave_out" }),
    );
    assert_eq!(second["import"]["added"], 0);
    desk.ok("undo_import", json!({ "id": second["import"]["id"] }));

    // Undone in one step: exactly the state before.
    let undone = desk.ok("undo_import", json!({ "id": record["id"] }));
    assert_eq!(undone["removed"], 6);
    assert_eq!(undone["kept"], 0);
    assert_eq!(undone["import"]["state"], "undone");
    assert_eq!(fingerprint(&desk), before);
    let again = desk.err("undo_import", json!({ "id": record["id"] }));
    assert!(again.to_string().contains("already undone"));
}

#[test]
fn the_undo_keeps_what_the_desk_has_used_since() {
    let (desk, quentin) = us_practice();
    let file = upload(&desk, "patients.csv", &fixture("open-dental-patients.csv"));
    let done = desk.ok(
        "import_people",
        json!({ "upload_id": file, "on_existing": "merge" }),
    );
    // The desk books Bob, and corrects the number Quentin was filled in with.
    let bob = desk.ok("search_people", json!({ "query": "Bob Jones" }))[0]["id"]
        .as_i64()
        .expect("Bob");
    let start = desk.at("2026-11-24", 9, 0);
    desk.ok(
        "create_booking",
        json!({ "person_id": bob, "type_id": desk.type_id("Check-up"), "resource_ids": [desk.resource("Chair 1"), desk.resource("Dentist")],
                "override_rules": true, "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 1_800_000 } }),
    );
    let q = desk.ok("get_person", json!({ "id": quentin }));
    let mut edit = q["person"].clone();
    for k in [
        "full_name",
        "merged_into",
        "erased",
        "archived",
        "version",
        "id",
    ] {
        edit.as_object_mut().expect("person").remove(k);
    }
    edit["id"] = json!(quentin);
    edit["expected_version"] = q["person"]["version"].clone();
    edit["email"] = json!("quentin@example.com");
    desk.ok("save_person", edit);

    let undone = desk.ok("undo_import", json!({ "id": done["import"]["id"] }));
    assert_eq!(undone["kept"], 1, "Bob has a booking now");
    let still = desk.ok("get_person", json!({ "id": bob }));
    assert_eq!(still["person"]["given_name"], "Bob");
    let q = desk.ok("get_person", json!({ "id": quentin }));
    assert_eq!(q["person"]["email"], "quentin@example.com");
}

#[test]
fn other_encodings_separators_and_date_orders() {
    let desk = Desk::new(PracticeKind::Hotel);
    let file = upload(&desk, "clients.csv", &fixture("french-windows-1252.csv"));
    let p = desk.ok("preview_import_people", json!({ "upload_id": file }));
    assert_eq!(p["encoding"], "windows1252");
    assert_eq!(p["separator"], "semicolon");
    assert_eq!(p["header"][1], "Prénom");
    assert_eq!(p["ready"], 2, "{}", p["attention"]);
    assert_eq!(p["first_rows"][0]["verdict"]["name"], "Renée Dupré");
    let done = desk.ok("import_people", json!({ "upload_id": file }));
    assert_eq!(done["import"]["added"], 2);
    let r = desk.ok("search_people", json!({ "query": "Jürgen" }));
    let page = desk.ok("get_person", json!({ "id": r[0]["id"] }));
    assert_eq!(page["person"]["date_of_birth"], "1975-12-31");

    let file = upload(&desk, "export.txt", &fixture("dentrix-patients.txt"));
    let p = desk.ok("preview_import_people", json!({ "upload_id": file }));
    assert_eq!(p["separator"], "tab");
    assert_eq!(p["columns"][2], "external_id");
    assert_eq!(p["ready"], 2, "{}", p["attention"]);
    // The manager says the file's dates are another order: judged again.
    let p = desk.ok(
        "preview_import_people",
        json!({ "upload_id": file, "date_order": "mdy", "columns": ["given_name", "family_name", "external_id", "birth_date", null, "notes"] }),
    );
    assert_eq!(p["ready"], 2);
    assert!(p["attention"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn a_hostile_file_is_read_without_harm() {
    let desk = Desk::new(PracticeKind::Dental);
    let mut bytes = fixture("hostile.csv");
    bytes.extend_from_slice(b"Huge Cell,07700 900003,");
    bytes.extend(std::iter::repeat_n(b'x', 1_000_000));
    bytes.extend_from_slice(b"\n");
    let file = upload(&desk, "hostile.csv", &bytes);
    let p = desk.ok("preview_import_people", json!({ "upload_id": file }));
    // One byte that is not UTF-8 makes it a Windows-1252 file.
    assert_eq!(p["encoding"], "windows1252");
    let v = verdicts(&p);
    let rows: Vec<(i64, &str)> = v.iter().map(|(r, k, _)| (*r, k.as_str())).collect();
    assert_eq!(rows, vec![(4, "problem"), (9, "problem")], "{v:?}");
    assert!(v[0].2.contains("one line"), "{}", v[0].2);
    assert!(
        v[1].2.contains("Column 3") && v[1].2.contains("10000"),
        "{}",
        v[1].2
    );
    let done = desk.ok("import_people", json!({ "upload_id": file }));
    assert_eq!(done["import"]["added"], 5);
    // Columns the mapping left out ("Extra") never reach the record.
    let found = desk.ok("search_people", json!({ "query": "Too Many" }));
    let page = desk.ok("get_person", json!({ "id": found[0]["id"] }));
    assert!(!page.to_string().contains("\"b\""));
}

#[test]
fn only_a_manager_imports_and_the_file_is_checked() {
    let desk = Desk::new(PracticeKind::Dental);
    let reception = member(&desk, "Rita Desk", "rita", "front_desk");
    let refused = desk
        .run(
            &reception,
            "add_import_part",
            json!({ "name": "a.csv", "part": "" }),
        )
        .expect_err("front_desk");
    assert_eq!(refused.code(), "staff.forbidden");
    let refused = desk
        .run(&reception, "list_imports", json!({}))
        .expect_err("front_desk");
    assert_eq!(refused.code(), "staff.forbidden");
    let e = desk.err(
        "add_import_part",
        json!({ "name": "a.csv", "part": "not base64!" }),
    );
    assert_eq!(e.code(), "input.invalid");
    let empty = upload(&desk, "empty.csv", b"");
    let e = desk.err("preview_import_people", json!({ "upload_id": empty }));
    assert!(e.to_string().contains("empty"), "{e}");
    let file = upload(&desk, "a.csv", b"Name,Phone\nAnn,07700 900001\n");
    let e = desk.err(
        "preview_import_people",
        json!({ "upload_id": file, "columns": ["full_name"] }),
    );
    assert!(e.to_string().contains("2 columns"), "{e}");
    let e = desk.err(
        "preview_import_people",
        json!({ "upload_id": file, "columns": ["phone", "phone"] }),
    );
    assert!(e.to_string().contains("Only one column"), "{e}");
    let e = desk.err("preview_import_people", json!({ "upload_id": 9999 }));
    assert_eq!(e.code(), "not_found", "{e}");
}

#[test]
fn erasing_someone_forgets_what_an_import_filled_in() {
    let (desk, quentin) = us_practice();
    let file = upload(&desk, "patients.csv", &fixture("open-dental-patients.csv"));
    desk.ok(
        "import_people",
        json!({ "upload_id": file, "on_existing": "merge" }),
    );
    desk.ok(
        "erase_person",
        json!({ "id": quentin, "reason": "asked at the desk" }),
    );
    let conn = hearth_core::store::keys::open_raw(desk.hearth.store.path()).expect("raw");
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM import_changes WHERE person_id = ?1 AND (before IS NOT NULL OR after IS NOT NULL)",
            [quentin],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(left, 0);
}

/// The undo leaves nothing of the people it removed in the file's bytes: not
/// their rows, not the search index's trigrams of their names, not the log.
#[test]
fn an_undone_import_leaves_no_trace_in_the_files_raw_bytes() {
    let desk = Desk::plain(PracticeKind::Dental);
    let mut csv = String::from("First Name,Last Name,Mobile,Email\n");
    for i in 0..300 {
        csv.push_str(&format!(
            "Ann{i},Smith{i},07700 9{i:05},ann{i}@example.com\n"
        ));
    }
    csv.push_str("Zebulon,Quixotic,07700 955555,zq.private@example.com\n");
    let file = upload(&desk, "people.csv", csv.as_bytes());
    let done = desk.ok("import_people", json!({ "upload_id": file }));
    assert_eq!(done["import"]["added"], 301);
    let raw = |desk: &Desk| {
        let mut all = Vec::new();
        for suffix in ["", "-wal"] {
            if let Ok(b) = std::fs::read(desk.dir.path().join(format!("hearth.db{suffix}"))) {
                all.extend(b.to_ascii_lowercase());
            }
        }
        all
    };
    let holds =
        |hay: &[u8], needle: &str| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
    let before = raw(&desk);
    assert!(holds(&before, "quixotic") && holds(&before, "zq.private"));
    assert!(["zeb", "uix", "xot"].iter().all(|t| holds(&before, t)));
    desk.ok("undo_import", json!({ "id": done["import"]["id"] }));
    let mut after = raw(&desk);
    // Random text the practice keeps (a password's hash, a certificate) can
    // hold three such letters by chance: each live text value outside the
    // search index is blanked before looking (the index's own pages are
    // blobs, and are looked at whole).
    let conn = hearth_core::store::keys::open_raw(desk.hearth.store.path()).expect("open raw");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'people_search%' AND name NOT LIKE 'sqlite_%'")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("names");
    for t in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .expect("select");
        let n = stmt.column_count();
        let mut rows = stmt.query([]).expect("rows");
        while let Some(r) = rows.next().expect("row") {
            for i in 0..n {
                if let Ok(rusqlite::types::ValueRef::Text(v)) = r.get_ref(i) {
                    let v = v.to_ascii_lowercase();
                    if v.len() < 8 {
                        continue;
                    }
                    let mut at = 0;
                    while let Some(p) = after[at..].windows(v.len()).position(|w| w == v.as_slice())
                    {
                        let start = at + p;
                        after[start..start + v.len()].fill(0);
                        at = start + v.len();
                    }
                }
            }
        }
    }
    let left: Vec<&str> = [
        "quixotic",
        "zq.private",
        "zebulon",
        "zeb",
        "ebu",
        "uix",
        "ixo",
        "xot",
    ]
    .into_iter()
    .filter(|s| holds(&after, s))
    .collect();
    assert!(
        left.is_empty(),
        "still in the file's bytes after the undo: {left:?}"
    );
    assert_eq!(
        desk.ok("search_people", json!({ "query": "Ann12" })),
        json!([])
    );
}

/// Moving out: the people as a spreadsheet file, which re-imports into a
/// fresh practice as the same people; a formula in a name is neutralised.
#[test]
fn the_exported_people_re_import_into_a_fresh_practice_as_the_same_people() {
    let (desk, _) = us_practice();
    let file = upload(&desk, "patients.csv", &fixture("open-dental-patients.csv"));
    desk.ok(
        "import_people",
        json!({ "upload_id": file, "on_problem": "leave_out" }),
    );
    let out = desk.ok("export_people", json!({}));
    let text = out["text"].as_str().expect("csv");
    assert_eq!(
        out["rows"].as_i64(),
        out["shows"].as_array().map(|a| a.len() as i64)
    );
    assert!(
        text.starts_with("Hearth ID,First name,Family name,"),
        "{text}"
    );
    // Not a formula in a spreadsheet: "'=cmd…", "'+…".
    assert!(text.contains("'=cmd|' /C calc'!A0"), "{text}");
    assert!(
        !text
            .lines()
            .any(|l| l.split(',').any(|c| c.starts_with('='))),
        "{text}"
    );

    let fresh = Desk::new(PracticeKind::Dental);
    fresh
        .update_practice("country", json!("US"))
        .expect("country");
    let back = upload(&fresh, "export.csv", text.as_bytes());
    let p = fresh.ok("preview_import_people", json!({ "upload_id": back }));
    assert_eq!(p["problems"], 0, "{}", p["attention"]);
    assert_eq!(p["ready"], out["rows"], "{}", p["attention"]);
    fresh.ok("import_people", json!({ "upload_id": back }));
    let people = |d: &Desk| {
        let e = d.ok("export_people", json!({}));
        // Everything but the Hearth ID (each practice numbers its own).
        let mut rows: Vec<String> = e["text"]
            .as_str()
            .expect("csv")
            .lines()
            .skip(1)
            .map(|l| l.split_once(',').map_or(l, |(_, rest)| rest).to_owned())
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(people(&fresh), people(&desk));
    // Each person in the file was looked at, through the export.
    for shown in out["shows"].as_array().expect("shows") {
        let looks = desk.ok(
            "list_person_looks",
            json!({ "person_id": shown["person_id"] }),
        );
        assert!(
            looks
                .as_array()
                .expect("looks")
                .iter()
                .any(|l| l["through"] == "export"),
            "{looks}"
        );
    }
}

/// The people first (scenario S8, step 1): Ann, Bob and the others come in,
/// and Quentin, typed at the desk, is filled in with his old number.
fn with_people() -> (Desk, i64) {
    let (desk, quentin) = us_practice();
    let file = upload(&desk, "patients.csv", &fixture("open-dental-patients.csv"));
    desk.ok(
        "import_people",
        json!({ "upload_id": file, "on_existing": "merge" }),
    );
    (desk, quentin)
}

/// The old system's operatories are Hearth's chairs; "Op 3" is left unmatched.
fn ops(desk: &Desk) -> Value {
    json!([
        { "kind": "chair", "name": "Op 1", "target_id": desk.resource("Chair 1") },
        { "kind": "chair", "name": "Op 2", "target_id": desk.resource("Chair 2") },
    ])
}

fn booking_verdicts(preview: &Value) -> Vec<(i64, String, String)> {
    verdicts(preview)
}

#[test]
fn coming_bookings_are_judged_by_the_desks_rules_before_anything_is_written() {
    let (desk, quentin) = with_people();
    // The desk has Chair 2 on Thursday at two already.
    let start = desk.at("2026-11-26", 14, 0);
    desk.book("Walk In", "Chair 2", start, 30)
        .expect("desk booking");
    let before = fingerprint(&desk);
    let file = upload(
        &desk,
        "appointments.csv",
        &fixture("open-dental-appointments.csv"),
    );
    let p = desk.ok(
        "preview_import_bookings",
        json!({ "upload_id": file, "names": ops(&desk) }),
    );
    assert_eq!(p["encoding"], "windows1252");
    assert_eq!(p["date_order"], "mdy");
    assert_eq!(
        p["columns"],
        json!([
            null,
            "person_number",
            "person_family_name",
            "person_given_name",
            "date",
            "duration",
            "chair",
            "provider",
            "type",
            "notes"
        ])
    );
    // Each of the old system's names, mapped once.
    let names: Vec<(String, String, Option<i64>, String)> = p["names"]
        .as_array()
        .expect("names")
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().expect("kind").to_owned(),
                n["name"].as_str().expect("name").to_owned(),
                n["target_id"].as_i64(),
                n["how"].as_str().expect("how").to_owned(),
            )
        })
        .collect();
    let chair1 = desk.resource("Chair 1");
    let dentist = desk.resource("Dentist");
    assert!(names.contains(&(
        "chair".into(),
        "Op 1".into(),
        Some(chair1),
        "As you said".into()
    )));
    assert!(names.contains(&("chair".into(), "Op 3".into(), None, "Not matched".into())));
    assert!(names.contains(&(
        "provider".into(),
        "Dr. Dentist".into(),
        Some(dentist),
        "Same name".into()
    )));
    assert!(names.contains(&(
        "type".into(),
        "Crown".into(),
        Some(desk.type_id("Crown prep")),
        "Same name".into()
    )));
    assert!(names.contains(&("type".into(), "Exam".into(), None, "Not matched".into())));

    let expect: &[(i64, &str, &str)] = &[
        (3, "clash", "Chair 1 is taken Tue 24 Nov 09:00–09:30 by row 2 of the file."),
        (4, "new_person", "No one here matches: they will be added."),
        (5, "closed", "Sat 28 Nov 10:00–10:30 is outside opening hours (closed that day). Pick another time, or choose Book anyway if you really mean it."),
        (6, "closed", "Fri 20 Nov 09:00–09:30 is in the past. Pick a later time, or book anyway if you are recording a visit that already happened."),
        (7, "problem", "\"13/45/2026\" is not a real date when read as month/day/year."),
        (8, "problem", "\"Op 3\" is not matched to a chair here: say which chair it is, above."),
        (9, "new_person", "Someone new, the same as on row 4."),
        (11, "problem", "\"Exam\" is not matched to a type here: say which type it is, above."),
        (12, "clash", ""),
    ];
    let got = booking_verdicts(&p);
    assert_eq!(got.len(), expect.len(), "{got:#?}");
    for ((row, kind, reason), (r, k, w)) in got.iter().zip(expect) {
        assert_eq!((row, kind.as_str()), (r, *k), "{got:#?}");
        if !w.is_empty() {
            assert_eq!(reason, w, "row {row}");
        }
    }
    // The desk's own clash message names the booking in the way.
    assert!(got[8].2.contains("Walk In"), "{}", got[8].2);
    assert_eq!(
        (
            p["ready"].as_i64(),
            p["new_person_rows"].as_i64(),
            p["new_people"].as_i64(),
            p["clashes"].as_i64(),
            p["closed"].as_i64(),
            p["problems"].as_i64()
        ),
        (Some(2), Some(2), Some(1), Some(2), Some(2), Some(3))
    );
    // Quentin, typed at the desk and filled in with his old number, is matched.
    assert_eq!(p["first_rows"][8]["verdict"]["person_id"], quentin);
    assert_eq!(
        p["first_rows"][0]["verdict"]["when"],
        "Tue 24 Nov 09:00–09:30"
    );
    // A closed time the manager says to book anyway.
    let p = desk.ok(
        "preview_import_bookings",
        json!({ "upload_id": file, "names": ops(&desk), "book_anyway_rows": [6] }),
    );
    assert_eq!(p["booked_anyway"], 1);
    assert_eq!(p["attention"][3]["book_anyway"], true);
    // A preview writes nothing.
    assert_eq!(fingerprint(&desk), before);
}

#[test]
fn the_bookings_import_books_what_may_be_booked_and_undoes_in_one_step() {
    let (desk, _) = with_people();
    let start = desk.at("2026-11-26", 14, 0);
    desk.book("Walk In", "Chair 2", start, 30)
        .expect("desk booking");
    let before = fingerprint(&desk);
    let bookings_before = desk.count_bookings();
    let bytes = fixture("open-dental-appointments.csv");
    let file = upload(&desk, "appointments.csv", &bytes);
    let done = desk.ok(
        "import_bookings",
        json!({ "upload_id": file, "names": ops(&desk), "book_anyway_rows": [6] }),
    );
    let record = &done["import"];
    assert_eq!(record["kind"], "bookings");
    // Rows 2, 4, 6 (booked anyway), 9 and 10; Zoë is added once.
    assert_eq!(
        (record["added"].as_i64(), record["skipped"].as_i64()),
        (Some(5), Some(6))
    );
    assert_eq!(desk.count_bookings(), bookings_before + 5);
    let (_, pairs) = common::clashes(desk.hearth.store.path());
    assert_eq!(pairs, 0, "nothing double-booked");
    let zoe = desk.ok("search_people", json!({ "query": "Zoë Nuñez" }));
    assert_eq!(zoe.as_array().map(Vec::len), Some(1), "{zoe}");
    // The calendar holds them, with their notes, types and lengths.
    let week = desk.ok(
        "list_bookings",
        json!({ "from_ms": desk.at("2026-11-16", 0, 0), "to_ms": desk.at("2026-12-05", 0, 0) }),
    );
    let crown = week
        .as_array()
        .expect("bookings")
        .iter()
        .find(|b| b["type_name"] == "Crown prep")
        .expect("Zoë's crown");
    assert_eq!(crown["person_name"], "Zoë Nuñez");
    assert_eq!(
        crown["ends_at_ms"].as_i64().unwrap_or(0) - crown["starts_at_ms"].as_i64().unwrap_or(0),
        90 * 60_000
    );
    let first = week
        .as_array()
        .expect("bookings")
        .iter()
        .find(|b| b["notes"] == "Prefers the window seat")
        .expect("Ann's check-up");
    assert_eq!(first["person_name"], "Ann Smith");
    let past = week
        .as_array()
        .expect("bookings")
        .iter()
        .find(|b| b["notes"] == "Recorded late")
        .expect("the past visit, booked anyway");
    assert_eq!(past["overridden"], true);

    // The same file again books nobody twice.
    let again = upload(&desk, "appointments.csv", &bytes);
    let p = desk.ok("preview_import_bookings", json!({ "upload_id": again }));
    assert!(p["imported_before_ms"].is_i64());
    // The chairs are remembered from the first import.
    let op1 = p["names"]
        .as_array()
        .expect("names")
        .iter()
        .find(|n| n["name"] == "Op 1")
        .expect("Op 1")
        .clone();
    assert_eq!(op1["how"], "As at the last import");
    assert_eq!(
        (p["ready"].as_i64(), p["new_person_rows"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(p["existing"], 5);
    let second = desk.ok(
        "import_bookings",
        json!({ "upload_id": again, "book_anyway_rows": [6] }),
    );
    assert_eq!(second["import"]["added"], 0);
    desk.ok("undo_import", json!({ "id": second["import"]["id"] }));

    // Undone in one step: the bookings and Zoë go; exactly the state before.
    let undone = desk.ok("undo_import", json!({ "id": record["id"] }));
    assert_eq!(
        (undone["removed"].as_i64(), undone["kept"].as_i64()),
        (Some(6), Some(0))
    );
    assert_eq!(fingerprint(&desk), before);
}

#[test]
fn the_bookings_undo_keeps_a_booking_the_desk_has_moved() {
    let (desk, _) = with_people();
    let file = upload(
        &desk,
        "appointments.csv",
        &fixture("open-dental-appointments.csv"),
    );
    let done = desk.ok(
        "import_bookings",
        json!({ "upload_id": file, "names": ops(&desk) }),
    );
    assert_eq!(done["import"]["added"], 5);
    let week = desk.ok(
        "list_bookings",
        json!({ "from_ms": desk.at("2026-11-23", 0, 0), "to_ms": desk.at("2026-12-05", 0, 0) }),
    );
    let ann = week
        .as_array()
        .expect("bookings")
        .iter()
        .find(|b| b["person_name"] == "Ann Smith")
        .expect("Ann")
        .clone();
    let later = desk.at("2026-11-24", 11, 0);
    desk.ok(
        "update_booking",
        json!({ "id": ann["id"], "expected_version": ann["version"],
                "time": { "kind": "timed", "starts_at_ms": later, "ends_at_ms": later + 1_800_000 } }),
    );
    let undone = desk.ok("undo_import", json!({ "id": done["import"]["id"] }));
    // Ann's moved check-up stays; the other four and Zoë go.
    assert_eq!(
        (undone["removed"].as_i64(), undone["kept"].as_i64()),
        (Some(5), Some(1))
    );
    let left = desk.ok("get_booking", json!({ "id": ann["id"] }));
    assert_eq!(left["starts_at_ms"], later);
}

#[test]
fn a_hotels_forward_bookings_come_in_as_stays() {
    let desk = Desk::new(PracticeKind::Hotel);
    let csv = "Guest Name;Arrival;Departure;Nights;Room\n\
               Ann Smith;01/12/2026;04/12/2026;;101\n\
               Bob Jones;02/12/2026;;2;101\n\
               Cara Lee;02/12/2026;;2;Room 102\n\
               Dan Park;05/12/2026;03/12/2026;;102\n";
    let file = upload(&desk, "forward.csv", csv.as_bytes());
    let p = desk.ok("preview_import_bookings", json!({ "upload_id": file }));
    assert_eq!(p["separator"], "semicolon");
    // "101" is Room 101; the hotel's one type is the stays'.
    let names = p["names"].as_array().expect("names");
    let room101 = names.iter().find(|n| n["name"] == "101").expect("101");
    assert_eq!(room101["target_id"], desk.resource("Room 101"));
    let stay = names.iter().find(|n| n["kind"] == "type").expect("type");
    assert_eq!(stay["name"], "");
    assert_eq!(stay["target_id"], desk.type_id("Stay"));
    let v = booking_verdicts(&p);
    assert_eq!(v[0].0, 2);
    assert_eq!(v[0].1, "new_person");
    let clash = v.iter().find(|r| r.0 == 3).expect("Bob");
    assert_eq!(clash.1, "clash");
    assert!(
        clash.2.contains("Room 101") && clash.2.contains("row 2"),
        "{}",
        clash.2
    );
    let dan = v.iter().find(|r| r.0 == 5).expect("Dan");
    assert_eq!(dan.1, "problem");
    assert!(dan.2.contains("at least one night"), "{}", dan.2);
    let done = desk.ok("import_bookings", json!({ "upload_id": file }));
    assert_eq!(done["import"]["added"], 2);
    let cara = desk.ok("search_people", json!({ "query": "Cara Lee" }));
    assert_eq!(cara.as_array().map(Vec::len), Some(1));
}

#[test]
fn only_a_manager_imports_bookings_and_bad_mappings_are_refused() {
    let (desk, _) = with_people();
    let file = upload(
        &desk,
        "appointments.csv",
        &fixture("open-dental-appointments.csv"),
    );
    let front = member(&desk, "Fran Front", "fran", "front_desk");
    let e = desk
        .run(
            &front,
            "preview_import_bookings",
            json!({ "upload_id": file }),
        )
        .expect_err("front desk");
    assert_eq!(e.code(), "staff.forbidden");
    // A chair's name mapped to a provider.
    let e = desk.err(
        "preview_import_bookings",
        json!({ "upload_id": file, "names": [{ "kind": "chair", "name": "Op 1", "target_id": desk.resource("Dentist") }] }),
    );
    assert_eq!(e.code(), "input.invalid");
    assert!(e.to_string().contains("Op 1"), "{e}");
    let e = desk.err(
        "preview_import_bookings",
        json!({ "upload_id": file, "columns": ["date"] }),
    );
    assert!(e.to_string().contains("10 columns"), "{e}");
}

/// A practice with a week of appointments: three people, four bookings on
/// both chairs (one cancelled), an incident, a task and a handoff.
fn busy_week() -> (Desk, Vec<i64>) {
    let desk = Desk::new(PracticeKind::Dental);
    let mut ids = Vec::new();
    for (day, hh, who, chair) in [
        ("2026-11-24", 9, "Ann Smith", "Chair 1"),
        ("2026-11-24", 10, "Bob Jones", "Chair 2"),
        ("2026-11-25", 14, "=Evil Formula", "Chair 1"),
    ] {
        let b = desk
            .book(who, chair, desk.at(day, hh, 0), 30)
            .expect("booking");
        ids.push(id(&b));
    }
    let ann = desk.ok("get_booking", json!({ "id": ids[0] }))["person_id"].clone();
    let start = desk.at("2026-11-26", 9, 0);
    let again = desk.ok(
        "create_booking",
        json!({ "person_id": ann, "type_id": desk.type_id("Check-up"), "resource_ids": [desk.resource("Chair 2"), desk.resource("Dentist")],
                "time": { "kind": "timed", "starts_at_ms": start, "ends_at_ms": start + 1_800_000 } }),
    );
    ids.push(id(&again));
    let last = desk.ok("get_booking", json!({ "id": ids[3] }));
    desk.ok(
        "cancel_booking",
        json!({ "id": ids[3], "expected_version": last["version"], "reason": "Unwell" }),
    );
    desk.ok(
        "log_incident",
        json!({ "booking_id": ids[0], "what": "Waited 20 minutes", "category": "service", "severity": "minor" }),
    );
    desk.ok(
        "add_task",
        json!({ "title": "Call Bob back", "role": "front_desk", "due_at_ms": desk.at("2026-11-24", 12, 0) }),
    );
    (desk, ids)
}

fn rows_of(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_bookings_of_a_range_and_the_incidents_tasks_and_handoffs_export_as_spreadsheets() {
    let (desk, ids) = busy_week();
    let out = desk.ok(
        "export_sheet",
        json!({ "sheet": "bookings", "from_date": "2026-11-24", "to_date": "2026-11-25" }),
    );
    assert_eq!(out["rows"], 3, "the cancelled one is left out");
    assert!(
        out["file_name"]
            .as_str()
            .is_some_and(|n| n.starts_with("test-practice-bookings-2026-11-24-to-2026-11-25-")),
        "{out}"
    );
    let rows = rows_of(out["text"].as_str().expect("text"));
    assert_eq!(
        rows[0][..9],
        [
            "Booking ID",
            "Hearth ID",
            "First name",
            "Family name",
            "Date",
            "Start",
            "End",
            "Arrival",
            "Departure"
        ]
    );
    assert_eq!(rows[1][0], ids[0].to_string());
    assert_eq!(
        rows[1][2..7],
        ["Ann", "Smith", "2026-11-24", "09:00", "09:30"]
    );
    assert_eq!(rows[1][9..13], ["Chair 1", "Dentist", "", "Check-up"]);
    // A name a spreadsheet would run is written so it does not.
    assert!(
        rows.iter().any(|r| r[3] == "'=Evil" || r[2] == "'=Evil"),
        "{rows:?}"
    );
    let with_cancelled = desk.ok(
        "export_sheet",
        json!({ "sheet": "bookings", "include_cancelled": true, "practice_date_order": true }),
    );
    assert_eq!(with_cancelled["rows"], 4);
    let rows = rows_of(with_cancelled["text"].as_str().expect("text"));
    assert_eq!(rows[4][4], "26/11/2026", "the practice's day/month/year");
    assert_eq!(rows[4][13], "cancelled");

    let incidents = desk.ok("export_sheet", json!({ "sheet": "incidents" }));
    let rows = rows_of(incidents["text"].as_str().expect("text"));
    assert_eq!(rows.len(), 2);
    assert!(
        rows[1].contains(&"Waited 20 minutes".to_owned()),
        "{rows:?}"
    );
    let tasks = desk.ok("export_sheet", json!({ "sheet": "tasks" }));
    assert!(
        tasks["text"]
            .as_str()
            .is_some_and(|t| t.contains("Call Bob back") && t.contains("2026-11-24 12:00")),
        "{tasks}"
    );
    let handoffs = desk.ok("export_sheet", json!({ "sheet": "handoffs" }));
    assert_eq!(handoffs["rows"], 0);
    assert!(handoffs["text"]
        .as_str()
        .is_some_and(|t| t.starts_with("Handoff ID,Written at,")));

    let e = desk.err(
        "export_sheet",
        json!({ "sheet": "bookings", "from_date": "2026-11-25", "to_date": "2026-11-24" }),
    );
    assert_eq!(e.code(), "input.invalid");
    let front = member(&desk, "Fran Front", "fran", "front_desk");
    let e = desk
        .run(&front, "export_sheet", json!({ "sheet": "bookings" }))
        .expect_err("a manager's");
    assert_eq!(e.code(), "staff.forbidden");
}

#[test]
fn exported_people_and_bookings_re_import_into_a_fresh_practice_as_the_same_bookings() {
    let (desk, _) = busy_week();
    let people = desk.ok("export_people", json!({}));
    let bookings = desk.ok("export_sheet", json!({ "sheet": "bookings" }));
    let fresh = Desk::new(PracticeKind::Dental);
    let p = upload(
        &fresh,
        "people.csv",
        people["text"].as_str().expect("text").as_bytes(),
    );
    fresh.ok("import_people", json!({ "upload_id": p }));
    let b = upload(
        &fresh,
        "bookings.csv",
        bookings["text"].as_str().expect("text").as_bytes(),
    );
    let preview = fresh.ok("preview_import_bookings", json!({ "upload_id": b }));
    assert_eq!(preview["ready"], 3, "{}", preview["attention"]);
    fresh.ok("import_bookings", json!({ "upload_id": b }));
    let seen = |d: &Desk| -> Vec<(String, i64, i64, String, String)> {
        let all = d.ok(
            "list_bookings",
            json!({ "from_ms": d.at("2026-11-23", 0, 0), "to_ms": d.at("2026-11-30", 0, 0) }),
        );
        let names = d.ok("list_resources", json!({}));
        let mut out: Vec<_> = all
            .as_array()
            .expect("bookings")
            .iter()
            .map(|x| {
                let mut places: Vec<String> = x["resource_ids"]
                    .as_array()
                    .expect("ids")
                    .iter()
                    .map(|r| {
                        names
                            .as_array()
                            .and_then(|n| n.iter().find(|n| n["id"] == *r))
                            .and_then(|n| n["name"].as_str())
                            .unwrap_or("")
                            .to_owned()
                    })
                    .collect();
                places.sort();
                (
                    x["person_name"].as_str().unwrap_or("").to_owned(),
                    x["starts_at_ms"].as_i64().unwrap_or(0),
                    x["ends_at_ms"].as_i64().unwrap_or(0),
                    x["type_name"].as_str().unwrap_or("").to_owned(),
                    places.join(" + "),
                )
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(seen(&fresh), seen(&desk));
}

#[test]
fn the_whole_practice_is_one_archive_a_person_can_read() {
    let (desk, _) = busy_week();
    let gone = desk.ok(
        "save_person",
        json!({ "given_name": "Erin", "family_name": "Erased", "phone": "07700 900555" }),
    );
    desk.ok(
        "erase_person",
        json!({ "id": id(&gone), "reason": "Asked in person" }),
    );
    let out = desk.ok("export_practice", json!({}));
    let bytes = data_encoding::BASE64
        .decode(out["base64"].as_str().expect("zip").as_bytes())
        .expect("base64");
    assert_eq!(out["bytes"].as_i64(), Some(bytes.len() as i64));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut names: Vec<String> = zip
        .file_names()
        .map(|n| n.expect("a name").into_owned())
        .collect();
    names.sort();
    let folder = out["file_name"]
        .as_str()
        .expect("name")
        .trim_end_matches(".zip")
        .to_owned();
    for f in [
        "README.txt",
        "people.csv",
        "notes.csv",
        "important-dates.csv",
        "bookings.csv",
        "incidents.csv",
        "tasks.csv",
        "handoffs.csv",
        "team.csv",
        "chairs-rooms-providers.csv",
        "types.csv",
    ] {
        assert!(names.contains(&format!("{folder}/{f}")), "{f} in {names:?}");
    }
    let mut read = |f: &str| {
        use std::io::Read;
        let mut s = String::new();
        zip.by_name(&format!("{folder}/{f}"))
            .expect("file")
            .read_to_string(&mut s)
            .expect("text");
        s
    };
    let bookings = read("bookings.csv");
    assert_eq!(
        rows_of(&bookings).len(),
        5,
        "every booking, the cancelled one too"
    );
    let people = read("people.csv");
    assert!(
        people.contains("Ann") && !people.contains("Erin"),
        "{people}"
    );
    let team = read("team.csv");
    assert!(!team.to_lowercase().contains("argon2"), "no password in it");
    assert!(read("README.txt").contains("Hearth ID"));
    assert_eq!(out["files"][3]["name"], "bookings.csv");
    assert_eq!(out["files"][3]["rows"], 4);
    // Recorded, with everyone in it as looked at.
    let looks = desk.ok("list_person_looks", json!({ "person_id": 1 }));
    assert!(looks.to_string().contains("export"), "{looks}");
}

#[test]
fn a_persons_card_downloads_and_a_file_of_cards_imports_as_people() {
    let desk = Desk::new(PracticeKind::Dental);
    let ann = desk.ok(
        "save_person",
        json!({ "given_name": "Ann", "family_name": "Smith, Jr", "preferred_name": "Annie", "phone": "07700 900123",
                "email": "ann@example.com", "address": "12 Oak St; Leeds", "date_of_birth": "1980-03-14" }),
    );
    desk.ok(
        "add_person_alert",
        json!({ "person_id": id(&ann), "kind": "allergy", "severity": "critical", "text": "Penicillin" }),
    );
    let card = desk.ok("get_person_vcard", json!({ "id": id(&ann) }));
    let text = card["text"].as_str().expect("card").to_owned();
    assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"), "{text}");
    assert!(
        !text.contains("Penicillin"),
        "an alert is health data: never on a card"
    );
    // An independent parser reads it back.
    let parsed = ical::VcardParser::new(std::io::BufReader::new(text.as_bytes()))
        .next()
        .expect("a card")
        .expect("readable");
    let value = |name: &str| {
        parsed
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(value("FN"), "Ann Smith\\, Jr");
    assert_eq!(value("N"), "Smith\\, Jr;Ann;;;");
    assert_eq!(value("TEL"), "07700 900123");
    assert_eq!(value("BDAY"), "19800314");
    assert_eq!(value("NICKNAME"), "Annie");

    // A phone's export of cards, into a fresh practice: the same judging.
    let fresh = Desk::new(PracticeKind::Dental);
    let two = format!(
        "{text}BEGIN:VCARD\r\nVERSION:3.0\r\nN:Brontë;Zoë;;;\r\nFN:Zoë Brontë\r\nTEL;TYPE=CELL:07700 900201\r\nBDAY:1999-02-30\r\nEND:VCARD\r\n"
    );
    let file = upload(&fresh, "contacts.vcf", two.as_bytes());
    let p = fresh.ok("preview_import_people", json!({ "upload_id": file }));
    assert_eq!(p["rows"], 2);
    assert_eq!(p["ready"], 1, "{}", p["attention"]);
    assert_eq!(
        p["attention"][0]["row"], 12,
        "the line Zoë's card starts on"
    );
    assert!(
        p["attention"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("1999-02-30")),
        "{}",
        p["attention"]
    );
    fresh.ok(
        "import_people",
        json!({ "upload_id": file, "on_problem": "leave_out" }),
    );
    let found = fresh.ok("search_people", json!({ "query": "Annie" }));
    let back = fresh.ok("get_person", json!({ "id": found[0]["id"] }));
    assert_eq!(back["person"]["family_name"], "Smith, Jr");
    assert_eq!(back["person"]["date_of_birth"], "1980-03-14");
    assert_eq!(back["person"]["email"], "ann@example.com");
    assert_eq!(back["person"]["address"], "12 Oak St; Leeds");
}
