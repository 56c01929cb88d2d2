//! Bookings: create, edit (which covers move and resize), cancel, status
//! changes, and reading a range for the calendar. Each write is one
//! transaction that re-checks every rule; a stale version is refused and names
//! who changed the booking.
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::care::follow;
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{AppointmentTypeId, BookingId, PersonId, ResourceId, StaffId};
use crate::instant::{Instant, LocalDate, Span, SpanFields, MINUTE_MS};
use crate::people::alerts::AlertSeverity;
use crate::people::records;
use crate::request;
use crate::scheduling::occasions::{self, Occasion};
use crate::scheduling::rules::{self, Proposed};
use crate::scheduling::status::{
    cancel_refusal, check_transition, clock_allows, next_statuses_now, BookingStatus, ClockRefusal,
    StatusClock,
};
use crate::scheduling::{room_status, rooms};
use crate::setup::appointment_types;
use crate::setup::clean_text;
use crate::setup::practice::{self, Practice, PracticeKind};
use crate::time::{fmt_day, fmt_span, fmt_time, local_date, local_ms};

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
struct BookingTimeWire {
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
enum TimeKind {
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

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Booking {
    pub id: BookingId,
    pub person_name: String,
    pub person_phone: String,
    /// The patient or guest (every booking has one since schema v5).
    pub person_id: Option<PersonId>,
    /// Their most serious alert, for the badge on the calendar.
    pub alert: Option<AlertSeverity>,
    /// What this visit or stay is for beyond the appointment (live ones).
    pub occasions: Vec<Occasion>,
    /// Their person has an incident from an earlier visit to remember.
    pub remembered: bool,
    pub type_id: AppointmentTypeId,
    pub type_name: String,
    pub colour: String,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    /// Hotel stays: the local arrival and departure dates.
    pub arrival_date: Option<String>,
    pub departure_date: Option<String>,
    pub status: BookingStatus,
    /// What the booking can move to next (not counting cancel).
    pub next_statuses: Vec<BookingStatus>,
    pub notes: String,
    pub resource_ids: Vec<ResourceId>,
    pub cancel_reason: Option<String>,
    /// Booked outside hours or over blocked time by an explicit override.
    pub overridden: bool,
    /// The same guest's other rooms over these nights (a family in two rooms,
    /// booked on purpose), for the mark on the stay.
    pub also_rooms: Vec<String>,
    pub version: i64,
    pub updated_at_ms: i64,
    pub updated_by_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct CreateBooking {
    /// The patient or guest, when picked; otherwise the name (and phone) find
    /// or make their record.
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub person_name: String,
    #[serde(default)]
    pub person_phone: String,
    /// The typed name is someone new, even though it is like a name Hearth
    /// knows (the desk looked at the likely matches and said so).
    #[serde(default)]
    pub someone_new: bool,
    pub type_id: AppointmentTypeId,
    /// The chair and provider, or the room.
    pub resource_ids: Vec<ResourceId>,
    #[serde(deserialize_with = "request::object")]
    pub time: BookingTime,
    #[serde(default)]
    pub notes: String,
    /// Book outside opening hours or over blocked time anyway (recorded).
    #[serde(default)]
    pub override_rules: bool,
}

/// Edit, move or resize: fields left out stay as they are.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct UpdateBooking {
    pub id: BookingId,
    pub expected_version: i64,
    /// Another person for this booking.
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub person_name: Option<String>,
    #[serde(default)]
    pub person_phone: Option<String>,
    /// The typed name is someone new (see [`CreateBooking::someone_new`]).
    #[serde(default)]
    pub someone_new: bool,
    #[serde(default)]
    pub type_id: Option<AppointmentTypeId>,
    #[serde(default)]
    pub resource_ids: Option<Vec<ResourceId>>,
    #[serde(default, deserialize_with = "request::option_object")]
    pub time: Option<BookingTime>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub override_rules: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct CancelBooking {
    pub id: BookingId,
    pub expected_version: i64,
    pub reason: String,
}

/// `resource_availability`: which chairs, providers or rooms are free for a time.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ResourceAvailability {
    #[serde(deserialize_with = "request::object")]
    pub time: BookingTime,
    /// The booking being edited: its own time does not count as taken.
    #[serde(default)]
    pub booking_id: Option<BookingId>,
    /// Who the booking is for, if known: a hotel ranks the room they had last first.
    #[serde(default)]
    pub person_id: Option<PersonId>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Availability {
    pub resource_id: ResourceId,
    pub free: bool,
    /// What holds it: "Ana Ruiz 10:00–10:30", "Blocked: Staff meeting".
    pub busy_with: Option<String>,
    /// For a hotel's room: what else to know in choosing it ("Their room last
    /// stay", "Dirty — not cleaned yet", "Out of order: bathroom refit").
    pub note: Option<String>,
    /// A hotel's room marked out of order: free, but not one to offer first.
    pub out_of_order: bool,
}

/// `restore_booking`: undo a cancellation, soon after it.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct RestoreBooking {
    pub id: BookingId,
    pub expected_version: i64,
}

/// How long a cancellation can be undone.
pub const UNDO_CANCEL_MS: i64 = 15 * 60_000;

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SetBookingStatus {
    pub id: BookingId,
    pub expected_version: i64,
    pub status: BookingStatus,
    /// Check in even though the room is not clean or inspected (the desk was asked).
    #[serde(default)]
    pub even_if_room_not_ready: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct GetBooking {
    pub id: BookingId,
}

/// Bookings overlapping `[from_ms, to_ms)`: the day, week or tape-chart view.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ListBookings {
    pub from_ms: Instant,
    pub to_ms: Instant,
    #[serde(default)]
    pub include_cancelled: bool,
}

pub use crate::intervals::{max_length_ms, MAX_APPOINTMENT_MS, MAX_STAY_NIGHTS};

const SELECT: &str = concat!("SELECT b.id, b.person_name, b.person_phone, b.type_id, t.name, t.colour, b.starts_at_ms, b.ends_at_ms,
        b.arrival_date, b.departure_date, b.status, b.notes,
        (SELECT group_concat(resource_id) FROM booking_resources WHERE booking_id = b.id),
        b.cancel_reason, b.override_by IS NOT NULL, b.version, b.updated_at_ms, s.name, b.person_id, ",
        most_serious_alert_sql!("b.person_id"), ",
        EXISTS (SELECT 1 FROM incidents i JOIN bookings ib ON ib.id = i.booking_id
                 WHERE i.person_id = b.person_id AND i.remember = 1 AND i.booking_id <> b.id AND ib.starts_at_ms < b.starts_at_ms),
        (SELECT group_concat(r.name, ', ') FROM bookings o JOIN booking_resources obr ON obr.booking_id = o.id
           JOIN resources r ON r.id = obr.resource_id
          WHERE o.person_id = b.person_id AND o.id <> b.id AND o.live = 1 AND r.kind = 'room'
            AND o.starts_at_ms < b.ends_at_ms AND o.ends_at_ms > b.starts_at_ms
            -- Bounded below by the longest stay (LONGEST_STAY_MS), so the index on
            -- (person_id, starts_at_ms) reads a year of the person's bookings, not ten.
            AND o.starts_at_ms > b.starts_at_ms - 31708800000)
   FROM bookings b JOIN appointment_types t ON t.id = b.type_id LEFT JOIN staff s ON s.id = b.updated_by");

/// The longest stay, as the booking list's other-room subquery bounds it (in SELECT's text).
#[cfg(test)]
const LONGEST_STAY_MS: i64 = 31_708_800_000;

struct Raw {
    b: Booking,
    status: String,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Raw> {
    let ids: Option<String> = r.get(12)?;
    let status: String = r.get(10)?;
    Ok(Raw {
        b: Booking {
            id: r.get(0)?,
            person_name: r.get(1)?,
            person_phone: r.get(2)?,
            type_id: r.get(3)?,
            type_name: r.get(4)?,
            colour: r.get(5)?,
            starts_at_ms: r.get(6)?,
            ends_at_ms: r.get(7)?,
            arrival_date: r.get(8)?,
            departure_date: r.get(9)?,
            status: BookingStatus::Booked,
            next_statuses: vec![],
            notes: r.get(11)?,
            resource_ids: ids
                .unwrap_or_default()
                .split(',')
                .filter_map(|s| s.parse().ok().map(ResourceId))
                .collect(),
            cancel_reason: r.get(13)?,
            overridden: r.get(14)?,
            version: r.get(15)?,
            updated_at_ms: r.get(16)?,
            updated_by_name: r.get(17)?,
            person_id: r.get(18)?,
            occasions: vec![],
            remembered: r.get(20)?,
            also_rooms: r
                .get::<_, Option<String>>(21)?
                .map(|s| s.split(", ").map(str::to_owned).collect())
                .unwrap_or_default(),
            alert: r.get::<_, Option<i64>>(19)?.map(AlertSeverity::from_rank),
        },
        status,
    })
}

fn finish(p: &Practice, now_ms: i64, raw: Raw) -> CoreResult<Booking> {
    let mut b = raw.b;
    b.status = BookingStatus::parse(&raw.status)?;
    b.next_statuses = next_statuses_now(p.kind, b.status, &status_clock(p, now_ms, &b));
    b.resource_ids.sort_unstable();
    Ok(b)
}

/// The clock's say on a booking's status changes (see [`StatusClock`]).
fn status_clock(p: &Practice, now_ms: i64, b: &Booking) -> StatusClock {
    let tz = p.tz();
    let day = local_date(tz, b.starts_at_ms);
    let day_start = local_ms(tz, day, 0);
    let early = i64::from(p.early_arrival_minutes) * MINUTE_MS;
    StatusClock {
        now_ms,
        arrive_from_ms: b.starts_at_ms.saturating_sub(early).max(day_start),
        arrive_until_ms: match p.kind {
            PracticeKind::Dental => local_ms(tz, day, 1440),
            PracticeKind::Hotel => b.ends_at_ms,
        },
        starts_at_ms: b.starts_at_ms,
    }
}

/// Refuses a status change the clock does not allow now, saying when it will be.
fn check_clock(p: &Practice, now_ms: i64, b: &Booking, to: BookingStatus) -> CoreResult<()> {
    let tz = p.tz();
    let what = match p.kind {
        PracticeKind::Dental => "appointment",
        PracticeKind::Hotel => "stay",
    };
    let action = to.label(p.kind);
    let refusal = match clock_allows(b.status, to, &status_clock(p, now_ms, b)) {
        Ok(()) => return Ok(()),
        Err(r) => r,
    };
    let message = match refusal {
        ClockRefusal::TooEarly { from_ms } => format!(
            "{}'s {what} starts {} {}. It can be marked {action} from {} {} on.",
            b.person_name,
            fmt_day(tz, b.starts_at_ms),
            fmt_time(p.clock(), b.starts_at_ms),
            fmt_day(tz, from_ms),
            fmt_time(p.clock(), from_ms),
        ),
        ClockRefusal::TooLate => format!(
            "{}'s {what} was on {}, so it can no longer be marked {action}. Mark it no-show, or leave a note on it.",
            b.person_name,
            fmt_day(tz, b.starts_at_ms),
        ),
        ClockRefusal::NotStartedYet => format!(
            "{}'s {what} has not started yet (it starts {} {}), so it can't be a no-show yet.",
            b.person_name,
            fmt_day(tz, b.starts_at_ms),
            fmt_time(p.clock(), b.starts_at_ms),
        ),
    };
    Err(CoreError::BadTransition { message })
}

pub fn get(ctx: &ReadCtx<'_>, req: GetBooking) -> CoreResult<Booking> {
    let p = practice::require(ctx)?;
    load(ctx, &p, req.id)
}

fn load(ctx: &ReadCtx<'_>, p: &Practice, id: BookingId) -> CoreResult<Booking> {
    let sql = format!("{SELECT} WHERE b.id = ?1");
    let raw = ctx
        .tx
        .query_row(&sql, [id], from_row)
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => CoreError::not_found("That booking"),
            e => e.into(),
        })?;
    let mut b = finish(p, ctx.now_ms, raw)?;
    b.occasions = occasions::of(ctx, id)?;
    Ok(b)
}

pub use crate::intervals::LIST_RANGE;

pub fn list(ctx: &ReadCtx<'_>, req: ListBookings) -> CoreResult<Vec<Booking>> {
    let p = practice::require(ctx)?;
    let range = Span::new(req.from_ms, req.to_ms, &LIST_RANGE)?;
    let sql = format!(
        "{SELECT} WHERE b.ends_at_ms > ?1 AND b.ends_at_ms < ?2 + ?4 AND b.starts_at_ms < ?2 AND (b.live = 1 OR ?3)
          ORDER BY b.starts_at_ms, b.id"
    );
    let mut stmt = ctx.tx.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            range.start_ms(),
            range.end_ms(),
            req.include_cancelled,
            max_length_ms(p.kind)
        ],
        from_row,
    )?;
    let mut out = Vec::new();
    for raw in rows {
        out.push(finish(&p, ctx.now_ms, raw?)?);
    }
    let ids: Vec<BookingId> = out.iter().map(|b| b.id).collect();
    for (id, o) in occasions::of_many(ctx, &ids)? {
        if let Some(b) = out.iter_mut().find(|b| b.id == id) {
            b.occasions.push(o);
        }
    }
    Ok(out)
}

