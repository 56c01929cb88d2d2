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
