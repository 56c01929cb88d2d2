//! The `hearth` command: serve the practice (`--share` for the practice
//! network), print the pairing code, generate a demo practice, check the
//! audit trail, take, check and restore backups. The `hearth` binary runs it, and so does the desktop app's
//! `hearth-desktop cli …` (the installed package's `/usr/bin/hearth`), so one
//! program holds both.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate as hearth_server;
use hearth_core::demo::{self, DemoOptions};
use hearth_core::setup::practice::PracticeKind;
use hearth_core::Hearth;

#[derive(Parser)]
#[command(
    name = "hearth",
    about = "Hearth: the front office of a small practice."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the UI and the HTTP API for one practice file.
    Serve {
        /// The practice's data file (created if missing).
        #[arg(long)]
        db: PathBuf,
        /// Where to listen. Default: 127.0.0.1:8787 (this computer only); with
        /// --share, every network address on the practice's port (8443).
        #[arg(long)]
        addr: Option<SocketAddr>,
        /// Share the practice with its other computers: TLS with the
        /// practice's own certificate, and only computers paired with a code.
        #[arg(long)]
        share: bool,
        /// The built UI (ui/dist). Defaults to the one in this source tree.
        #[arg(long)]
        ui: Option<PathBuf>,
        /// Start the practice's clock at this instant (UTC epoch milliseconds)
        /// and run on from there: rehearsals and end-to-end tests ("a year
        /// later"). Never for a practice's real day.
        #[arg(long)]
        clock_starts_at: Option<i64>,
    },
    /// Fill a new practice file with a realistic demo practice.
    Demo {
        #[arg(long)]
        db: PathBuf,
        /// The demo's "today": its weeks are written around this instant (UTC
        /// epoch milliseconds) instead of now, as `serve --clock-starts-at` sees it.
        #[arg(long)]
        clock_starts_at: Option<i64>,
        #[arg(long, value_enum, default_value = "dental")]
        kind: Kind,
        /// Years of history to generate (0 = a few weeks around today).
        #[arg(long, default_value_t = 0)]
        years: u32,
        /// Chairs (dental) or rooms (hotel).
        #[arg(long)]
        resources: Option<u32>,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Print the pairing code another computer types to connect (it changes
    /// every five minutes). Read from the practice file; changes nothing.
    ShareCode {
        #[arg(long)]
        db: PathBuf,
        /// The code of this instant (UTC epoch milliseconds): the one a
        /// practice served with `--clock-starts-at` shows now.
        #[arg(long)]
        clock_starts_at: Option<i64>,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Backups: take one, list them, check one, restore one.
    Backup {
        #[command(subcommand)]
        command: BackupCommand,
    },
    /// Bring people in from another system's export, or undo an import.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Judge every row of a file of people (CSV, `;` or tab separated; UTF-8
    /// or Windows-1252) and import it; `--dry-run` only says what it would do.
    People {
        file: PathBuf,
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        dry_run: bool,
        /// The manager the import is made as (their login); the first manager when left out.
        #[arg(long = "as")]
        login: Option<String>,
        /// Rows of someone already in Hearth: skip, merge (fill in what they lack), add.
        #[arg(long, value_enum, default_value = "skip")]
        on_existing: OnExistingArg,
        /// Rows of someone already on an earlier row: skip or add.
        #[arg(long, value_enum, default_value = "skip")]
        on_in_file: OnInFileArg,
        /// Rows with a value that can't be read: skip, or leave the value out (kept in a note).
        #[arg(long, value_enum, default_value = "skip")]
        on_problem: OnProblemArg,
        /// The order of the file's dates; the practice's when left out.
        #[arg(long, value_enum)]
        date_order: Option<DateOrderArg>,
    },
    /// Judge every row of a file of coming bookings by the desk's rules and
    /// import them; `--dry-run` only says what it would do.
    Bookings {
        file: PathBuf,
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        dry_run: bool,
        #[arg(long = "as")]
        login: Option<String>,
        /// One of the old system's names as Hearth's: `chair:Op 1=Chair 1`
        /// (chair, provider, room or type; `type:=Check-up` for rows without one).
        #[arg(long = "map")]
        maps: Vec<String>,
        /// A row at a closed time (outside hours, blocked, in the past) to book anyway.
        #[arg(long = "book-anyway")]
        book_anyway: Vec<i64>,
        /// Skip rows for someone no one here matches (they are added otherwise).
        #[arg(long)]
        skip_new_people: bool,
        #[arg(long, value_enum)]
        date_order: Option<DateOrderArg>,
    },
    /// Undo an import (within 7 days).
    Undo {
        id: i64,
        #[arg(long)]
        db: PathBuf,
        #[arg(long = "as")]
        login: Option<String>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OnExistingArg {
    Skip,
    Merge,
    Add,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OnInFileArg {
    Skip,
    Add,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OnProblemArg {
    Skip,
    LeaveOut,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DateOrderArg {
    Dmy,
    Mdy,
    Ymd,
}

impl DateOrderArg {
    fn word(self) -> &'static str {
        match self {
            DateOrderArg::Dmy => "dmy",
            DateOrderArg::Mdy => "mdy",
            DateOrderArg::Ymd => "ymd",
        }
    }
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Take a backup now (while Hearth runs or not) and check it.
    Create {
        #[arg(long)]
        db: PathBuf,
        /// The folder to write it to. Default: beside the practice's folder
        /// ("…/hearth" → "…/hearth-backups").
        #[arg(long)]
        to: Option<PathBuf>,
    },
    /// The backups in a folder, newest first.
    List {
        #[arg(long)]
        db: PathBuf,
        /// The folder to look in (default as for create).
        #[arg(long = "in")]
        dir: Option<PathBuf>,
    },
    /// Check a backup: exits 0 only when it is good. It is unlocked with this
    /// computer's key, or the practice's recovery key.
    Verify {
        file: PathBuf,
        /// The practice the backup belongs to (optional: this computer's keys are tried).
        #[arg(long)]
        db: Option<PathBuf>,
        /// The recovery key from the practice's recovery sheet.
        #[arg(long)]
        recovery_key: Option<String>,
    },
    /// Print the practice's recovery key (to write on its recovery sheet).
    /// Whoever can run this can read the key file anyway; at the desk, a
    /// manager sees it in Settings → Backups after typing their password.
    RecoveryKey {
        #[arg(long)]
        db: PathBuf,
    },
    /// Put a backup in place of the practice file (stop Hearth first). The
    /// backup is checked first, and the current file is kept as a backup. On
    /// a new computer, give the recovery key: it is kept on this computer.
    Restore {
        file: PathBuf,
        #[arg(long)]
        db: PathBuf,
        /// The recovery key from the practice's recovery sheet.
        #[arg(long)]
        recovery_key: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit trail's hash chain. Exits 0 when it is whole, 1 naming
    /// the first entry that was edited, inserted or follows a deleted one.
    Verify {
        #[arg(long)]
        db: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Kind {
    Dental,
    Hotel,
}

/// Runs the command line `args` (the first is the program's name).
/// Errors come back in words for the terminal.
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<(), String> {
    let cli = Cli::parse_from(args);
    match cli.command {
        Command::Serve {
            db,
            addr,
            share,
            ui,
            clock_starts_at,
        } => serve(db, addr, share, ui, clock_starts_at),
        Command::ShareCode {
            db,
            clock_starts_at,
        } => share_code(db, clock_starts_at),
        Command::Audit {
            command: AuditCommand::Verify { db },
        } => audit_verify(db),
        Command::Backup { command } => backup_command(command),
        Command::Import { command } => import_command(command),
        Command::Demo {
            db,
            clock_starts_at,
            kind,
            years,
            resources,
            seed,
        } => {
            let kind = match kind {
                Kind::Dental => PracticeKind::Dental,
                Kind::Hotel => PracticeKind::Hotel,
            };
            run_demo(
                db,
                clock_starts_at,
                DemoOptions {
                    kind,
                    years,
                    resources,
                    seed,
                },
            )
        }
    }
}

/// The built screens: installed beside the program (`/usr/share/hearth/ui`
/// for `/usr/bin/hearth`), or this source tree's `ui/dist`.
fn default_ui_dir() -> Option<PathBuf> {
    let installed = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("share/hearth/ui")));
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist");
    installed
        .into_iter()
        .chain([source])
        .find(|dir| dir.join("index.html").exists())
}

fn serve(
    db: PathBuf,
    addr: Option<SocketAddr>,
    share: bool,
    ui: Option<PathBuf>,
    clock_starts_at: Option<i64>,
) -> Result<(), String> {
    if let Some(at) = clock_starts_at {
        eprintln!("hearth: the clock starts at {at} (a rehearsal clock).");
    }
    let hearth = Arc::new(open(&db, clock_starts_at)?);
    // The practice computer backs itself up while it serves (hourly, to every folder).
    hearth_core::setup::backups::keep_backing_up(hearth.clone());
    let ui = ui.or_else(default_ui_dir);
    if ui.is_none() {
        eprintln!("hearth: no built UI found (run `npm run build` in ui/); serving the API only.");
    }
    let rt = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    if share {
        let port = hearth_core::gate::pairing::existing_identity(&hearth)
            .map_err(|e| e.to_string())?
            .map_or(hearth_core::access::workstations::DEFAULT_PORT, |i| i.port);
        let addr = addr.unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], port)));
        let ui = ui.map(hearth_server::UiSource::Dir);
        return rt.block_on(hearth_server::serve_shared(hearth, addr, ui, &db));
    }
    let addr = addr.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8787)));
    rt.block_on(hearth_server::serve(hearth, addr, ui))
        .map_err(|e| format!("could not serve on {addr}: {e}"))
}

