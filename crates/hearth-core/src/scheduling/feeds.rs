//! Calendar feeds: a practitioner's (or a hotel room's) bookings as a
//! read-only iCalendar feed their phone's calendar subscribes to, served by
//! the practice computer at a secret address that can be withdrawn. Only
//! the address's SHA-256 is kept. The feed shows each booking's time, place
//! and type, and the person's initials only — their full name only if the
//! practice chooses, since a phone's calendar keeps it on servers outside
//! the practice. It reaches nothing else: one resource's live bookings from
//! 30 days ago to a year ahead. And one booking as an `.ics` file to hand to
//! the person, with the practice's name.
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ics::{self, IcsEvent, IcsWhen};
use crate::access::permissions::StaffRole;
use crate::access::sessions::token_hash;
use crate::app::{Actor, Ctx, Hearth, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::{BookingId, ResourceId};
use crate::setup::practice::{self, PracticeKind};
use crate::setup::resources::{self, ListResources, ResourceKind};

const DAY_MS: i64 = 86_400_000;
/// How far back and ahead a feed reaches.
pub const FEED_DAYS_BACK: i64 = 30;
pub const FEED_DAYS_AHEAD: i64 = 400;

/// A resource's feed, as its settings show it.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct CalendarFeed {
    pub resource_id: ResourceId,
    pub name: String,
    pub kind: ResourceKind,
    pub on: bool,
    pub on_since_ms: Option<i64>,
    /// Full names rather than initials.
    pub full_names: bool,
}

/// `list_calendar_feeds`: the feeds the actor may turn on or off (a manager:
/// every provider's and room's; anyone else: their own).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListCalendarFeeds {}

/// `set_calendar_feed`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SetCalendarFeed {
    pub resource_id: ResourceId,
    pub on: bool,
    /// Full names rather than initials (a manager's choice).
    #[serde(default)]
    pub full_names: bool,
    /// A new secret address (the old one stops working).
    #[serde(default)]
    pub new_link: bool,
}

/// A feed set, with its secret address when one was just made.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct FeedSet {
    pub feed: CalendarFeed,
    /// The path on the practice computer (`/feeds/….ics`), shown this once.
    pub link: Option<String>,
}

fn feedable(kind: PracticeKind, r: ResourceKind) -> bool {
    match kind {
        PracticeKind::Dental => r == ResourceKind::Provider,
        PracticeKind::Hotel => r == ResourceKind::Room,
    }
}

pub fn list(ctx: &ReadCtx<'_>, _req: ListCalendarFeeds) -> CoreResult<Vec<CalendarFeed>> {
    let p = practice::require(ctx)?;
    let manager = ctx.role()? == StaffRole::Manager;
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT token_hash IS NOT NULL, on_since_ms, full_names FROM calendar_feeds WHERE resource_id = ?1",
    )?;
    let mut out = Vec::new();
    for r in resources::list(ctx, ListResources::default())? {
        if !feedable(p.kind, r.kind)
            || !(manager || (r.staff_id.is_some() && r.staff_id == ctx.actor.staff_id))
        {
            continue;
        }
        let (on, since, full) = stmt
            .query_row([r.id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .optional()?
            .unwrap_or((false, None, false));
        out.push(CalendarFeed {
            resource_id: r.id,
            name: r.name,
            kind: r.kind,
            on,
            on_since_ms: if on { since } else { None },
            full_names: full,
        });
    }
    Ok(out)
}

fn new_token() -> CoreResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| CoreError::Storage(format!("no randomness for a feed's address: {e}")))?;
    Ok(data_encoding::BASE32_NOPAD.encode(&bytes).to_lowercase())
}

