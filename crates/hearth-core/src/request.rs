//! Strict request parsing: JSON text → a command's typed request, or an
//! `input.*` error whose sentence names the field in the receptionist's words
//! ("The start time is missing.") and whose details carry the field's path
//! and the kind of problem. Nothing here knows any command: duplicate keys are
//! refused at every depth by one pass over the text, unknown fields by the
//! request types (`deny_unknown_fields`, checked for every command by the
//! fuzz harness), and every serde error is translated by its shape.
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::error::{CoreError, CoreResult};
use crate::instant::{DATE_OUT_OF_RANGE, OUT_OF_RANGE};

/// The largest request a transport accepts, in bytes.
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024;

/// Parses `text` (empty or `null` means "no arguments") into `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> CoreResult<T> {
    if text.len() > MAX_REQUEST_BYTES {
        return Err(CoreError::TooLarge);
    }
    // Nothing at all, or JSON's null: no arguments. (Only spaces is not JSON.)
    let text = match text.trim() {
        "null" => "{}",
        _ if text.is_empty() => "{}",
        t => t,
    };
    check_duplicates(text)?;
    let normalised = crate::text::check_request(text).map_err(hidden)?;
    let text = normalised.as_deref().unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(text);
    let Obj(value) = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        refusal(&path, e.into_inner())
    })?;
    de.end().map_err(|e| refusal("", e))?;
    Ok(value)
}

/// The refusal of a request string with a hidden character in it.
fn hidden(h: crate::text::Hidden) -> CoreError {
    let subject = if h.field.is_empty() {
        "What this screen sent".to_owned()
    } else {
        cap(&label(&h.field))
    };
    let message = if h.direction {
        format!("{subject} contains a hidden character that turns text backwards, which can disguise what it says. Type it again instead of pasting it.")
    } else {
        format!(
            "{subject} contains a hidden control character. Type it again instead of pasting it."
        )
    };
    CoreError::Input {
        message,
        field: h.field,
        problem: "hidden_character",
    }
}

/// A `T` read only from a JSON object. Serde would also build a struct from
/// an array of its fields in order (`[0, 10]` for a range); Hearth's requests
/// are objects at every depth, so that is refused too.
pub struct Obj<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OnlyMaps<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OnlyMaps<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a group of details")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(OnlyMaps(PhantomData)).map(Obj)
    }
}

/// `#[serde(deserialize_with)]` for a nested object field.
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Obj::deserialize(d).map(|Obj(v)| v)
}

/// …for an optional nested object.
pub fn option_object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<Obj<T>>::deserialize(d).map(|o| o.map(|Obj(v)| v))
}

/// …for a list of objects.
pub fn objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Vec::<Obj<T>>::deserialize(d).map(|v| v.into_iter().map(|Obj(x)| x).collect())
}

/// …for an optional list of objects.
pub fn option_objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    Option::<Vec<Obj<T>>>::deserialize(d)
        .map(|o| o.map(|v| v.into_iter().map(|Obj(x)| x).collect()))
}

/// The path of a field as details carry it: `time.starts_at_ms`, `resource_ids[1]`.
fn join(parent: &str, field: &str) -> String {
    match (parent, field) {
        ("" | ".", f) => f.to_owned(),
        (p, "") => p.to_owned(),
        (p, f) => format!("{p}.{f}"),
    }
}

