//! A booking's time: as it travels (a timed appointment, or a hotel stay by
//! nights), read strictly off the wire, and resolved against the practice's
//! check-in and check-out times and length limits into a span.
use crate::error::{CoreError, CoreResult};
use crate::instant::{Instant, LocalDate, Span, SpanFields};
use crate::intervals::{max_length_ms, MAX_APPOINTMENT_MS, MAX_STAY_NIGHTS};
use crate::setup::practice::{Practice, PracticeKind};
use crate::time::local_ms;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// When a booking happens: a timed appointment, or a hotel stay by nights
/// (arrival at the check-in time, departure at the check-out time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "BookingTimeWire")]
pub enum BookingTime {
    Timed {
        starts_at_ms: Instant,
        ends_at_ms: Instant,
    },
    Nights {
        arrival: LocalDate,
        departure: LocalDate,
    },
}

/// [`BookingTime`] as it arrives: one flat object, so that an unknown or
/// repeated field inside `time` is refused and every error names its field
/// (an internally tagged enum would swallow both).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BookingTimeWire {
    kind: TimeKind,
    #[serde(default)]
    starts_at_ms: Option<Instant>,
    #[serde(default)]
    ends_at_ms: Option<Instant>,
    #[serde(default)]
    arrival: Option<LocalDate>,
    #[serde(default)]
    departure: Option<LocalDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum TimeKind {
    Timed,
    Nights,
}

impl TryFrom<BookingTimeWire> for BookingTime {
    type Error = String;
    fn try_from(w: BookingTimeWire) -> Result<Self, String> {
        // Messages start with a field name in backticks: request parsing names it.
        let missing = |f: &str| format!("missing field `{f}`");
        let stray = |f: &str| format!("unknown field `{f}`");
        match w.kind {
            TimeKind::Timed => {
                if w.arrival.is_some() {
                    return Err(stray("arrival"));
                }
                if w.departure.is_some() {
                    return Err(stray("departure"));
                }
                Ok(BookingTime::Timed {
                    starts_at_ms: w.starts_at_ms.ok_or_else(|| missing("starts_at_ms"))?,
                    ends_at_ms: w.ends_at_ms.ok_or_else(|| missing("ends_at_ms"))?,
                })
            }
            TimeKind::Nights => {
                if w.starts_at_ms.is_some() {
                    return Err(stray("starts_at_ms"));
                }
                if w.ends_at_ms.is_some() {
                    return Err(stray("ends_at_ms"));
                }
                Ok(BookingTime::Nights {
                    arrival: w.arrival.ok_or_else(|| missing("arrival"))?,
                    departure: w.departure.ok_or_else(|| missing("departure"))?,
                })
            }
        }
    }
}

/// The longest appointment: 12 hours.
pub(super) const APPOINTMENT: SpanFields<'static> = SpanFields {
    start: "time.starts_at_ms",
    end: "time.ends_at_ms",
    what: "An appointment",
    max_ms: MAX_APPOINTMENT_MS,
    max_text: "12 hours",
};

/// Resolves a [`BookingTime`] to `[start, end)` and, for stays, the dates.
pub(crate) fn resolve_time(
    p: &Practice,
    t: &BookingTime,
) -> CoreResult<(Span, Option<String>, Option<String>)> {
    match (p.kind, t) {
        (
            PracticeKind::Dental,
            BookingTime::Timed {
                starts_at_ms,
                ends_at_ms,
            },
        ) => Ok((
            Span::new(*starts_at_ms, *ends_at_ms, &APPOINTMENT)?,
            None,
            None,
        )),
        (PracticeKind::Hotel, BookingTime::Nights { arrival, departure }) => {
            let nights = (departure.date() - arrival.date()).num_days();
            if nights < 1 {
                return Err(CoreError::invalid(
                    "time.departure",
                    "Departure must be at least one night after arrival.",
                ));
            }
            if nights > MAX_STAY_NIGHTS {
                return Err(CoreError::invalid(
                    "time.departure",
                    "A stay can last at most 365 nights.",
                ));
            }
            let tz = p.tz();
            let stay = SpanFields {
                start: "time.arrival",
                end: "time.departure",
                what: "A stay",
                max_ms: max_length_ms(PracticeKind::Hotel),
                max_text: "365 nights",
            };
            let span = Span::from_ms(
                local_ms(tz, arrival.date(), u32::from(p.check_in_minute)),
                local_ms(tz, departure.date(), u32::from(p.check_out_minute)),
                &stay,
            )?;
            Ok((span, Some(arrival.to_string()), Some(departure.to_string())))
        }
        (PracticeKind::Dental, BookingTime::Nights { .. }) => Err(CoreError::invalid(
            "time",
            "A dental appointment has a start and end time, not nights.",
        )),
        (PracticeKind::Hotel, BookingTime::Timed { .. }) => Err(CoreError::invalid(
            "time",
            "A stay is booked by arrival and departure dates.",
        )),
    }
}
