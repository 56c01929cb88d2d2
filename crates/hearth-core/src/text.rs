//! What text Hearth accepts. Every string a request carries is checked here
//! before any command sees it ([`check_request`]): no control characters
//! (NUL, escape, the C1 block), no characters that reverse or isolate the
//! direction of text (the "Trojan source" trick that makes a name read as
//! something else), and every string in Unicode NFC, so "José" typed on two
//! keyboards is one name. One-line fields also refuse line breaks and a value
//! of nothing but invisible characters ([`one_line`]).
//!
//! A whole number sent as `17.0` is read as `17`.
//!
//! Passwords are left exactly as typed (they are never shown, and a changed
//! byte would stop an old password working). A search box's text is cleaned
//! rather than refused: a pasted hidden character is just not searched for.
use serde_json::Value;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::error::{CoreError, CoreResult};

/// Fields taken byte for byte.
pub const VERBATIM: &[&str] = &[
    "password",
    "current_password",
    "new_password",
    "temporary_password",
    "manager_password",
];

/// Fields whose hidden characters are dropped instead of refused.
pub const SEARCHED: &[&str] = &["query"];

/// Control characters (but tab and line breaks, which multi-line fields keep).
fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Characters that embed, override or isolate a direction of text.
pub fn is_direction_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no space and show nothing: Unicode's default
/// ignorable code points (zero-width spaces and joiners, soft hyphens,
/// variation selectors, Hangul fillers, tags…) and whitespace.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
            | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// The same rules as a JSON-schema pattern (ECMA and Python regex alike), for
/// the API's document: no character [`refused`] (nor, on one line, a tab or a
/// line break), and when `shown`, at least one character that is not
/// [`is_invisible`]. Kept beside the rules it states.
pub fn schema_pattern(one_line: bool, shown: bool) -> String {
    const REFUSED: &str =
        "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069";
    const BREAKS: &str = "\\t\\n\\r\\u0085\\u2028\\u2029";
    const INVISIBLE: &str = "\\s\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B-\\u200F\\u2060-\\u206F\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0";
    let refused = if one_line {
        format!("{REFUSED}{BREAKS}")
    } else {
        REFUSED.to_owned()
    };
    if shown {
        format!("^[^{refused}]*[^{refused}{INVISIBLE}][^{refused}]*$")
    } else {
        format!("^[^{refused}]*$")
    }
}

/// A string a request may not carry: where it is, and what hides in it.
#[derive(Debug, PartialEq)]
pub struct Hidden {
    /// The field's path (`time.notes`, `items[2].name`; empty for a key).
    pub field: String,
    /// A character that turns text backwards, rather than a control character.
    pub direction: bool,
}

fn hidden(field: &str, c: char) -> Hidden {
    Hidden {
        field: field.to_owned(),
        direction: is_direction_override(c),
    }
}

fn refused(c: char) -> bool {
    is_control(c) || is_direction_override(c)
}

/// One string of a request at `path` (`key` its last field name): refused,
/// cleaned, or normalised. True when it changed.
fn check_string(s: &mut String, path: &str, key: &str) -> Result<bool, Hidden> {
    if VERBATIM.contains(&key) {
        return Ok(false);
    }
    let mut changed = false;
    if let Some(c) = s.chars().find(|&c| refused(c)) {
        if !SEARCHED.contains(&key) {
            return Err(hidden(path, c));
        }
        *s = s
            .chars()
            .map(|c| if refused(c) { ' ' } else { c })
            .collect();
        changed = true;
    }
    if is_nfc_quick(s.chars()) != IsNormalized::Yes {
        let n: String = s.nfc().collect();
        if n != *s {
            *s = n;
            changed = true;
        }
    }
    Ok(changed)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(v: &mut Value, path: &str, key: &str) -> Result<bool, Hidden> {
    match v {
        Value::String(s) => check_string(s, path, key),
        Value::Array(items) => {
            let mut changed = false;
            for (i, item) in items.iter_mut().enumerate() {
                changed |= walk(item, &format!("{path}[{i}]"), key)?;
            }
            Ok(changed)
        }
        Value::Object(map) => {
            let mut changed = false;
            for (k, item) in map.iter_mut() {
                // A field's name is echoed in refusals ("… is not something
                // Hearth knows"): it may not hide anything either.
                if let Some(c) = k.chars().find(|&c| refused(c)) {
                    return Err(hidden(path, c));
                }
                changed |= walk(item, &join(path, k), k)?;
            }
            Ok(changed)
        }
        // A whole number written with a fraction (`17.0`) is that number:
        // JSON does not tell them apart, and neither does the API's document.
        Value::Number(n) => match n.as_f64() {
            Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
                *v = Value::from(f as i64);
                Ok(true)
            }
            _ => Ok(false),
        },
        _ => Ok(false),
    }
}