/// The practice file, on the system clock or a rehearsal clock that starts at
/// `clock_starts_at` and runs on.
fn open(db: &std::path::Path, clock_starts_at: Option<i64>) -> Result<Hearth, String> {
    match clock_starts_at {
        None => Hearth::open(db),
        Some(at) => Hearth::open_with_clock(
            db,
            Arc::new(hearth_core::clock::OffsetClock::starting_at(at)),
        ),
    }
    .map_err(|e| e.to_string())
}

/// The practice file as it is, read-only and unlocked with this computer's key.
fn open_read_only(db: &std::path::Path) -> Result<rusqlite::Connection, String> {
    if !db.exists() {
        return Err(format!("there is no practice file at {}", db.display()));
    }
    hearth_core::store::keys::open_raw_with(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())
}

/// The pairing code of the moment, from the file, changing nothing.
fn share_code(db: PathBuf, clock_starts_at: Option<i64>) -> Result<(), String> {
    let conn = open_read_only(&db)?;
    let identity = hearth_core::access::workstations::identity(&conn)
        .ok()
        .flatten()
        .filter(|i| i.sharing)
        .ok_or_else(|| {
            format!(
                "{} is not shared: start `hearth serve --db {} --share` first.",
                db.display(),
                db.display()
            )
        })?;
    let now = clock_starts_at.unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
    let (code, until) = identity.code_at(now);
    let seconds = (until - now) / 1000;
    println!(
        "{} {}  (changes in {}:{:02})",
        &code[..3],
        &code[3..],
        seconds / 60,
        seconds % 60
    );
    Ok(())
}

