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
    let after = raw(&desk);
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
