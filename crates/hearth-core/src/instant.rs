//! Instants and spans: the one validated type for a point in time
//! ([`Instant`], UTC epoch milliseconds between 1900 and 2200) and for a
//! half-open interval of them ([`Span`], end after start, length capped by the
//! caller). Every command that takes a time takes these, so no request can
//! carry a number whose arithmetic wraps: inside the range, every sum of an
//! instant and a length the core computes fits an `i64` with room to spare
//! (and the span's own subtraction is checked anyway).
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};

/// 1900-01-01T00:00:00Z.
pub const MIN_MS: i64 = -2_208_988_800_000;
/// 2200-01-01T00:00:00Z.
pub const MAX_MS: i64 = 7_258_118_400_000;

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 86_400_000;

/// A point in time: UTC epoch milliseconds, years 1900–2200. Deserializing
/// refuses anything outside that range, so a request cannot smuggle in
/// `i64::MAX` and wrap a length check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(try_from = "i64", into = "i64")]
pub struct Instant(#[ts(type = "number")] i64);

impl Instant {
    /// The instant, or `None` outside 1900–2200.
    pub fn new(ms: i64) -> Option<Instant> {
        (MIN_MS..=MAX_MS).contains(&ms).then_some(Instant(ms))
    }

    /// The instant, or an `input.invalid` error naming `field`.
    pub fn parse(field: &str, label: &str, ms: i64) -> CoreResult<Instant> {
        Instant::new(ms).ok_or_else(|| {
            CoreError::invalid(
                field,
                format!("{label} must be a date between the years 1900 and 2200."),
            )
        })
    }

    pub fn ms(self) -> i64 {
        self.0
    }
}

impl TryFrom<i64> for Instant {
    type Error = String;
    fn try_from(ms: i64) -> Result<Self, Self::Error> {
        Instant::new(ms).ok_or_else(|| OUT_OF_RANGE.to_owned())
    }
}

/// The message serde reports for an instant out of range; request parsing
/// turns it into a sentence naming the field.
pub(crate) const OUT_OF_RANGE: &str = "must be a date between the years 1900 and 2200";

impl From<Instant> for i64 {
    fn from(i: Instant) -> i64 {
        i.0
    }
}

impl utoipa::PartialSchema for Instant {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Int64,
            )))
            .minimum(Some(MIN_MS as f64))
            .maximum(Some(MAX_MS as f64))
            .description(Some("UTC epoch milliseconds, years 1900–2200"))
            .into()
    }
}
impl utoipa::ToSchema for Instant {}

/// A local calendar date, years 1900–2199, sent as `YYYY-MM-DD`. Stays,
/// closed days and slot search take these, so a date can never name an
/// instant outside [`Instant`]'s range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(try_from = "NaiveDate", into = "NaiveDate")]
pub struct LocalDate(#[ts(type = "string")] NaiveDate);

/// The message serde reports for a date out of range.
pub(crate) const DATE_OUT_OF_RANGE: &str = "must be a date between the years 1900 and 2199";

impl LocalDate {
    pub fn new(d: NaiveDate) -> Option<LocalDate> {
        let first = NaiveDate::from_ymd_opt(1900, 1, 1)?;
        let last = NaiveDate::from_ymd_opt(2199, 12, 31)?;
        (first..=last).contains(&d).then_some(LocalDate(d))
    }
    pub fn date(self) -> NaiveDate {
        self.0
    }
    /// A date as the store keeps it ("2026-12-03"); `None` when missing or
    /// unreadable (a hand-edited file never fails the read).
    pub fn from_stored(text: Option<&str>) -> Option<LocalDate> {
        text.and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
            .and_then(LocalDate::new)
    }
}

impl TryFrom<NaiveDate> for LocalDate {
    type Error = String;
    fn try_from(d: NaiveDate) -> Result<Self, Self::Error> {
        LocalDate::new(d).ok_or_else(|| DATE_OUT_OF_RANGE.to_owned())
    }
}

impl From<LocalDate> for NaiveDate {
    fn from(d: LocalDate) -> NaiveDate {
        d.0
    }
}

impl std::fmt::Display for LocalDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl utoipa::PartialSchema for LocalDate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Date,
            )))
            .pattern(Some(
                "^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
            ))
            .description(Some("A local date, YYYY-MM-DD, years 1900–2199"))
            .into()
    }
}
impl utoipa::ToSchema for LocalDate {}