/// The longest appointment: 12 hours.
const APPOINTMENT: SpanFields<'static> = SpanFields {
    start: "time.starts_at_ms",
    end: "time.ends_at_ms",
    what: "An appointment",
    max_ms: MAX_APPOINTMENT_MS,
    max_text: "12 hours",
};

/// Resolves a [`BookingTime`] to `[start, end)` and, for stays, the dates.
fn resolve_time(
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

/// The person a booking is for: the one picked (its name and phone are the
/// booking's), or the one the typed name and phone belong to (made if new,
/// asked about if the name is like someone's: `likely::find_or_create`).
fn person_for(
    ctx: &mut Ctx<'_>,
    picked: Option<PersonId>,
    name: &str,
    phone: &str,
    someone_new: bool,
) -> CoreResult<(PersonId, String, String)> {
    match picked {
        Some(id) => {
            let p = records::get(ctx, id)?;
            if p.archived {
                return Err(CoreError::invalid(
                    "person_id",
                    format!(
                        "{} is archived; restore the record before booking.",
                        p.full_name
                    ),
                ));
            }
            Ok((id, p.full_name, p.phone))
        }
        None => {
            let name = clean_text("person_name", "The name", name, 120, true)?;
            let phone = clean_text("person_phone", "The phone number", phone, 40, false)?;
            // The phone as the record shows it ("07911 123456"), when it reads as a number.
            let (id, phone) =
                crate::people::likely::find_or_create(ctx, &name, &phone, someone_new)?;
            Ok((id, name, phone))
        }
    }
}

fn clean_person(name: &str, phone: &str, notes: &str) -> CoreResult<(String, String, String)> {
    Ok((
        clean_text("person_name", "The name", name, 120, true)?,
        clean_text("person_phone", "The phone number", phone, 40, false)?,
        crate::setup::clean_lines("notes", "The notes", notes, 4000, false)?,
    ))
}

fn write_resources(
    ctx: &Ctx<'_>,
    id: BookingId,
    resource_ids: &[ResourceId],
    start: i64,
    end: i64,
    live: bool,
) -> CoreResult<()> {
    ctx.tx
        .execute("DELETE FROM booking_resources WHERE booking_id = ?1", [id])?;
    let mut stmt = ctx.tx.prepare_cached(
        "INSERT INTO booking_resources (booking_id, resource_id, starts_at_ms, ends_at_ms, live) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for r in resource_ids {
        stmt.execute(params![id, r, start, end, live])?;
    }
    Ok(())
}

pub fn create(ctx: &mut Ctx<'_>, req: CreateBooking) -> CoreResult<Booking> {
    let p = practice::require(ctx)?;
    let t = appointment_types::bookable(ctx, req.type_id)?;
    let (span, arrival, departure) = resolve_time(&p, &req.time)?;
    let (start, end) = (span.start_ms(), span.end_ms());
    let proposed = |person_id| Proposed {
        id: None,
        starts_at_ms: start,
        ends_at_ms: end,
        resource_ids: &req.resource_ids,
        kind: &t,
        was: None,
        person_id,
        was_resource_ids: &[],
    };
    let (person_id, name, phone) = match person_for(
        ctx,
        req.person_id,
        &req.person_name,
        &req.person_phone,
        req.someone_new,
    ) {
        // A time that can't be booked is said first: no use asking who
        // a booking is for until it can be made.
        Err(asked @ CoreError::MaybeKnown { .. }) => {
            rules::check(ctx, &p, &proposed(None), req.override_rules)?;
            return Err(asked);
        }
        other => other?,
    };
    let (name, phone, notes) = clean_person(&name, &phone, &req.notes)?;
    let overrides = rules::check(ctx, &p, &proposed(Some(person_id)), req.override_rules)?;
    let overridden = !overrides.is_empty();
    let by = ctx.actor.staff_id;
    ctx.tx.execute(
        "INSERT INTO bookings (person_name, person_phone, type_id, starts_at_ms, ends_at_ms, arrival_date, departure_date, status, notes,
                               override_by, override_at_ms, created_by, created_at_ms, updated_by, updated_at_ms, person_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'booked', ?8, ?9, ?10, ?11, ?12, ?11, ?12, ?13)",
        params![
            name,
            phone,
            t.id,
            start,
            end,
            arrival,
            departure,
            notes,
            overridden.then_some(by).flatten(),
            overridden.then_some(ctx.now_ms),
            by,
            ctx.now_ms,
            person_id
        ],
    )?;
    let id = BookingId(ctx.tx.last_insert_rowid());
    write_resources(ctx, id, &req.resource_ids, start, end, true)?;
    ctx.changed(topics::BOOKING_CHANGED, id);
    ctx.detail(serde_json::json!({ "overridden": overrides }));
    follow::booking_written(ctx, id)?;
    load(ctx, &p, id)
}

