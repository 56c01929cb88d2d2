//! A spreadsheet file as another system exports it, read into rows of text:
//! comma-, semicolon- or tab-separated (guessed from the header line, or as
//! the manager says), in UTF-8 (with or without its byte-order mark) or
//! Windows-1252 (guessed: text that is not valid UTF-8 is Windows-1252, as
//! the common desktop exports are). Ragged rows are kept as they are (a
//! missing cell is empty); a cell over [`MAX_CELL`] characters makes its row
//! a problem rather than the whole file.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};

/// The largest file read (a practice of 20,000 people exports a few MB).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// The longest cell kept (a note can be long; a megabyte is not a note).
pub const MAX_CELL: usize = 10_000;

/// How the file's bytes are text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    /// What Windows' spreadsheets and older practice systems write.
    Windows1252,
}

/// What separates the cells of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Separator {
    Comma,
    Semicolon,
    Tab,
}

impl Separator {
    fn byte(self) -> u8 {
        match self {
            Separator::Comma => b',',
            Separator::Semicolon => b';',
            Separator::Tab => b'\t',
        }
    }
}

/// A file read into rows.
#[derive(Debug, Clone)]
pub struct Table {
    pub encoding: TextEncoding,
    pub separator: Separator,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// One row under the header.
#[derive(Debug, Clone)]
pub struct Row {
    /// Its line in the file as a spreadsheet numbers it (the header is 1).
    pub number: usize,
    pub cells: Vec<String>,
    /// Why this row can't be read, in words (a cell too long).
    pub problem: Option<String>,
}

impl Row {
    /// The cell in column `i`, trimmed; empty when the row is short.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", |c| c.trim())
    }
}

/// Decodes `bytes`: the byte-order mark says UTF-8; valid UTF-8 is UTF-8;
/// anything else is Windows-1252 — unless the manager said which.
pub fn decode(bytes: &[u8], said: Option<TextEncoding>) -> (String, TextEncoding) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let encoding = said.unwrap_or(if std::str::from_utf8(bytes).is_ok() {
        TextEncoding::Utf8
    } else {
        TextEncoding::Windows1252
    });
    let text = match encoding {
        TextEncoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
        TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    };
    (text, encoding)
}

/// The separator the header line uses most (outside quotes); a comma when
/// it has none.
pub fn guess_separator(text: &str) -> Separator {
    let first = text.lines().next().unwrap_or("");
    let mut quoted = false;
    let (mut commas, mut semis, mut tabs) = (0, 0, 0);
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semis += 1,
            '\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if tabs > commas && tabs >= semis {
        Separator::Tab
    } else if semis > commas {
        Separator::Semicolon
    } else {
        Separator::Comma
    }
}

/// Reads a spreadsheet file's text (decoded as `encoding`) into a header
/// and rows; the separator guessed from the header unless given.
pub fn read_text(
    text: &str,
    encoding: TextEncoding,
    separator: Option<Separator>,
) -> CoreResult<Table> {
    let separator = separator.unwrap_or_else(|| guess_separator(text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator.byte())
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // Line numbers as a spreadsheet shows them, counted from the byte where
    // each row starts (a quoted cell may hold line breaks; CRLF or LF).
    let (mut counted_to, mut line) = (0usize, 1usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // Unreadable quoting: the rest of the file can't be trusted.
                return Err(CoreError::invalid(
                    "file",
                    format!(
                        "Line {} can't be read ({}). Check the file's quotes, or export it again.",
                        e.position().map_or(line, |p| line_at(
                            text,
                            &mut counted_to,
                            &mut line,
                            p.byte()
                        )),
                        short_reason(&e)
                    ),
                ));
            }
        }
        let number = record.position().map_or(line, |p| {
            line_at(text, &mut counted_to, &mut line, p.byte())
        });
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let too_long = record.iter().position(|c| c.chars().count() > MAX_CELL);
        let cells: Vec<String> = record
            .iter()
            .map(|c| c.chars().take(MAX_CELL).collect())
            .collect();
        match &header {
            None => header = Some(cells.iter().map(|c| c.trim().to_owned()).collect()),
            Some(_) => rows.push(Row {
                number,
                cells,
                problem: too_long.map(|i| {
                    format!(
                        "Column {} holds over {MAX_CELL} characters: not something to import.",
                        i + 1
                    )
                }),
            }),
        }
    }
    let header = header.ok_or_else(|| {
        CoreError::invalid(
            "file",
            "The file is empty: export it again with a header row.",
        )
    })?;
    Ok(Table {
        encoding,
        separator,
        header,
        rows,
    })
}