/// `[start, end)`: end strictly after start, both instants in range, and the
/// length at most what the caller allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: Instant,
    end: Instant,
}

/// Which fields a span came from, and how to speak of them.
pub struct SpanFields<'a> {
    pub start: &'a str,
    pub end: &'a str,
    /// "An appointment", "Blocked time", "The range": the subject of the length message.
    pub what: &'a str,
    /// The longest the span may be, and how to say it ("12 hours").
    pub max_ms: i64,
    pub max_text: &'a str,
}

impl Span {
    /// Validates a span; errors name the end field.
    pub fn new(start: Instant, end: Instant, f: &SpanFields<'_>) -> CoreResult<Span> {
        if end <= start {
            return Err(CoreError::invalid(
                f.end,
                "The end must be after the start.",
            ));
        }
        // Both ends lie in 1900–2200, so the difference cannot overflow; checked all the same.
        let len = end.0.checked_sub(start.0).unwrap_or(i64::MAX);
        if len > f.max_ms {
            return Err(CoreError::invalid(
                f.end,
                format!("{} can last at most {}.", f.what, f.max_text),
            ));
        }
        Ok(Span { start, end })
    }

    /// A span from raw milliseconds (both ends range-checked).
    pub fn from_ms(start_ms: i64, end_ms: i64, f: &SpanFields<'_>) -> CoreResult<Span> {
        let start = Instant::parse(f.start, "The start", start_ms)?;
        let end = Instant::parse(f.end, "The end", end_ms)?;
        Span::new(start, end, f)
    }

    pub fn start(self) -> Instant {
        self.start
    }
    pub fn end(self) -> Instant {
        self.end
    }
    pub fn start_ms(self) -> i64 {
        self.start.0
    }
    pub fn end_ms(self) -> i64 {
        self.end.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: SpanFields<'static> = SpanFields {
        start: "from_ms",
        end: "to_ms",
        what: "The range",
        max_ms: 10 * DAY_MS,
        max_text: "10 days",
    };

    #[test]
    fn the_range_is_1900_to_2200() {
        assert!(Instant::new(MIN_MS).is_some());
        assert!(Instant::new(MAX_MS).is_some());
        assert!(Instant::new(MIN_MS - 1).is_none());
        assert!(Instant::new(MAX_MS + 1).is_none());
        assert!(Instant::new(i64::MAX).is_none());
        assert!(Instant::new(i64::MIN).is_none());
        assert_eq!(
            chrono::DateTime::from_timestamp_millis(MIN_MS).map(|d| d.to_rfc3339()),
            Some("1900-01-01T00:00:00+00:00".to_owned())
        );
        assert_eq!(
            chrono::DateTime::from_timestamp_millis(MAX_MS).map(|d| d.to_rfc3339()),
            Some("2200-01-01T00:00:00+00:00".to_owned())
        );
    }

    #[test]
    fn extremes_cannot_wrap_a_length_check() {
        // The defect: i64::MIN..i64::MAX passed a 12-hour cap in a release build.
        assert!(Span::from_ms(i64::MIN, i64::MAX, &F).is_err());
        assert!(Span::from_ms(MIN_MS, MAX_MS, &F).is_err());
        assert!(Span::from_ms(0, 10 * DAY_MS, &F).is_ok());
        assert!(Span::from_ms(0, 10 * DAY_MS + 1, &F).is_err());
        assert!(Span::from_ms(5, 5, &F).is_err());
    }

    #[test]
    fn deserializing_refuses_out_of_range_numbers() {
        assert!(serde_json::from_str::<Instant>("0").is_ok());
        assert!(serde_json::from_str::<Instant>("9223372036854775807").is_err());
        assert!(serde_json::from_str::<Instant>("-9223372036854775808").is_err());
        assert!(serde_json::from_str::<Instant>("1.5").is_err());
    }

    #[test]
    fn dates_are_1900_to_2199() {
        assert!(serde_json::from_str::<LocalDate>("\"2026-03-29\"").is_ok());
        assert!(serde_json::from_str::<LocalDate>("\"1899-12-31\"").is_err());
        assert!(serde_json::from_str::<LocalDate>("\"2200-01-01\"").is_err());
        assert!(serde_json::from_str::<LocalDate>("\"+262143-01-01\"").is_err());
    }
}