/// The rule check [`create`] makes, without writing: for an import judging
/// its rows. The booking's start and end, or the rule it breaks.
pub(crate) fn check_new(
    ctx: &ReadCtx<'_>,
    p: &Practice,
    t: &crate::setup::appointment_types::AppointmentType,
    person_id: Option<PersonId>,
    resource_ids: &[ResourceId],
    time: &BookingTime,
    override_rules: bool,
) -> CoreResult<(i64, i64)> {
    let (span, _, _) = resolve_time(p, time)?;
    let (start, end) = (span.start_ms(), span.end_ms());
    rules::check(
        ctx,
        p,
        &Proposed {
            id: None,
            starts_at_ms: start,
            ends_at_ms: end,
            resource_ids,
            kind: t,
            was: None,
            person_id,
            was_resource_ids: &[],
        },
        override_rules,
    )?;
    Ok((start, end))
}

/// A live booking of `person` at exactly this time already (a file imported
/// twice books nobody twice).
pub(crate) fn same_time_for(
    ctx: &ReadCtx<'_>,
    person: PersonId,
    start: i64,
    end: i64,
) -> CoreResult<Option<BookingId>> {
    Ok(ctx
        .tx
        .prepare_cached(
            "SELECT id FROM bookings WHERE person_id = ?1 AND starts_at_ms = ?2 AND ends_at_ms = ?3 AND live = 1 LIMIT 1",
        )?
        .query_row(params![person, start, end], |r| r.get(0))
        .optional()?)
}