/// The name between the first pair of backticks in a serde message.
fn quoted(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

fn refusal(path: &str, e: serde_json::Error) -> CoreError {
    use serde_json::error::Category;
    if matches!(
        e.classify(),
        Category::Syntax | Category::Eof | Category::Io
    ) {
        return CoreError::NotJson;
    }
    let full = e.to_string();
    let msg = full.split(" at line ").next().unwrap_or(&full);
    if msg.starts_with("recursion limit exceeded") {
        return CoreError::NotJson;
    }
    let path = if path == "." { "" } else { path };
    let (field, problem, sentence) = describe(path, msg);
    CoreError::Input {
        message: sentence,
        field,
        problem,
    }
}

/// Field path, problem kind and the sentence for one serde message at `path`.
fn describe(path: &str, msg: &str) -> (String, &'static str, String) {
    let name = quoted(msg).unwrap_or_default();
    if msg.starts_with("missing field") {
        let field = join(path, name);
        let s = format!("{} is missing.", cap(&label(&field)));
        return (field, "missing", s);
    }
    if msg.starts_with("unknown field") {
        // serde_path_to_error already ends the path with the unknown key.
        let parent = match path.rsplit_once('.') {
            Some((p, last)) if last == name => p,
            None if path == name => "",
            _ => path,
        };
        let field = join(parent, name);
        let within = if parent.is_empty() {
            String::new()
        } else {
            format!(" in {}", label(parent))
        };
        let s = format!(
            "\"{}\" is not something Hearth knows{within}. Leave it out.",
            trim(name, 40)
        );
        return (field, "unknown", s);
    }
    if msg.starts_with("duplicate field") {
        let field = join(path, name);
        let s = format!("{} is given twice. Give it once.", cap(&label(&field)));
        return (field, "duplicate", s);
    }
    let subject = cap(&label(path));
    if msg.contains(OUT_OF_RANGE) || msg.contains(DATE_OUT_OF_RANGE) {
        let range = if msg.contains(OUT_OF_RANGE) {
            OUT_OF_RANGE
        } else {
            DATE_OUT_OF_RANGE
        };
        return (
            path.to_owned(),
            "out_of_range",
            format!("{subject} {range}."),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let expected = rest.split(", expected ").nth(1).unwrap_or_default();
        let s = format!("{subject} should be {}.", expected_words(expected));
        return (path.to_owned(), "wrong_type", s);
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let expected = rest.split(", expected ").nth(1).unwrap_or_default();
        let s = match whole_number_range(expected) {
            Some(range) => format!("{subject} must be a whole number {range}."),
            None => format!("{subject} is out of range."),
        };
        return (path.to_owned(), "out_of_range", s);
    }
    if msg.starts_with("number out of range") {
        return (
            path.to_owned(),
            "out_of_range",
            format!("{subject} is out of range."),
        );
    }
    if msg.starts_with("unknown variant") {
        let choices: Vec<&str> = msg
            .split("expected ")
            .nth(1)
            .unwrap_or_default()
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        let s = if choices.is_empty() {
            format!("{subject} is not one of the choices.")
        } else {
            format!("{subject} must be one of: {}.", choices.join(", "))
        };
        return (path.to_owned(), "unknown_choice", s);
    }
    if msg.starts_with("invalid length") {
        return (
            path.to_owned(),
            "wrong_type",
            format!("{subject} has the wrong number of items."),
        );
    }
    if is_date_parse_error(msg) {
        let s = format!("{subject} should be a date like 2026-03-29.");
        return (path.to_owned(), "wrong_format", s);
    }
    (
        path.to_owned(),
        "invalid",
        format!("{subject} is not valid."),
    )
}

/// chrono's date parse errors.
fn is_date_parse_error(msg: &str) -> bool {
    [
        "input contains invalid characters",
        "premature end of input",
        "input is out of range",
        "trailing input",
        "input is not enough",
        "no possible date and time",
        "impossible",
        "bad or unsupported format",
    ]
    .iter()
    .any(|p| msg.starts_with(p))
}

fn expected_words(expected: &str) -> &'static str {
    let e = expected.trim();
    match e {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "isize" | "usize" => {
            "a whole number"
        }
        "f32" | "f64" => "a number",
        "a string" | "a borrowed string" | "a character" => "text",
        "a boolean" => "true or false",
        "a sequence" => "a list",
        "a group of details" => "a group of details",
        "a formatted date string" | "a valid date" => "a date like 2026-03-29",
        _ if e.starts_with("struct ") || e == "a map" || e.contains("tagged enum") => {
            "a group of details"
        }
        _ if e.starts_with("enum ") || e.contains("variant") => "one of the allowed choices",
        _ if e.starts_with("a sequence") || e.starts_with("a list") => "a list",
        _ => "something else",
    }
}

/// "from 0 to 255" for the unsigned types serde names.
fn whole_number_range(expected: &str) -> Option<&'static str> {
    match expected.trim() {
        "u8" => Some("from 0 to 255"),
        "u16" => Some("from 0 to 65535"),
        "u32" => Some("from 0 to 4294967295"),
        _ => None,
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn trim(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The receptionist's words for a field path: its last named segment.
pub fn label(path: &str) -> String {
    let last = path
        .rsplit('.')
        .map(|seg| seg.split('[').next().unwrap_or(seg))
        .find(|seg| !seg.is_empty());
    match last {
        None => "what this screen sent".to_owned(),
        Some(name) => field_label(name)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("the {}", name.replace('_', " "))),
    }
}

/// Every request field's label. A test fails when a command's request has a
/// field this table does not name.
pub fn field_label(name: &str) -> Option<&'static str> {
    Some(match name {
        "id" => "the item",
        "expected_version" => "the copy you were editing",
        "person_name" => "the name",
        "person_phone" => "the phone number",
        "type_id" => "the appointment type",
        "resource_ids" => "the chair, room or provider",
        "resource_id" => "the chair, room or provider",
        "time" => "the time",
        "kind" => "the kind",
        "starts_at_ms" => "the start time",
        "ends_at_ms" => "the end time",
        "arrival" => "the arrival date",
        "departure" => "the departure date",
        "notes" => "the notes",
        "override_rules" => "the override",
        "reason" => "the reason",
        "status" => "the status",
        "from_ms" => "the start of the range",
        "to_ms" => "the end of the range",
        "include_cancelled" => "whether to include cancelled bookings",
        "include_archived" => "whether to include archived items",
        "name" => "the name",
        "time_zone" => "the time zone",
        "manager_name" => "the manager's name",
        "slot_minutes" => "the booking grid",
        "opening_hours" => "the opening hours",
        "weekday" => "the weekday",
        "opens" => "the opening time",
        "closes" => "the closing time",
        "breaks" => "the breaks",
        "start" => "the start",
        "end" => "the end",
        "check_in_minute" => "the check-in time",
        "check_out_minute" => "the check-out time",
        "early_arrival_minutes" => "how early arrivals can be marked",
        "role" => "the role",
        "colour" => "the colour",
        "archived" => "whether it is archived",
        "room_type_id" => "the room type",
        "sort_order" => "the position in the list",
        "duration_minutes" => "the duration",
        "needs_chair" => "whether it needs a chair",
        "needs_provider" => "whether it needs a provider",
        "needs_room" => "whether it needs a room",
        "provider_id" => "the provider",
        "chair_id" => "the chair",
        "from_date" => "the first day",
        "within_days" => "the number of days",
        "count" => "how many",
        "from" => "the first day",
        "to" => "the last day",
        "years" => "the number of years",
        "seed" => "the seed",
        "given_name" => "the first name",
        "family_name" => "the last name",
        "preferred_name" => "the preferred name",
        "pronunciation" => "how to say the name",
        "phone" => "the phone number",
        "other_phone" => "the other phone number",
        "email" => "the e-mail address",
        "address" => "the address",
        "language" => "the language",
        "preferences" => "the preferences",
        "tags" => "the tags",
        "emergency_name" => "the emergency contact's name",
        "emergency_phone" => "the emergency contact's phone number",
        "emergency_relation" => "who the emergency contact is",
        "body" => "the note",
        "text" => "the text",
        "title" => "the title",
        "query" => "the search",
        "login" => "the login",
        _ => return None,
    })
}

/// Refuses a repeated key in any object, at any depth, naming its path.
fn check_duplicates(text: &str) -> CoreResult<()> {
    let mut path = Vec::new();
    let mut found = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = NoDuplicates {
        path: &mut path,
        found: &mut found,
    };
    match (seed.deserialize(&mut de).and_then(|()| de.end()), found) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some((parent, key))) => {
            let (field, problem, message) = describe(&parent, &format!("duplicate field `{key}`"));
            Err(CoreError::Input {
                message,
                field,
                problem,
            })
        }
        (Err(e), None) => Err(refusal("", e)),
    }
}