/// The line the byte `at` is on, counting on from the last line found.
fn line_at(text: &str, counted_to: &mut usize, line: &mut usize, at: u64) -> usize {
    let mut at = (at as usize).min(text.len());
    // A row "starts" at the line break before it when lines end in CRLF.
    while at < text.len() && matches!(text.as_bytes()[at], b'\r' | b'\n') {
        at += 1;
    }
    if at > *counted_to {
        *line += text.as_bytes()[*counted_to..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        *counted_to = at;
    }
    *line
}

fn short_reason(e: &csv::Error) -> &'static str {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "characters that are not text",
        _ => "a quote that is never closed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_read_when_the_bytes_are_not_utf8() {
        let bytes = b"Nom;Pr\xe9nom\nDupr\xe9;Ren\xe9e\n";
        let t = crate::moving::files::read(bytes, None, None).expect("read");
        assert_eq!(t.encoding, TextEncoding::Windows1252);
        assert_eq!(t.separator, Separator::Semicolon);
        assert_eq!(t.header, vec!["Nom", "Prénom"]);
        assert_eq!(t.rows[0].cells, vec!["Dupré", "Renée"]);
        assert_eq!(t.rows[0].number, 2);
    }

    #[test]
    fn a_byte_order_mark_quotes_and_line_breaks_in_cells() {
        let bytes = "\u{feff}First,Last,Notes\n\"Ann\",\"O'Neil, Jr\",\"two\nlines\"\nBob,Smith\n"
            .as_bytes();
        let t = crate::moving::files::read(bytes, None, None).expect("read");
        assert_eq!(t.encoding, TextEncoding::Utf8);
        assert_eq!(t.header[0], "First");
        assert_eq!(t.rows[0].cells[1], "O'Neil, Jr");
        assert_eq!(t.rows[0].cells[2], "two\nlines");
        // A ragged row: the missing cell is empty, and numbered as a
        // spreadsheet shows it (the quoted line break moved it down).
        assert_eq!(t.rows[1].cell(2), "");
        assert_eq!(t.rows[1].number, 4);
    }

    #[test]
    fn windows_line_ends_are_numbered_as_a_spreadsheet_shows_them() {
        let t =
            crate::moving::files::read(b"a,b\r\n1,2\r\n\r\n3,\"x\r\ny\"\r\n5,6\r\n", None, None)
                .expect("read");
        assert_eq!(
            t.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
            vec![2, 4, 6]
        );
    }

    #[test]
    fn tabs_win_when_the_header_has_more_of_them() {
        let t = crate::moving::files::read(b"a\tb\tc\n1\t2\t3\n", None, None).expect("read");
        assert_eq!(t.separator, Separator::Tab);
        assert_eq!(t.rows[0].cells, vec!["1", "2", "3"]);
    }

    #[test]
    fn a_huge_cell_is_a_problem_of_its_row_only() {
        let mut text = String::from("Name,Notes\nAnn,short\nBob,");
        text.push_str(&"x".repeat(1_000_000));
        text.push_str("\nCy,ok\n");
        let t = crate::moving::files::read(text.as_bytes(), None, None).expect("read");
        assert_eq!(t.rows.len(), 3);
        assert!(t.rows[0].problem.is_none());
        assert!(t.rows[1]
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("Column 2")));
        assert!(t.rows[1].cells[1].len() <= MAX_CELL);
        assert!(t.rows[2].problem.is_none());
    }

    #[test]
    fn an_empty_file_is_refused_in_words() {
        let e = crate::moving::files::read(b"", None, None).expect_err("empty");
        assert!(e.to_string().contains("empty"));
    }
}