/// What became of a booking an import added, when the import was undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Removal {
    Removed,
    /// The desk has used it since (moved, arrived, an incident, a handoff, a
    /// task done): kept.
    Kept,
    /// Already gone (an undo cut short and run again).
    Gone,
}

/// Removes a booking an import added, with what followed from it by itself
/// (its places, the open tasks and occasions the rules made) — unless the
/// desk has changed or used it since.
pub(crate) fn delete_imported(ctx: &mut Ctx<'_>, id: BookingId) -> CoreResult<Removal> {
    let untouched: Option<bool> = ctx
        .tx
        .prepare_cached("SELECT version = 1 AND status = 'booked' FROM bookings WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match untouched {
        None => return Ok(Removal::Gone),
        Some(false) => return Ok(Removal::Kept),
        Some(true) => {}
    }
    ctx.tx.execute_batch("SAVEPOINT undo_booking")?;
    let removed = (|| -> rusqlite::Result<usize> {
        crate::care::tasks::delete_untouched_of_booking(ctx, id)?;
        occasions::delete_automatic(ctx, id)?;
        ctx.tx
            .prepare_cached("DELETE FROM booking_resources WHERE booking_id = ?1")?
            .execute([id])?;
        ctx.tx
            .prepare_cached("DELETE FROM bookings WHERE id = ?1")?
            .execute([id])
    })();
    match removed {
        Ok(_) => {
            ctx.tx.execute_batch("RELEASE undo_booking")?;
            ctx.changed(topics::BOOKING_CHANGED, id);
            Ok(Removal::Removed)
        }
        // Something the desk made points at it: everything goes back.
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            ctx.tx
                .execute_batch("ROLLBACK TO undo_booking; RELEASE undo_booking")?;
            Ok(Removal::Kept)
        }
        Err(e) => Err(e.into()),
    }
}