pub fn set(ctx: &mut Ctx<'_>, req: SetCalendarFeed) -> CoreResult<FeedSet> {
    let p = practice::require(ctx)?;
    let role = ctx.role()?;
    let r = resources::get(ctx, req.resource_id)?;
    if !feedable(p.kind, r.kind) {
        return Err(CoreError::invalid(
            "resource_id",
            match p.kind {
                PracticeKind::Dental => "Feeds are for providers: choose a provider.",
                PracticeKind::Hotel => "Feeds are for rooms: choose a room.",
            },
        ));
    }
    let own = r.staff_id.is_some() && r.staff_id == ctx.actor.staff_id;
    if role != StaffRole::Manager && !own {
        return Err(CoreError::Forbidden {
            message:
                "Only a manager, or the practitioner themselves, can turn this feed on or off."
                    .into(),
        });
    }
    if req.full_names && role != StaffRole::Manager {
        return Err(CoreError::Forbidden {
            message: "Full names in a feed are the practice's choice: ask a manager.".into(),
        });
    }
    let was_on: bool = ctx
        .tx
        .query_row(
            "SELECT token_hash IS NOT NULL FROM calendar_feeds WHERE resource_id = ?1",
            [r.id],
            |row| row.get(0),
        )
        .optional()?
        .unwrap_or(false);
    let mut link = None;
    if req.on {
        let token = if !was_on || req.new_link {
            let t = new_token()?;
            link = Some(format!("/feeds/{t}.ics"));
            Some(token_hash(&t))
        } else {
            None
        };
        ctx.tx.execute(
            "INSERT INTO calendar_feeds (resource_id, token_hash, full_names, on_since_ms, on_by) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (resource_id) DO UPDATE SET token_hash = coalesce(excluded.token_hash, token_hash), full_names = excluded.full_names,
               on_since_ms = CASE WHEN excluded.token_hash IS NULL THEN on_since_ms ELSE excluded.on_since_ms END,
               on_by = CASE WHEN excluded.token_hash IS NULL THEN on_by ELSE excluded.on_by END, withdrawn_at_ms = NULL, withdrawn_by = NULL",
            params![r.id, token, req.full_names, ctx.now_ms, ctx.actor.staff_id],
        )?;
    } else if was_on {
        ctx.tx.execute(
            "UPDATE calendar_feeds SET token_hash = NULL, withdrawn_at_ms = ?2, withdrawn_by = ?3 WHERE resource_id = ?1",
            params![r.id, ctx.now_ms, ctx.actor.staff_id],
        )?;
    }
    ctx.changed(topics::RESOURCE_CHANGED, r.id);
    ctx.detail(serde_json::json!({
        "resource": r.id, "on": req.on, "new_link": link.is_some(), "full_names": req.full_names,
    }));
    let feed = list(ctx, ListCalendarFeeds {})?
        .into_iter()
        .find(|f| f.resource_id == r.id)
        .ok_or_else(|| CoreError::not_found("That feed"))?;
    Ok(FeedSet { feed, link })
}

/// "Ann Smith" → "A. S."
fn initials(given: &str, family: &str) -> String {
    [given, family]
        .iter()
        .filter_map(|n| n.chars().next())
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The feed at `token`'s address, if it is on: its file name and text.
/// Read without a session (a phone's calendar has none): the address is
/// the key, and it opens one resource's bookings and nothing else.
pub fn render(h: &Hearth, token: &str) -> CoreResult<Option<(String, String)>> {
    if token.len() != 52
        || !token
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return Ok(None);
    }
    let hash = token_hash(token);
    h.read(&Actor::default(), |ctx| {
        let found: Option<(ResourceId, bool)> = ctx
            .tx
            .query_row(
                "SELECT resource_id, full_names FROM calendar_feeds WHERE token_hash = ?1",
                [&hash],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((resource, full_names)) = found else {
            return Ok(None);
        };
        let p = practice::require(ctx)?;
        let r = resources::get(ctx, resource)?;
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT b.id, b.starts_at_ms, b.ends_at_ms, b.arrival_date, b.departure_date, b.updated_at_ms, t.name,
                    coalesce(p.given_name, b.person_name), coalesce(p.family_name, ''), p.erased_at_ms IS NOT NULL,
                    (SELECT group_concat(o.name, ', ') FROM booking_resources ob JOIN resources o ON o.id = ob.resource_id
                      WHERE ob.booking_id = b.id AND ob.resource_id <> ?1)
               FROM booking_resources br JOIN bookings b ON b.id = br.booking_id
               JOIN appointment_types t ON t.id = b.type_id LEFT JOIN people p ON p.id = b.person_id
              WHERE br.resource_id = ?1 AND br.live = 1 AND br.ends_at_ms > ?2 AND br.starts_at_ms < ?3
              ORDER BY b.starts_at_ms",
        )?;
        let mut rows = stmt.query(params![
            resource,
            ctx.now_ms - FEED_DAYS_BACK * DAY_MS,
            ctx.now_ms + FEED_DAYS_AHEAD * DAY_MS
        ])?;
        let mut events = Vec::new();
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let (given, family, erased): (String, String, bool) =
                (row.get(7)?, row.get(8)?, row.get(9)?);
            let who = match (erased, full_names) {
                (true, _) => "—".to_owned(),
                (false, true) => crate::people::records::full_name(&given, &family),
                (false, false) => initials(&given, &family),
            };
            let kind: String = row.get(6)?;
            let others: Option<String> = row.get(10)?;
            let when = when_of(
                row.get::<_, Option<String>>(3)?.as_deref(),
                row.get::<_, Option<String>>(4)?.as_deref(),
                (row.get(1)?, row.get(2)?),
            );
            events.push(IcsEvent {
                uid: format!("booking-{id}@{}", practice_uid(&p.name)),
                summary: format!("{kind} — {who}"),
                location: match others {
                    Some(o) if !o.is_empty() => format!("{} ({o})", r.name),
                    _ => r.name.clone(),
                },
                description: String::new(),
                when,
                changed_ms: row.get(5)?,
                cancelled: false,
            });
        }
        let name = format!("{} — {}", r.name, p.name);
        Ok(Some((
            format!("{}.ics", crate::moving::export::slug(&r.name)),
            ics::calendar(&name, p.tz(), &events),
        )))
    })
}