/// Checks every string of a request's JSON text. `Ok(None)`: use the text as
/// it is (including text that is not JSON: the parser refuses that in its own
/// words); `Ok(Some(t))`: use `t`, the request with its text normalised.
pub fn check_request(text: &str) -> Result<Option<String>, Hidden> {
    let Ok(mut v) = serde_json::from_str::<Value>(text) else {
        return Ok(None);
    };
    if walk(&mut v, "", "")? {
        Ok(Some(v.to_string()))
    } else {
        Ok(None)
    }
}

/// A one-line field: no line breaks or tabs, and not only invisible
/// characters. `value` is already trimmed.
pub fn one_line(field: &str, label: &str, value: &str) -> CoreResult<()> {
    if value.chars().any(|c| is_line_break(c) || c == '\t') {
        return Err(CoreError::invalid(
            field,
            format!("{label} must be on one line."),
        ));
    }
    if !value.is_empty() && value.chars().all(is_invisible) {
        return Err(CoreError::invalid(
            field,
            format!("{label} is only invisible characters. Type it with letters or digits."),
        ));
    }
    Ok(())
}

/// Text of several lines (notes): refused only when it is nothing but
/// invisible characters.
pub fn lines(field: &str, label: &str, value: &str) -> CoreResult<()> {
    if !value.is_empty() && value.chars().all(is_invisible) {
        return Err(CoreError::invalid(
            field,
            format!("{label} is only invisible characters. Type it with letters or digits."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_number_written_with_a_fraction_is_that_number() {
        assert_eq!(
            check_request(r#"{"id": 17.0, "at": -3.0, "ok": 2}"#),
            Ok(Some(r#"{"at":-3,"id":17,"ok":2}"#.to_owned()))
        );
        assert_eq!(check_request(r#"{"id": 17.5}"#), Ok(None));
    }

    fn refusal(text: &str) -> Hidden {
        match check_request(text) {
            Err(h) => h,
            other => panic!("expected a refusal for {text}, got {other:?}"),
        }
    }

    #[test]
    fn control_and_direction_characters_are_refused_with_the_field() {
        let h = refusal(r#"{"person_name":"Ann\u0000Lee"}"#);
        assert_eq!(
            h,
            Hidden {
                field: "person_name".into(),
                direction: false
            }
        );
        let h = refusal(r#"{"time":{"notes":"ok"},"x":[{"name":"evil\u202Egnp.exe"}]}"#);
        assert_eq!(
            h,
            Hidden {
                field: "x[0].name".into(),
                direction: true
            }
        );
        for c in ["\\u001b", "\\u0085", "\\u2066", "\\u2069", "\\u007f"] {
            refusal(&format!(r#"{{"name":"a{c}b"}}"#));
        }
        // A field's own name may not hide anything either.
        assert_eq!(refusal(r#"{"na\u202Eme":"x"}"#).field, "");
    }

    #[test]
    fn line_breaks_pass_here_and_text_is_normalised_to_nfc() {
        assert_eq!(
            check_request(r#"{"notes":"line one\nline two\tend"}"#).ok(),
            Some(None)
        );
        // "e" + combining acute becomes "é".
        let out = check_request("{\"name\":\"Jose\u{301}\"}").ok().flatten();
        assert_eq!(out.as_deref(), Some("{\"name\":\"Jos\u{e9}\"}"));
    }

    #[test]
    fn passwords_are_verbatim_and_search_text_is_cleaned() {
        let text = r#"{"password":"a\u0000b\u202ee\u0301"}"#;
        assert_eq!(check_request(text).ok(), Some(None));
        let out = check_request(r#"{"query":"Ann\u202e Lee\u0000"}"#)
            .ok()
            .flatten();
        assert_eq!(out.as_deref(), Some("{\"query\":\"Ann  Lee \"}"));
    }

    #[test]
    fn one_line_fields_refuse_breaks_and_invisible_values() {
        assert!(one_line("name", "The name", "Ann Lee").is_ok());
        assert!(one_line("name", "The name", "").is_ok());
        assert!(one_line("name", "The name", "Ann\nLee").is_err());
        assert!(one_line("name", "The name", "Ann\u{2028}Lee").is_err());
        let e = one_line("name", "The name", "\u{200B}\u{200D}\u{FEFF}");
        assert!(
            matches!(&e, Err(CoreError::Invalid { message, .. }) if message.contains("invisible")),
            "{e:?}"
        );
        // A joiner inside a real name (emoji, Persian) is fine.
        assert!(one_line("name", "The name", "Ali\u{200C}reza").is_ok());
        assert!(lines("notes", "The notes", "one\ntwo").is_ok());
        assert!(lines("notes", "The notes", "\u{200B}\n\u{200B}").is_err());
    }
}