/// A timed booking for a known person (a follow-up, someone off the
/// waitlist): every rule of [`create`], no override.
pub(crate) fn book_person(
    ctx: &mut Ctx<'_>,
    person: PersonId,
    type_id: AppointmentTypeId,
    resource_ids: Vec<ResourceId>,
    (starts_at_ms, ends_at_ms): (Instant, Instant),
    notes: String,
) -> CoreResult<Booking> {
    create(
        ctx,
        CreateBooking {
            person_id: Some(person),
            person_name: String::new(),
            person_phone: String::new(),
            type_id,
            resource_ids,
            time: BookingTime::Timed {
                starts_at_ms,
                ends_at_ms,
            },
            notes,
            override_rules: false,
            someone_new: false,
        },
    )
}

/// Loads the booking and refuses a stale version, naming who changed it.
fn load_current(
    ctx: &ReadCtx<'_>,
    p: &Practice,
    id: BookingId,
    expected_version: i64,
) -> CoreResult<Booking> {
    let b = load(ctx, p, id)?;
    if b.version != expected_version {
        let who = b
            .updated_by_name
            .clone()
            .unwrap_or_else(|| "someone else".into());
        return Err(CoreError::Stale {
            message: format!(
                "{}'s booking was just changed by {who} at {}. It has been reloaded — check it and make your change again.",
                b.person_name,
                fmt_time(p.clock(), b.updated_at_ms)
            ),
        });
    }
    Ok(b)
}

pub fn update(ctx: &mut Ctx<'_>, req: UpdateBooking) -> CoreResult<Booking> {
    let p = practice::require(ctx)?;
    let old = load_current(ctx, &p, req.id, req.expected_version)?;
    if old.status.is_final() || !old.status.is_live() {
        return Err(CoreError::BadTransition {
            message: format!("A {} booking can't be changed.", old.status.label(p.kind)),
        });
    }
    // Another person (picked, or a changed name) is relinked below; a new
    // phone alone keeps the booking's person (the same Ana Ruiz, a new number).
    let renamed = req
        .person_name
        .as_deref()
        .is_some_and(|n| n.trim() != old.person_name.trim());
    let relinked = if let (None, false, Some(same)) = (req.person_id, renamed, old.person_id) {
        req.person_phone
            .as_deref()
            .map(|phone| (same, old.person_name.clone(), phone.trim().to_owned()))
    } else if req.person_id.is_some() || req.person_name.is_some() || req.person_phone.is_some() {
        Some(person_for(
            ctx,
            req.person_id,
            req.person_name.as_deref().unwrap_or(&old.person_name),
            req.person_phone.as_deref().unwrap_or(&old.person_phone),
            req.someone_new,
        )?)
    } else {
        None
    };
    let (name, phone) = match &relinked {
        Some((_, name, phone)) => (name.clone(), phone.clone()),
        None => (old.person_name.clone(), old.person_phone.clone()),
    };
    let (name, phone, notes) =
        clean_person(&name, &phone, req.notes.as_deref().unwrap_or(&old.notes))?;
    let t = match req.type_id {
        Some(id) if id != old.type_id => appointment_types::bookable(ctx, id)?,
        _ => appointment_types::get(ctx, old.type_id)?,
    };
    let (start, end, arrival, departure) = match &req.time {
        Some(time) => {
            let (span, arrival, departure) = resolve_time(&p, time)?;
            (span.start_ms(), span.end_ms(), arrival, departure)
        }
        None => (
            old.starts_at_ms,
            old.ends_at_ms,
            old.arrival_date.clone(),
            old.departure_date.clone(),
        ),
    };
    let resource_ids = req
        .resource_ids
        .clone()
        .unwrap_or_else(|| old.resource_ids.clone());
    let overrides = rules::check(
        ctx,
        &p,
        &Proposed {
            id: Some(old.id),
            starts_at_ms: start,
            ends_at_ms: end,
            resource_ids: &resource_ids,
            kind: &t,
            was: Some((old.starts_at_ms, old.ends_at_ms)),
            person_id: relinked.as_ref().map(|r| r.0).or(old.person_id),
            was_resource_ids: &old.resource_ids,
        },
        req.override_rules,
    )?;
    let overridden = !overrides.is_empty();
    let by = ctx.actor.staff_id;
    ctx.tx.execute(
        "UPDATE bookings SET person_name = ?2, person_phone = ?3, type_id = ?4, starts_at_ms = ?5, ends_at_ms = ?6,
                arrival_date = ?7, departure_date = ?8, notes = ?9,
                override_by = CASE WHEN ?10 THEN ?11 ELSE override_by END,
                override_at_ms = CASE WHEN ?10 THEN ?12 ELSE override_at_ms END,
                updated_by = ?11, updated_at_ms = ?12, version = version + 1
          WHERE id = ?1",
        params![old.id, name, phone, t.id, start, end, arrival, departure, notes, overridden, by, ctx.now_ms],
    )?;
    if let Some((person_id, _, _)) = relinked {
        ctx.tx.execute(
            "UPDATE bookings SET person_id = ?2 WHERE id = ?1",
            params![old.id, person_id],
        )?;
    }
    write_resources(ctx, old.id, &resource_ids, start, end, true)?;
    ctx.changed(topics::BOOKING_CHANGED, old.id);
    follow::booking_written(ctx, old.id)?;
    let moved =
        start != old.starts_at_ms || end != old.ends_at_ms || resource_ids != old.resource_ids;
    ctx.detail(serde_json::json!({ "moved": moved, "from": [old.starts_at_ms, old.ends_at_ms], "to": [start, end], "overridden": overrides }));
    load(ctx, &p, old.id)
}

