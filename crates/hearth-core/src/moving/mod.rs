//! Moving in and out: a practice brings its people from the system it
//! leaves (`people.rs`, judged row by row before anything is written, and
//! undone in one step for a week, `imports.rs`), from a spreadsheet file in
//! whatever shape another system exports (`files.rs`: which kind of file;
//! `table.rs`: encoding and
//! separator; `columns.rs`: which column holds what; `dates.rs`: dates in
//! the file's order), handed over in parts (`uploads.rs`); and moving out:
//! the people as a spreadsheet file the import reads back (`export.rs`), the
//! bookings, incidents, tasks and handoffs likewise (`sheets.rs`), and the
//! whole practice as one archive (`archive.rs`). Address-book cards go out
//! one person at a time and come in as a file of people (`vcards.rs`).
//! The coming bookings come in the same way, each through the desk's rule
//! check (`bookings.rs`; times and lengths as files write them, `times.rs`).
pub mod archive;
pub mod bookings;
pub mod columns;
pub mod dates;
pub mod export;
pub mod files;
pub mod imports;
pub mod people;
pub mod sheets;
pub mod table;
pub mod times;
pub mod uploads;
pub mod vcards;
