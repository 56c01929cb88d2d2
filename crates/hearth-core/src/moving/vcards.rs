//! Address-book cards (vCard): one person's card to download (vCard 4.0,
//! RFC 6350 — the name, preferred name, phones, e-mail, address and date of
//! birth; never a note or an alert, which are health data), and a file of
//! cards (vCard 3.0 or 4.0, as phones and address books export them) read
//! as a table of people with the columns the people import knows, so the
//! same judging, choices and undo apply. Cards are parsed with the `ical`
//! crate's vCard parser (line unfolding, parameters); values are unescaped
//! here.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::export::{slug, Shown};
use super::table::{Row, Separator, Table, TextEncoding};
use crate::app::ReadCtx;
use crate::error::{CoreError, CoreResult};
use crate::ids::PersonId;
use crate::people::records;

/// `get_person_vcard`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GetPersonVcard {
    pub id: PersonId,
}

/// A card to save.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct VcardFile {
    pub file_name: String,
    pub text: String,
    /// Whose card it is (recorded as a look, through "vCard").
    pub shows: Vec<Shown>,
}

/// A vCard value with its special characters escaped (RFC 6350 3.4).
fn escaped(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (never inside a character), CRLF ended.
fn folded(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

pub fn person(ctx: &ReadCtx<'_>, req: GetPersonVcard) -> CoreResult<VcardFile> {
    let p = records::get(ctx, req.id)?;
    if p.erased {
        return Err(CoreError::invalid(
            "id",
            "This record was erased on request: there is no card to give.",
        ));
    }
    let mut lines = vec![
        "BEGIN:VCARD".to_owned(),
        "VERSION:4.0".to_owned(),
        format!("FN:{}", escaped(&p.full_name)),
        format!(
            "N:{};{};;;",
            escaped(&p.family_name),
            escaped(&p.given_name)
        ),
    ];
    if !p.preferred_name.is_empty() {
        lines.push(format!("NICKNAME:{}", escaped(&p.preferred_name)));
    }
    if !p.phone.is_empty() {
        lines.push(format!(
            "TEL;VALUE=text;TYPE=cell;PREF=1:{}",
            escaped(&p.phone)
        ));
    }
    if !p.other_phone.is_empty() {
        lines.push(format!(
            "TEL;VALUE=text;TYPE=home:{}",
            escaped(&p.other_phone)
        ));
    }
    if !p.email.is_empty() {
        lines.push(format!("EMAIL:{}", escaped(&p.email)));
    }
    if !p.address.is_empty() {
        // One line as the desk keeps it: the label, and the street part.
        lines.push(format!(
            "ADR;LABEL=\"{}\":;;{};;;;",
            p.address.replace(['"', '\n'], " "),
            escaped(&p.address)
        ));
    }
    if let Some(d) = p.date_of_birth {
        lines.push(format!("BDAY:{}", d.date().format("%Y%m%d")));
    }
    lines.push(format!("UID:urn:hearth:person:{}", p.id.0));
    lines.push("END:VCARD".to_owned());
    let text: String = lines.iter().map(|l| folded(l)).collect();
    Ok(VcardFile {
        file_name: format!("{}.vcf", slug(&p.full_name)),
        text,
        shows: vec![Shown { person_id: p.id }],
    })
}

/// Whether a file's text is address-book cards rather than a spreadsheet.
pub fn is_vcard(text: &str) -> bool {
    text.trim_start()
        .get(..11)
        .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCARD"))
}

/// The columns a file of cards is read into: names the people import knows.
const HEADER: [&str; 10] = [
    "Full name",
    "First name",
    "Family name",
    "Preferred name",
    "Phone",
    "Other phone",
    "E-mail",
    "Address",
    "Birth date",
    "Notes",
];

/// A vCard value unescaped ("\," is a comma, "\n" a line break).
fn unescaped(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A structured value's parts (split on the `;` that are not escaped).
fn parts(v: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut escaped = false;
    for c in v.chars() {
        match (escaped, c) {
            (false, '\\') => {
                escaped = true;
                continue;
            }
            (false, ';') => out.push(String::new()),
            (true, c) => {
                if let Some(last) = out.last_mut() {
                    last.push('\\');
                    last.push(c);
                }
            }
            (false, c) => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
        escaped = false;
    }
    out.into_iter().map(|p| unescaped(&p)).collect()
}

/// A birthday as the people import reads it (year-month-day); none when it
/// has no year (`--0314`).
fn birthday(v: &str) -> String {
    let v = v.split('T').next().unwrap_or("").trim();
    if v.starts_with("--") {
        return String::new();
    }
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        8 => format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]),
        // Not a date as cards write it: as typed, for the import to say why.
        _ => v.to_owned(),
    }
}

/// A file of cards as a table of people: one row a card, numbered by the
/// line its `BEGIN:VCARD` is on.
pub fn table(text: &str, encoding: TextEncoding) -> CoreResult<Table> {
    let starts: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim().eq_ignore_ascii_case("BEGIN:VCARD"))
        .map(|(i, _)| i + 1)
        .collect();
    let parser = ical::VcardParser::new(std::io::BufReader::new(text.as_bytes()));
    let mut rows = Vec::new();
    for (i, card) in parser.enumerate() {
        let number = starts.get(i).copied().unwrap_or(i + 1);
        let card = card.map_err(|e| {
            CoreError::invalid(
                "file",
                format!("The card at line {number} can't be read ({e}). Export the cards again."),
            )
        })?;
        let mut cells = vec![String::new(); HEADER.len()];
        let mut phones: Vec<(bool, String)> = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        for p in &card.properties {
            let value = p.value.clone().unwrap_or_default();
            let types: String = p
                .params
                .iter()
                .flatten()
                .filter(|(k, _)| k.eq_ignore_ascii_case("TYPE"))
                .flat_map(|(_, v)| v.iter())
                .map(|v| v.to_ascii_lowercase())
                .collect::<Vec<_>>()
                .join(",");
            match p.name.to_ascii_uppercase().as_str() {
                "FN" => cells[0] = unescaped(&value),
                "N" => {
                    let n = parts(&value);
                    cells[2] = n.first().cloned().unwrap_or_default();
                    cells[1] = n.get(1).cloned().unwrap_or_default();
                }
                "NICKNAME" => cells[3] = unescaped(value.split(',').next().unwrap_or("")),
                "TEL" => {
                    let v = unescaped(value.trim_start_matches("tel:"));
                    phones.push((types.contains("cell") || types.contains("mobile"), v));
                }
                "EMAIL" if cells[6].is_empty() => cells[6] = unescaped(&value),
                "ADR" if cells[7].is_empty() => {
                    cells[7] = parts(&value)
                        .into_iter()
                        .map(|s| s.replace('\n', ", "))
                        .filter(|s| !s.trim().is_empty())
                        .collect::<Vec<_>>()
                        .join(", ");
                }
                "BDAY" => cells[8] = birthday(&value),
                "NOTE" => notes.push(unescaped(&value)),
                _ => {}
            }
        }
        // The mobile first: it is the phone the desk texts.
        phones.sort_by_key(|(cell, _)| !cell);
        let mut phones = phones.into_iter().map(|(_, v)| v);
        cells[4] = phones.next().unwrap_or_default();
        cells[5] = phones.next().unwrap_or_default();
        cells[9] = notes.join("\n");
        // The formatted name only for a card without its parts (the import splits it).
        if !cells[1].is_empty() || !cells[2].is_empty() {
            cells[0].clear();
        }
        rows.push(Row {
            number,
            cells,
            problem: None,
        });
    }
    Ok(Table {
        encoding,
        separator: Separator::Comma,
        header: HEADER.iter().map(|h| (*h).to_owned()).collect(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_long_lines_folded() {
        assert_eq!(escaped("Smith, Ann; Jr\\\nx"), "Smith\\, Ann\\; Jr\\\\\\nx");
        assert_eq!(
            unescaped("Smith\\, Ann\\; Jr\\\\\\nx"),
            "Smith, Ann; Jr\\\nx"
        );
        let long = format!("NOTE:{}", "é".repeat(60));
        let f = folded(&long);
        assert!(f.split("\r\n").all(|l| l.len() <= 75), "{f:?}");
        assert_eq!(f.replace("\r\n ", "").trim_end(), long);
        assert_eq!(
            parts("Smith\\;Jones;Ann;;;"),
            vec!["Smith;Jones", "Ann", "", "", ""]
        );
        assert_eq!(birthday("19800314"), "1980-03-14");
        assert_eq!(birthday("1980-03-14T00:00:00Z"), "1980-03-14");
        assert_eq!(birthday("--0314"), "");
    }

    #[test]
    fn cards_of_versions_3_and_4_read_as_people() {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Brontë;Zoë;;;\r\nFN:Zoë Brontë\r\nTEL;TYPE=HOME:01632 960001\r\nTEL;TYPE=CELL:07700 900201\r\nEMAIL;TYPE=INTERNET:zoe@example.com\r\nADR;TYPE=HOME:;;12 Oak St;Leeds;;LS1 1AA;UK\r\nBDAY:1980-03-14\r\nNOTE:Prefers\\, mornings\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:Åse Ødegård\r\nTEL;VALUE=uri;TYPE=cell:tel:+47-22-12-34-56\r\nBDAY:--0314\r\nEND:VCARD\r\n";
        assert!(is_vcard(text));
        let t = table(text, TextEncoding::Utf8).expect("cards");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].number, 1);
        assert_eq!(t.rows[1].number, 12);
        assert_eq!(
            t.rows[0].cells,
            vec![
                "",
                "Zoë",
                "Brontë",
                "",
                "07700 900201",
                "01632 960001",
                "zoe@example.com",
                "12 Oak St, Leeds, LS1 1AA, UK",
                "1980-03-14",
                "Prefers, mornings"
            ]
        );
        assert_eq!(t.rows[1].cells[0], "Åse Ødegård");
        assert_eq!(t.rows[1].cells[4], "+47-22-12-34-56");
        assert_eq!(t.rows[1].cells[8], "");
    }
}