pub fn cancel(ctx: &mut Ctx<'_>, req: CancelBooking) -> CoreResult<Booking> {
    let p = practice::require(ctx)?;
    let old = load_current(ctx, &p, req.id, req.expected_version)?;
    if old.status.is_final() || !old.status.is_live() {
        return Err(CoreError::BadTransition {
            message: format!("A {} booking can't be cancelled.", old.status.label(p.kind)),
        });
    }
    if let Some(instead) = cancel_refusal(p.kind, old.status) {
        return Err(CoreError::BadTransition {
            message: format!("{} {instead}", old.person_name),
        });
    }
    let reason = clean_text("reason", "The reason", &req.reason, 500, true)?;
    let by = ctx.actor.staff_id;
    ctx.tx.execute(
        "UPDATE bookings SET status = 'cancelled', live = 0, cancel_reason = ?2, cancelled_by = ?3, cancelled_at_ms = ?4,
                updated_by = ?3, updated_at_ms = ?4, version = version + 1 WHERE id = ?1",
        params![old.id, reason, by, ctx.now_ms],
    )?;
    ctx.tx.execute(
        "UPDATE booking_resources SET live = 0 WHERE booking_id = ?1",
        [old.id],
    )?;
    record_status(ctx, old.id, old.status, BookingStatus::Cancelled)?;
    ctx.changed(topics::BOOKING_CHANGED, old.id);
    follow::booking_ended(ctx, old.id, &format!("Booking cancelled: {reason}"))?;
    load(ctx, &p, old.id)
}

/// For the booking dialog, before Book is pressed: each live resource free or
/// not for the time, and what holds it. The rule check on Book still decides.
/// A hotel's rooms come best match first (see [`rooms::rank`]).
pub fn availability(ctx: &ReadCtx<'_>, req: ResourceAvailability) -> CoreResult<Vec<Availability>> {
    let p = practice::require(ctx)?;
    let (span, _, _) = resolve_time(&p, &req.time)?;
    let (s, e) = (span.start_ms(), span.end_ms());
    let tz = p.tz();

    let all = crate::setup::resources::list(ctx, Default::default())?;
    let mut out = Vec::with_capacity(all.len());
    let mut booked = ctx.tx.prepare_cached(
        "SELECT b.person_name, b.starts_at_ms, b.ends_at_ms FROM booking_resources br JOIN bookings b ON b.id = br.booking_id
          WHERE br.resource_id = ?1 AND br.live = 1 AND br.starts_at_ms < ?3 AND br.ends_at_ms > ?2 AND br.booking_id IS NOT ?4
          ORDER BY br.starts_at_ms LIMIT 1",
    )?;
    let mut blocked = ctx.tx.prepare_cached(
        "SELECT reason FROM blocks WHERE removed = 0 AND (resource_id = ?1 OR resource_id IS NULL)
            AND starts_at_ms < ?3 AND ends_at_ms > ?2 ORDER BY starts_at_ms LIMIT 1",
    )?;
    for r in &all {
        let holder: Option<(String, i64, i64)> = booked
            .query_row(params![r.id, s, e, req.booking_id], |x| {
                Ok((x.get(0)?, x.get(1)?, x.get(2)?))
            })
            .optional()?;
        let busy_with = match holder {
            Some((name, bs, be)) => Some(match p.kind {
                PracticeKind::Hotel => format!("{name}, {}", fmt_span(p.clock(), bs, be)),
                PracticeKind::Dental => format!(
                    "{name} {}–{}",
                    fmt_time(p.clock(), bs),
                    fmt_time(p.clock(), be)
                ),
            }),
            None => blocked
                .query_row(params![r.id, s, e], |x| x.get::<_, String>(0))
                .optional()?
                .map(|why| format!("Blocked: {why}")),
        };
        out.push(Availability {
            resource_id: r.id,
            free: busy_with.is_none(),
            busy_with,
            note: None,
            out_of_order: false,
        });
    }
    if p.kind == PracticeKind::Hotel {
        rooms::rank(
            ctx,
            &p,
            &mut out,
            &all,
            req.person_id,
            req.booking_id,
            s,
            local_date(tz, s),
        )?;
    }
    Ok(out)
}