/// A stay (stored arrival and departure dates) as whole days; anything else
/// as its start and end.
fn when_of(
    arrival: Option<&str>,
    departure: Option<&str>,
    (starts_ms, ends_ms): (i64, i64),
) -> IcsWhen {
    let day = |d: Option<&str>| d.and_then(|d| crate::instant::LocalDate::from_stored(Some(d)));
    match (day(arrival), day(departure)) {
        (Some(a), Some(d)) => IcsWhen::Days {
            from: a.date(),
            to: d.date(),
        },
        _ => IcsWhen::Timed { starts_ms, ends_ms },
    }
}

fn practice_uid(name: &str) -> String {
    format!("{}.hearth", crate::moving::export::slug(name))
}

/// `get_booking_ics`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GetBookingIcs {
    pub id: BookingId,
}

/// An `.ics` file to save or send.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct IcsFile {
    pub file_name: String,
    pub text: String,
}

/// One booking as an `.ics` file for the person: the practice's name, the
/// appointment's type and who or where it is with, at its time in the
/// practice's zone.
pub fn booking(ctx: &ReadCtx<'_>, req: GetBookingIcs) -> CoreResult<IcsFile> {
    let p = practice::require(ctx)?;
    let b = super::bookings::get(ctx, super::bookings::GetBooking { id: req.id })?;
    let all = resources::list(
        ctx,
        ListResources {
            include_archived: true,
        },
    )?;
    let with: Vec<String> = b
        .resource_ids
        .iter()
        .filter_map(|id| all.iter().find(|r| r.id == *id))
        .map(|r| r.name.clone())
        .collect();
    let when = when_of(
        b.arrival_date.as_deref(),
        b.departure_date.as_deref(),
        (b.starts_at_ms, b.ends_at_ms),
    );
    let event = IcsEvent {
        uid: format!("booking-{}@{}", b.id.0, practice_uid(&p.name)),
        summary: format!("{} at {}", b.type_name, p.name),
        location: p.name.clone(),
        description: format!("{} ({}) at {}.", b.type_name, with.join(", "), p.name),
        when,
        changed_ms: b.updated_at_ms,
        cancelled: b.status == super::status::BookingStatus::Cancelled,
    };
    let day = crate::time::local_date(p.tz(), b.starts_at_ms);
    Ok(IcsFile {
        file_name: format!(
            "{}-{}.ics",
            crate::moving::export::slug(&p.name),
            day.format("%Y-%m-%d")
        ),
        text: ics::calendar(&p.name, p.tz(), &[event]),
    })
}