/// `time.starts_at_ms`, `opening_hours[2].breaks`: path segments as text.
fn path_text(segments: &[String]) -> String {
    let mut out = String::new();
    for seg in segments {
        if !out.is_empty() && !seg.starts_with('[') {
            out.push('.');
        }
        out.push_str(seg);
    }
    out
}

struct NoDuplicates<'a> {
    path: &'a mut Vec<String>,
    /// The repeated key and the path of the object holding it.
    found: &'a mut Option<(String, String)>,
}

impl<'de> DeserializeSeed<'de> for NoDuplicates<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NoDuplicates<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for i in 0usize.. {
            self.path.push(format!("[{i}]"));
            let next = seq.next_element_seed(NoDuplicates {
                path: &mut *self.path,
                found: &mut *self.found,
            })?;
            self.path.pop();
            if next.is_none() {
                break;
            }
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                *self.found = Some((path_text(self.path), key));
                return Err(de::Error::custom("duplicate key"));
            }
            self.path.push(key);
            map.next_value_seed(NoDuplicates {
                path: &mut *self.path,
                found: &mut *self.found,
            })?;
            self.path.pop();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduling::bookings::{CreateBooking, ListBookings};

    fn refusal_of<T: DeserializeOwned + fmt::Debug>(text: &str) -> (String, String, String) {
        match parse::<T>(text) {
            Err(CoreError::Input {
                message,
                field,
                problem,
            }) => (field, problem.to_owned(), message),
            other => panic!("expected an input refusal for {text}, got {other:?}"),
        }
    }

    const BOOKING: &str = r#"{"person_name":"Ana","type_id":1,"resource_ids":[1,2],
        "time":{"kind":"timed","starts_at_ms":1000,"ends_at_ms":2000}}"#;

    #[test]
    fn a_well_formed_request_parses() {
        let b: CreateBooking = parse(BOOKING).expect("parses");
        assert_eq!(b.person_name, "Ana");
    }

    #[test]
    fn a_missing_field_is_named_in_words() {
        let (field, problem, message) = refusal_of::<CreateBooking>(
            r#"{"person_name":"Ana","resource_ids":[],"time":{"kind":"timed","starts_at_ms":1,"ends_at_ms":2}}"#,
        );
        assert_eq!(field, "type_id");
        assert_eq!(problem, "missing");
        assert_eq!(message, "The appointment type is missing.");
        let (field, _, message) = refusal_of::<CreateBooking>(
            r#"{"person_name":"Ana","type_id":1,"resource_ids":[],"time":{"kind":"timed","starts_at_ms":1}}"#,
        );
        assert_eq!(field, "time.ends_at_ms");
        assert_eq!(message, "The end time is missing.");
    }

    #[test]
    fn an_unknown_field_inside_the_time_is_refused() {
        // The defect: `time` accepted unknown fields silently.
        let text = BOOKING.replace(r#""ends_at_ms":2000"#, r#""ends_at_ms":2000,"room":"12""#);
        let (field, problem, message) = refusal_of::<CreateBooking>(&text);
        assert_eq!(field, "time.room");
        assert_eq!(problem, "unknown");
        assert!(message.contains("\"room\""), "{message}");
        // A stay's field on a timed booking is unknown too.
        let text = BOOKING.replace(
            r#""ends_at_ms":2000"#,
            r#""ends_at_ms":2000,"arrival":"2026-01-01""#,
        );
        assert_eq!(refusal_of::<CreateBooking>(&text).0, "time.arrival");
        let (field, ..) = refusal_of::<CreateBooking>(&BOOKING.replace("}}", "},\"extra\":1}"));
        assert_eq!(field, "extra");
    }

    #[test]
    fn duplicate_keys_are_refused_at_every_depth() {
        // The defect: the last of two keys silently won.
        let text = BOOKING.replace(r#""type_id":1"#, r#""type_id":1,"type_id":2"#);
        let (field, problem, message) = refusal_of::<CreateBooking>(&text);
        assert_eq!((field.as_str(), problem.as_str()), ("type_id", "duplicate"));
        assert_eq!(
            message,
            "The appointment type is given twice. Give it once."
        );
        let text = BOOKING.replace(
            r#""ends_at_ms":2000"#,
            r#""ends_at_ms":2000,"ends_at_ms":3000"#,
        );
        assert_eq!(refusal_of::<CreateBooking>(&text).0, "time.ends_at_ms");
        let nested = r#"{"a":[{"b":1},{"b":1,"b":2}]}"#;
        match check_duplicates(nested) {
            Err(CoreError::Input { field, .. }) => assert_eq!(field, "a[1].b"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn wrong_types_and_out_of_range_numbers_are_sentences() {
        let text = BOOKING.replace(r#""starts_at_ms":1000"#, r#""starts_at_ms":"nine o'clock""#);
        let (field, problem, message) = refusal_of::<CreateBooking>(&text);
        assert_eq!(
            (field.as_str(), problem.as_str()),
            ("time.starts_at_ms", "wrong_type")
        );
        assert_eq!(message, "The start time should be a whole number.");
        let text = BOOKING.replace(
            r#""starts_at_ms":1000"#,
            r#""starts_at_ms":9223372036854775807"#,
        );
        let (field, problem, message) = refusal_of::<CreateBooking>(&text);
        assert_eq!(
            (field.as_str(), problem.as_str()),
            ("time.starts_at_ms", "out_of_range")
        );
        assert_eq!(
            message,
            "The start time must be a date between the years 1900 and 2200."
        );
        let text = r#"{"from_ms":0,"to_ms":1e400}"#;
        assert!(matches!(
            parse::<ListBookings>(text),
            Err(CoreError::NotJson | CoreError::Input { .. })
        ));
        let (_, problem, message) = refusal_of::<crate::scheduling::slots::FindSlots>(
            r#"{"type_id":1,"from_date":"2026-01-01","within_days":-3,"count":5}"#,
        );
        assert_eq!(problem, "out_of_range");
        assert_eq!(
            message,
            "The number of days must be a whole number from 0 to 65535."
        );
        let (_, problem, message) = refusal_of::<crate::scheduling::slots::FindSlots>(
            r#"{"type_id":1,"from_date":"tomorrow","within_days":3,"count":5}"#,
        );
        assert_eq!(problem, "wrong_format");
        assert_eq!(message, "The first day should be a date like 2026-03-29.");
        let (_, problem, message) = refusal_of::<CreateBooking>(
            &BOOKING.replace(r#""kind":"timed""#, r#""kind":"hourly""#),
        );
        assert_eq!(problem, "unknown_choice");
        assert_eq!(message, "The kind must be one of: timed, nights.");
    }

    #[test]
    fn not_json_and_too_large_have_their_own_codes() {
        assert!(matches!(
            parse::<ListBookings>("{"),
            Err(CoreError::NotJson)
        ));
        assert!(matches!(
            parse::<ListBookings>("{} {}"),
            Err(CoreError::NotJson)
        ));
        let deep = "[".repeat(10_000);
        assert!(matches!(
            parse::<ListBookings>(&deep),
            Err(CoreError::NotJson)
        ));
        let big = format!(
            "{{\"from_ms\":0,\"to_ms\":1,\"x\":\"{}\"}}",
            "a".repeat(MAX_REQUEST_BYTES)
        );
        assert!(matches!(
            parse::<ListBookings>(&big),
            Err(CoreError::TooLarge)
        ));
        assert!(matches!(
            parse::<ListBookings>("[1]"),
            Err(CoreError::Input { .. })
        ));
    }
}