/// A booking that freed its time (a no-show, a cancellation) takes it back:
/// the rule check, without hours and blocks (it was made within them), so
/// someone booked there since is named.
fn take_back_slot(ctx: &ReadCtx<'_>, p: &Practice, old: &Booking) -> CoreResult<()> {
    let t = appointment_types::get(ctx, old.type_id)?;
    rules::check(
        ctx,
        p,
        &Proposed {
            id: Some(old.id),
            starts_at_ms: old.starts_at_ms,
            ends_at_ms: old.ends_at_ms,
            resource_ids: &old.resource_ids,
            kind: &t,
            was: Some((old.starts_at_ms, old.ends_at_ms)),
            person_id: old.person_id,
            was_resource_ids: &old.resource_ids,
        },
        true,
    )?;
    Ok(())
}

/// Undo a cancellation made in the last [`UNDO_CANCEL_MS`]: the booking
/// takes its time back (if nobody has it now) with the status it had, and the
/// tasks the cancellation closed open again.
pub fn restore(ctx: &mut Ctx<'_>, req: RestoreBooking) -> CoreResult<Booking> {
    let p = practice::require(ctx)?;
    let old = load_current(ctx, &p, req.id, req.expected_version)?;
    if old.status != BookingStatus::Cancelled {
        return Err(CoreError::BadTransition {
            message: format!("{}'s booking is not cancelled.", old.person_name),
        });
    }
    let (cancelled_at, before): (Option<i64>, Option<String>) = ctx.tx.query_row(
        "SELECT b.cancelled_at_ms,
                (SELECT from_status FROM status_changes WHERE booking_id = b.id AND to_status = 'cancelled' ORDER BY id DESC LIMIT 1)
           FROM bookings b WHERE b.id = ?1",
        [old.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let cancelled_at = cancelled_at.unwrap_or(0);
    if ctx.now_ms - cancelled_at > UNDO_CANCEL_MS {
        return Err(CoreError::BadTransition {
            message: format!(
                "{}'s booking was cancelled at {}, too long ago to undo. Book it again instead.",
                old.person_name,
                fmt_time(p.clock(), cancelled_at)
            ),
        });
    }
    let status = before
        .as_deref()
        .and_then(|s| BookingStatus::parse(s).ok())
        .filter(|s| s.is_live())
        .unwrap_or(BookingStatus::Booked);
    take_back_slot(ctx, &p, &old)?;
    ctx.tx.execute(
        "UPDATE bookings SET status = ?2, live = 1, cancel_reason = NULL, cancelled_by = NULL, cancelled_at_ms = NULL,
                updated_by = ?3, updated_at_ms = ?4, version = version + 1 WHERE id = ?1",
        params![old.id, status.as_str(), ctx.actor.staff_id, ctx.now_ms],
    )?;
    ctx.tx.execute(
        "UPDATE booking_resources SET live = 1 WHERE booking_id = ?1",
        [old.id],
    )?;
    record_status(ctx, old.id, BookingStatus::Cancelled, status)?;
    ctx.changed(topics::BOOKING_CHANGED, old.id);
    follow::booking_restored(ctx, old.id, cancelled_at)?;
    ctx.detail(serde_json::json!({ "restored_to": status.as_str() }));
    load(ctx, &p, old.id)
}

fn record_status(
    ctx: &Ctx<'_>,
    id: BookingId,
    from: BookingStatus,
    to: BookingStatus,
) -> CoreResult<()> {
    ctx.tx.execute(
        "INSERT INTO status_changes (booking_id, from_status, to_status, at_ms, by_staff) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, from.as_str(), to.as_str(), ctx.now_ms, ctx.actor.staff_id],
    )?;
    Ok(())
}

pub fn set_status(ctx: &mut Ctx<'_>, req: SetBookingStatus) -> CoreResult<Booking> {
    let p = practice::require(ctx)?;
    let old = load_current(ctx, &p, req.id, req.expected_version)?;
    check_transition(p.kind, old.status, req.status)?;
    check_clock(&p, ctx.now_ms, &old, req.status)?;
    if req.status == BookingStatus::CheckedIn {
        // Never two guests checked in to one room: the last one checks out first.
        if let Some(message) = room_status::still_occupied(ctx, &old.resource_ids, old.id)? {
            return Err(CoreError::RoomOccupied { message });
        }
        if !req.even_if_room_not_ready {
            if let Some(message) = room_status::not_ready(ctx, &old.resource_ids)? {
                return Err(CoreError::RoomNotReady { message });
            }
        }
    }
    if !old.status.is_live() && req.status.is_live() {
        // Restoring a no-show takes the slot back: someone may have it now.
        take_back_slot(ctx, &p, &old)?;
    }
    let live = req.status.is_live();
    ctx.tx.execute(
        "UPDATE bookings SET status = ?2, live = ?3, updated_by = ?4, updated_at_ms = ?5, version = version + 1 WHERE id = ?1",
        params![old.id, req.status.as_str(), live, ctx.actor.staff_id, ctx.now_ms],
    )?;
    ctx.tx.execute(
        "UPDATE booking_resources SET live = ?2 WHERE booking_id = ?1",
        params![old.id, live],
    )?;
    record_status(ctx, old.id, old.status, req.status)?;
    ctx.changed(topics::BOOKING_CHANGED, old.id);
    if req.status == BookingStatus::CheckedOut {
        room_status::mark_dirty(ctx, &old.resource_ids)?;
    }
    if !live {
        follow::booking_ended(ctx, old.id, "Did not arrive (no-show).")?;
    }
    ctx.detail(serde_json::json!({ "from": old.status.as_str(), "to": req.status.as_str() }));
    load(ctx, &p, old.id)
}

/// A booking as a generator writes it (the demo, benchmarks): already known
/// not to overlap, so no rule check; history dates and status as given.
pub(crate) struct GeneratedBooking<'a> {
    pub person: (&'a str, &'a str),
    pub person_id: PersonId,
    pub type_id: AppointmentTypeId,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub dates: Option<(LocalDate, LocalDate)>,
    pub status: BookingStatus,
    pub resource_ids: &'a [ResourceId],
    pub by: StaffId,
    pub created_at_ms: i64,
    pub cancel_reason: Option<&'a str>,
}

/// Writes a generated booking and what it holds; returns its id.
pub(crate) fn insert_generated(ctx: &Ctx<'_>, b: &GeneratedBooking<'_>) -> CoreResult<BookingId> {
    let live = b.status.is_live();
    let (arrival, departure) = match b.dates {
        Some((a, d)) => (Some(a.date().to_string()), Some(d.date().to_string())),
        None => (None, None),
    };
    ctx.tx.prepare_cached(
        "INSERT INTO bookings (person_name, person_phone, type_id, starts_at_ms, ends_at_ms, arrival_date, departure_date, status, live,
                               cancel_reason, cancelled_by, created_by, created_at_ms, updated_by, updated_at_ms, person_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CASE WHEN ?10 IS NULL THEN NULL ELSE ?11 END, ?11, ?12, ?11, ?12, ?13)",
    )?
    .execute(params![
        b.person.0, b.person.1, b.type_id, b.starts_at_ms, b.ends_at_ms, arrival, departure,
        b.status.as_str(), live, b.cancel_reason, b.by, b.created_at_ms, b.person_id
    ])?;
    let id = BookingId(ctx.tx.last_insert_rowid());
    let mut stmt = ctx.tx.prepare_cached(
        "INSERT INTO booking_resources (booking_id, resource_id, starts_at_ms, ends_at_ms, live) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for r in b.resource_ids {
        stmt.execute(params![id, r, b.starts_at_ms, b.ends_at_ms, live])?;
    }
    Ok(id)
}

