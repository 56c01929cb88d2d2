//! `hearth import people --db PATH FILE [--dry-run]`: every row judged and
//! said; a dry run writes nothing; the import and `hearth import undo`.
mod common;

fn people(db: &std::path::Path) -> i64 {
    let conn = hearth_core::store::keys::open_raw(db).expect("open");
    conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0))
        .expect("count")
}

#[test]
fn a_dry_run_says_everything_and_writes_nothing_then_the_import_and_its_undo() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("practice.db");
    drop(common::demo_file(&db, "dental"));
    let file = dir.path().join("patients.csv");
    std::fs::write(
        &file,
        "First Name,Last Name,DOB,Mobile\nIrma,Import,14/03/1980,07700 900777\n,,,\nNo,Name,31/02/1990,07700 900778\n,Nameless,,07700 900779\n",
    )
    .expect("file");
    let before = people(&db);
    let args = |extra: &[&str]| {
        let mut a = vec![
            "import",
            "people",
            "--db",
            db.to_str().expect("path"),
            file.to_str().expect("path"),
        ];
        a.extend_from_slice(extra);
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let dry: Vec<String> = args(&["--dry-run"]);
    let (ok, text) = common::hearth(&dry.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(ok, "{text}");
    assert!(
        text.contains("Ready 2, already here 0, twice in the file 0, with a problem 1."),
        "{text}"
    );
    assert!(
        text.contains(
            "row 4: problem — \"31/02/1990\" is not a real date when read as day/month/year."
        ),
        "{text}"
    );
    assert!(text.contains("nothing was written"), "{text}");
    assert_eq!(people(&db), before);

    let run: Vec<String> = args(&[]);
    let (ok, text) = common::hearth(&run.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(ok, "{text}");
    assert!(text.contains("2 added, 0 filled in, 1 skipped"), "{text}");
    assert_eq!(people(&db), before + 2);

    let (ok, text) = common::hearth(&["import", "undo", "--db", db.to_str().expect("path"), "1"]);
    assert!(ok, "{text}");
    assert!(text.contains("2 removed"), "{text}");
    assert_eq!(people(&db), before);
    let (ok, text) = common::hearth(&["import", "undo", "--db", db.to_str().expect("path"), "1"]);
    assert!(!ok && text.contains("already undone"), "{text}");
}

fn bookings(db: &std::path::Path) -> i64 {
    let conn = hearth_core::store::keys::open_raw(db).expect("open");
    conn.query_row("SELECT count(*) FROM bookings", [], |r| r.get(0))
        .expect("count")
}

#[test]
fn coming_bookings_by_the_command_line_with_the_old_names_mapped() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("practice.db");
    drop(common::demo_file(&db, "dental"));
    let file = dir.path().join("appointments.csv");
    // Years ahead, so that "now" never reaches them; at 07:00 and 07:30 on a
    // Monday (before opening): closed times, booked anyway by row.
    std::fs::write(
        &file,
        "Patient,Date,Start,Minutes,Op,Provider,Type\n\
         Irma Import,2031-01-06,07:00,30,Op A,Dr Lind,Check-up\n\
         Ivo Import,2031-01-06,07:15,30,Op A,Dr Lind,Check-up\n\
         Isla Import,2031-01-06,07:30,30,Op Z,Dr Lind,Check-up\n",
    )
    .expect("file");
    let before = bookings(&db);
    let path = db.to_str().expect("path");
    let csv = file.to_str().expect("path");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "import",
            "bookings",
            "--db",
            path,
            csv,
            "--map",
            "chair:Op A=Chair 1",
        ];
        a.extend_from_slice(extra);
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let dry = args(&["--dry-run", "--book-anyway", "2"]);
    let (ok, text) = common::hearth(&dry.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(ok, "{text}");
    assert!(
        text.contains("chair \"Op A\"") && text.contains("→ Chair 1 (As you said)"),
        "{text}"
    );
    assert!(text.contains("row 3: clash — Chair 1 is taken"), "{text}");
    assert!(
        text.contains("row 4: problem — \"Op Z\" is not matched to a chair"),
        "{text}"
    );
    assert!(text.contains("nothing was written"), "{text}");
    assert_eq!(bookings(&db), before);

    let run = args(&["--book-anyway", "2"]);
    let (ok, text) = common::hearth(&run.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(ok, "{text}");
    assert!(text.contains("1 booked, 2 skipped"), "{text}");
    assert_eq!(bookings(&db), before + 1);

    let bad = vec![
        "import",
        "bookings",
        "--db",
        path,
        csv,
        "--map",
        "chair:Op A=Chair 99",
    ];
    let (ok, text) = common::hearth(&bad);
    assert!(
        !ok && text.contains("no chair called \"Chair 99\""),
        "{text}"
    );
}
