//! A file handed over for import, read into a table whichever kind it is: a
//! spreadsheet file in any of its shapes (`table`), or address-book cards
//! (`vcards`), told apart by their text.
use crate::error::{CoreError, CoreResult};
use crate::moving::table::{self, Separator, Table, TextEncoding, MAX_FILE_BYTES};
use crate::moving::vcards;

/// Reads a file's bytes into a header and rows.
pub fn read(
    bytes: &[u8],
    encoding: Option<TextEncoding>,
    separator: Option<Separator>,
) -> CoreResult<Table> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(CoreError::invalid(
            "file",
            format!(
                "The file is larger than {} MB. Export fewer columns, or split it in two.",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let (text, encoding) = table::decode(bytes, encoding);
    // Address-book cards (a phone's or a mail program's export).
    if vcards::is_vcard(&text) {
        return vcards::table(&text, encoding);
    }
    table::read_text(&text, encoding, separator)
}