/// A generated confirmed booking whose patient has just arrived (the demo's waiting room).
pub(crate) fn mark_generated_arrived(
    ctx: &Ctx<'_>,
    id: BookingId,
    at_ms: i64,
    by: StaffId,
) -> CoreResult<()> {
    ctx.tx.execute(
        "UPDATE bookings SET status = 'arrived' WHERE id = ?1 AND status = 'confirmed'",
        [id],
    )?;
    insert_status_change(
        ctx,
        id,
        BookingStatus::Confirmed,
        BookingStatus::Arrived,
        at_ms,
        by,
    )
}

/// Records a past status change (a generator's history).
pub(crate) fn insert_status_change(
    ctx: &Ctx<'_>,
    id: BookingId,
    from: BookingStatus,
    to: BookingStatus,
    at_ms: i64,
    by: StaffId,
) -> CoreResult<()> {
    ctx.tx.execute(
        "INSERT INTO status_changes (booking_id, from_status, to_status, at_ms, by_staff) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, from.as_str(), to.as_str(), at_ms, by],
    )?;
    Ok(())
}

/// A merge: the merged record's bookings become the survivor's, under its name.
pub(crate) fn move_person(
    ctx: &mut Ctx<'_>,
    from: PersonId,
    to: PersonId,
    name: &str,
) -> CoreResult<usize> {
    let ids: Vec<BookingId> = {
        let mut stmt = ctx
            .tx
            .prepare_cached("SELECT id FROM bookings WHERE person_id = ?1")?;
        let rows = stmt.query_map([from], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in &ids {
        ctx.tx.execute(
            "UPDATE bookings SET person_id = ?2, person_name = ?3, version = version + 1 WHERE id = ?1",
            params![id, to, name],
        )?;
        ctx.changed(topics::BOOKING_CHANGED, *id);
    }
    Ok(ids.len())
}

/// An erasure: the person's bookings keep their times, type and status (so
/// counts stay true) and lose the name, phone and notes.
pub(crate) fn anonymise_person(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<usize> {
    let ids: Vec<BookingId> = {
        let mut stmt = ctx
            .tx
            .prepare_cached("SELECT id FROM bookings WHERE person_id = ?1")?;
        let rows = stmt.query_map([person], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in &ids {
        ctx.tx.execute(
            "UPDATE bookings SET person_name = 'Erased', person_phone = '', notes = '', cancel_reason = CASE WHEN cancel_reason IS NULL THEN NULL ELSE '' END,
                    version = version + 1 WHERE id = ?1",
            [id],
        )?;
        ctx.changed(topics::BOOKING_CHANGED, *id);
    }
    Ok(ids.len())
}

#[cfg(test)]
mod bounds {
    #[test]
    fn the_other_room_subquery_is_bounded_by_the_longest_stay() {
        assert_eq!(
            super::LONGEST_STAY_MS,
            super::max_length_ms(crate::setup::practice::PracticeKind::Hotel)
        );
        assert!(super::SELECT.contains(&format!("- {}", super::LONGEST_STAY_MS)));
    }
}