fn run_demo(db: PathBuf, clock_starts_at: Option<i64>, opts: DemoOptions) -> Result<(), String> {
    let hearth = open(&db, clock_starts_at)?;
    let started = std::time::Instant::now();
    let summary = demo::generate(&hearth, &opts).map_err(|e| e.to_string())?;
    println!(
        "Demo {} practice written to {}: {} bookings, {} resources, in {:.1}s.",
        opts.kind.as_str(),
        db.display(),
        summary.bookings,
        summary.resources,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Reads the file without changing it (no migration), and checks the chain.
fn audit_verify(db: PathBuf) -> Result<(), String> {
    let conn = open_read_only(&db)?;
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| format!("could not read {}: {e}", db.display()))?;
    if version < 3 {
        println!(
            "{}: written before the audit trail had a hash chain (schema {version}); open it in Hearth once to seal it.",
            db.display()
        );
        return Ok(());
    }
    let anchor = hearth_core::store::keys::anchor_for(
        &db,
        &hearth_core::store::keys::KeyStore::for_this_computer(),
    );
    let v = hearth_core::audit::chain::verify_against(&conn, anchor.as_ref())
        .map_err(|e| e.to_string())?;
    match (v.first_broken, v.problem) {
        (None, _) => {
            let sealed = if v.sealed {
                "sealed with the practice's key"
            } else {
                "not sealed (a plain file has no key)"
            };
            let anchored = if v.anchored {
                "it matches the copy of its head kept on this computer"
            } else {
                "this computer keeps no copy of its head yet, so a trail cut short could not be told"
            };
            println!(
                "{}: the audit trail is whole ({} entries), {sealed}; {anchored}.",
                db.display(),
                v.entries
            );
            Ok(())
        }
        (Some(id), problem) => Err(format!(
            "the audit trail is broken at entry {id}: {}.",
            problem.unwrap_or_default()
        )),
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn describe(v: &hearth_core::store::backup::Verdict) -> String {
    let rows: i64 = v.tables.values().sum();
    format!(
        "{:.1} MB, schema {}, {} bookings, {} people, {rows} rows in {} tables, audit trail of {} entries, sha256 {}",
        v.size as f64 / 1_000_000.0,
        v.schema,
        v.tables.get("bookings").copied().unwrap_or(0),
        v.tables.get("people").copied().unwrap_or(0),
        v.tables.len(),
        v.audit_entries,
        &v.sha256[..v.sha256.len().min(16)]
    )
}

/// The recovery key as typed on the command line, read.
fn recovery(
    typed: Option<String>,
) -> Result<Option<hearth_core::store::keys::PracticeKey>, String> {
    typed
        .map(|t| hearth_core::store::keys::PracticeKey::from_recovery(&t))
        .transpose()
        .map_err(|e| e.to_string())
}

fn backup_command(command: BackupCommand) -> Result<(), String> {
    use hearth_core::store::backup;
    use hearth_core::store::keys::KeyStore;
    match command {
        BackupCommand::Create { db, to } => {
            if !db.exists() {
                return Err(format!("there is no practice file at {}", db.display()));
            }
            // Opened as the desk opens it: encrypted and up to date first.
            let hearth = open(&db, None)?;
            let dir = to.unwrap_or_else(|| backup::default_dir(&db));
            let b = backup::create(&db, hearth.store.key().as_ref(), &dir, now_ms())
                .map_err(|e| e.to_string())?;
            if !b.verdict.ok {
                return Err(format!(
                    "the backup at {} did not check out: {}",
                    b.path.display(),
                    b.verdict.problem.unwrap_or_default()
                ));
            }
            println!(
                "{}: backed up and checked ({}).",
                b.path.display(),
                describe(&b.verdict)
            );
            Ok(())
        }
        BackupCommand::RecoveryKey { db } => {
            if !db.exists() {
                return Err(format!("there is no practice file at {}", db.display()));
            }
            let hearth = open(&db, None)?;
            let key = hearth
                .store
                .key()
                .ok_or_else(|| "this practice file is not encrypted".to_owned())?;
            println!("{}", key.recovery());
            Ok(())
        }
        BackupCommand::List { db, dir } => {
            let dir = dir.unwrap_or_else(|| backup::default_dir(&db));
            let found = backup::list(&dir).map_err(|e| e.to_string())?;
            if found.is_empty() {
                println!("No backups in {}.", dir.display());
            }
            for b in found {
                println!(
                    "{}  {:.1} MB",
                    b.path.display(),
                    b.size as f64 / 1_000_000.0
                );
            }
            Ok(())
        }
        BackupCommand::Verify {
            file,
            db: _,
            recovery_key,
        } => {
            let mut keys = KeyStore::for_this_computer().keys_for(&file);
            keys.extend(recovery(recovery_key)?);
            let v = backup::verify(&file, &keys).map_err(|e| e.to_string())?;
            if v.ok {
                println!("{}: a good backup ({}).", file.display(), describe(&v));
                Ok(())
            } else {
                Err(format!(
                    "{} is not a good backup: {}.",
                    file.display(),
                    v.problem.unwrap_or_default()
                ))
            }
        }
        BackupCommand::Restore {
            file,
            db,
            recovery_key,
        } => {
            let key = recovery(recovery_key)?;
            let aside = backup::default_dir(&db).join("before-restore");
            let r = backup::restore(
                &file,
                &db,
                &aside,
                now_ms(),
                &KeyStore::for_this_computer(),
                key.as_ref(),
            )
            .map_err(|e| e.to_string())?;
            if let Some(kept) = r.kept_aside {
                println!("The practice file as it was is kept at {}.", kept.display());
            }
            println!(
                "{} restored from {} ({}). Start Hearth again; everyone signs in afresh.",
                db.display(),
                file.display(),
                describe(&r.verdict)
            );
            Ok(())
        }
    }
}

/// The practice's manager a command-line import is made as: `login`, or the first one.
fn manager(h: &Hearth, login: Option<&str>) -> Result<hearth_core::Actor, String> {
    let id: Option<i64> = h
        .read(&hearth_core::Actor::default(), |ctx| {
            Ok(rusqlite::OptionalExtension::optional(ctx.tx.query_row(
                "SELECT id FROM staff WHERE archived = 0 AND role = 'manager' AND (?1 IS NULL OR login = ?1) ORDER BY id LIMIT 1",
                [login],
                |r| r.get(0),
            ))?)
        })
        .map_err(|e| e.to_string())?;
    id.map(|id| hearth_core::Actor::staff(hearth_core::ids::StaffId(id)))
        .ok_or_else(|| match login {
            Some(l) => format!("no manager has the login \"{l}\": an import is made as a manager"),
            None => "this practice has no manager yet: set it up first".into(),
        })
}

/// A file handed to the practice at `db` for an import made as a manager:
/// the practice, the manager, the file's name and its upload.
fn hand_over(
    db: &std::path::Path,
    file: &std::path::Path,
    login: Option<&str>,
) -> Result<
    (
        Hearth,
        hearth_core::Actor,
        String,
        hearth_core::moving::uploads::Upload,
    ),
    String,
> {
    if !db.exists() {
        return Err(format!("there is no practice file at {}", db.display()));
    }
    let bytes =
        std::fs::read(file).map_err(|e| format!("{} can't be read: {e}", file.display()))?;
    let h = open(db, None)?;
    let actor = manager(&h, login)?;
    let name = file
        .file_name()
        .map_or_else(|| "import.csv".into(), |n| n.to_string_lossy().into_owned());
    let upload = h
        .write(&actor, "add_import_part", |ctx| {
            hearth_core::moving::uploads::add_whole(ctx, &name, &bytes)
        })
        .map_err(|e| e.to_string())?;
    Ok((h, actor, name, upload))
}

/// How the file was read, in a line.
fn say_read(name: &str, p: &serde_json::Value) {
    println!(
        "{}: {} rows ({}, {}, dates read {}).",
        name,
        p["rows"],
        p["encoding"].as_str().unwrap_or(""),
        p["separator"].as_str().unwrap_or(""),
        p["date_order"].as_str().unwrap_or("")
    );
}

/// Every row that needs a look, with its number and reason.
fn say_attention(p: &serde_json::Value) {
    for v in p["attention"].as_array().cloned().unwrap_or_default() {
        println!(
            "  row {}: {} — {}",
            v["row"],
            v["verdict"].as_str().unwrap_or(""),
            v["reason"].as_str().unwrap_or("")
        );
    }
}

/// A dry run forgets the file it was handed.
fn dry_run_ends(h: &Hearth, actor: &hearth_core::Actor, upload: i64) -> Result<(), String> {
    h.write(actor, "add_import_part", |ctx| {
        hearth_core::moving::uploads::remove(ctx, upload)
    })
    .map_err(|e| e.to_string())?;
    println!("A dry run: nothing was written.");
    Ok(())
}

fn import_command(command: ImportCommand) -> Result<(), String> {
    use hearth_core::commands::dispatch_value as run;
    use serde_json::json;
    match command {
        ImportCommand::People {
            file,
            db,
            dry_run,
            login,
            on_existing,
            on_in_file,
            on_problem,
            date_order,
        } => {
            let (h, actor, name, upload) = hand_over(&db, &file, login.as_deref())?;
            let mut args = json!({
                "upload_id": upload.id,
                "date_order": date_order.map(DateOrderArg::word),
            });
            let p = run(&h, &actor, "preview_import_people", args.clone())
                .map_err(|e| e.to_string())?;
            say_read(&name, &p);
            let header = p["header"].as_array().cloned().unwrap_or_default();
            for (i, c) in p["columns"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                println!(
                    "  column {:>2} {:<24} → {}",
                    i + 1,
                    header.get(i).and_then(|h| h.as_str()).unwrap_or(""),
                    c.as_str().unwrap_or("(left out)")
                );
            }
            println!(
                "Ready {}, already here {}, twice in the file {}, with a problem {}.",
                p["ready"], p["existing"], p["in_file"], p["problems"]
            );
            say_attention(&p);
            if dry_run {
                return dry_run_ends(&h, &actor, upload.id);
            }
            args["on_existing"] = json!(match on_existing {
                OnExistingArg::Skip => "skip",
                OnExistingArg::Merge => "merge",
                OnExistingArg::Add => "add_anyway",
            });
            args["on_in_file"] = json!(match on_in_file {
                OnInFileArg::Skip => "skip",
                OnInFileArg::Add => "add_anyway",
            });
            args["on_problem"] = json!(match on_problem {
                OnProblemArg::Skip => "skip",
                OnProblemArg::LeaveOut => "leave_out",
            });
            let done = run(&h, &actor, "import_people", args).map_err(|e| e.to_string())?;
            let r = &done["import"];
            println!(
                "Import {}: {} added, {} filled in, {} skipped. Undo it within 7 days: hearth import undo --db {} {}",
                r["id"], r["added"], r["merged"], r["skipped"], db.display(), r["id"]
            );
            Ok(())
        }
        ImportCommand::Bookings {
            file,
            db,
            dry_run,
            login,
            maps,
            book_anyway,
            skip_new_people,
            date_order,
        } => {
            let (h, actor, name, upload) = hand_over(&db, &file, login.as_deref())?;
            let mut args = json!({
                "upload_id": upload.id,
                "date_order": date_order.map(DateOrderArg::word),
                "book_anyway_rows": book_anyway,
            });
            let first = run(&h, &actor, "preview_import_bookings", args.clone())
                .map_err(|e| e.to_string())?;
            let targets = first["targets"].as_array().cloned().unwrap_or_default();
            let mut names = Vec::new();
            for m in &maps {
                let (kind, rest) = m.split_once(':').ok_or_else(|| {
                    format!("--map \"{m}\": write it as kind:old name=Hearth name")
                })?;
                let (old, ours) = rest.split_once('=').ok_or_else(|| {
                    format!("--map \"{m}\": write it as kind:old name=Hearth name")
                })?;
                let target = targets
                    .iter()
                    .find(|t| t["kind"] == kind && t["name"].as_str() == Some(ours.trim()))
                    .ok_or_else(|| {
                        format!(
                            "--map \"{m}\": this practice has no {kind} called \"{}\"",
                            ours.trim()
                        )
                    })?;
                names.push(json!({ "kind": kind, "name": old, "target_id": target["id"] }));
            }
            args["names"] = json!(names);
            let p = run(&h, &actor, "preview_import_bookings", args.clone())
                .map_err(|e| e.to_string())?;
            say_read(&name, &p);
            for n in p["names"].as_array().cloned().unwrap_or_default() {
                let ours = targets
                    .iter()
                    .find(|t| t["kind"] == n["kind"] && t["id"] == n["target_id"])
                    .and_then(|t| t["name"].as_str())
                    .unwrap_or("(not matched)");
                println!(
                    "  {} {:<24} → {} ({})",
                    n["kind"].as_str().unwrap_or(""),
                    format!("\"{}\"", n["name"].as_str().unwrap_or("")),
                    ours,
                    n["how"].as_str().unwrap_or("")
                );
            }
            println!(
                "Ready {}, for someone new {} ({} people), already in the calendar {}, clashes {}, closed times {} ({} booked anyway), with a problem {}.",
                p["ready"], p["new_person_rows"], p["new_people"], p["existing"], p["clashes"], p["closed"], p["booked_anyway"], p["problems"]
            );
            say_attention(&p);
            if dry_run {
                return dry_run_ends(&h, &actor, upload.id);
            }
            args["on_new_person"] = json!(if skip_new_people { "skip" } else { "add" });
            let done = run(&h, &actor, "import_bookings", args).map_err(|e| e.to_string())?;
            let r = &done["import"];
            println!(
                "Import {}: {} booked, {} skipped. Undo it within 7 days: hearth import undo --db {} {}",
                r["id"], r["added"], r["skipped"], db.display(), r["id"]
            );
            Ok(())
        }
        ImportCommand::Undo { id, db, login } => {
            if !db.exists() {
                return Err(format!("there is no practice file at {}", db.display()));
            }
            let h = open(&db, None)?;
            let actor = manager(&h, login.as_deref())?;
            let u =
                run(&h, &actor, "undo_import", json!({ "id": id })).map_err(|e| e.to_string())?;
            println!(
                "Import {id} undone: {} removed, {} fields put back; kept {} people or bookings and {} fields the desk has used since.",
                u["removed"], u["restored"], u["kept"], u["kept_fields"]
            );
            Ok(())
        }
    }
}
