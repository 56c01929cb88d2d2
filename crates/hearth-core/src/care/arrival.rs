//! The arrival card: what the desk should know the moment a booking is opened
//! or the person arrives — the name they like and how to say it, the occasion's
//! greeting, alerts, incidents remembered from earlier visits with the gesture
//! proposed and those made before, this visit's tasks and their state, and
//! their preferences. One read.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::ReadCtx;
use crate::care::incidents::{self, Gesture, Incident};
use crate::care::tasks::{self, ListTasks, Task, TaskStatus};
use crate::error::CoreResult;
use crate::ids::{BookingId, PersonId};
use crate::kind::PracticeKind;
use crate::people::alerts::{self, Alert};
use crate::people::notes::{self, Note};
use crate::people::records;
use crate::scheduling::occasions::{self, OccasionKind};
use crate::setup::practice;

/// `get_arrival_card`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct GetArrivalCard {
    pub booking_id: BookingId,
}

/// The line the desk greets with ("Happy 10th wedding anniversary — Mr and Mrs Okafor").
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Greeting {
    pub occasion_id: i64,
    pub kind: OccasionKind,
    pub line: String,
}

/// An incident from an earlier visit that resurfaces on this one.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Remembered {
    pub incident: Incident,
    /// "Last stay: weak shower in Room 214, fixed in 30 min".
    pub summary: String,
    /// What was done for it on this visit, once recorded.
    pub done_this_visit: Option<Gesture>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct ArrivalCard {
    pub booking_id: BookingId,
    pub person_id: Option<PersonId>,
    /// What to call them: the preferred name, else the name on the booking.
    pub name: String,
    pub full_name: String,
    pub pronunciation: String,
    pub vip: bool,
    pub greetings: Vec<Greeting>,
    pub alerts: Vec<Alert>,
    pub remembered: Vec<Remembered>,
    /// This visit's tasks, open and closed (not cancelled).
    pub tasks: Vec<Task>,
    pub preferences: String,
    /// Ticked preferences ("High floor", "Left-handed").
    pub preference_flags: Vec<String>,
    pub tags: Vec<String>,
    /// The latest notes (at most three).
    pub notes: Vec<Note>,
    /// Something the desk should read before the arrival or check-in: an
    /// occasion, an alert, something remembered from before, or a preparation
    /// task not done yet. Every path that marks arrival shows the card first then.
    pub tell_first: bool,
}

/// "10th wedding anniversary" → "10th wedding anniversary"; "Birthday" → "birthday".
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if f.is_uppercase() && c.clone().next().is_some_and(char::is_lowercase) => {
            f.to_lowercase().chain(c).collect()
        }
        Some(f) => std::iter::once(f).chain(c).collect(),
        None => String::new(),
    }
}

pub fn greeting(kind: OccasionKind, text: &str, name: &str) -> String {
    let text = text.trim();
    let or = |d: &str| {
        if text.is_empty() {
            d.to_owned()
        } else {
            lower_first(text)
        }
    };
    match kind {
        OccasionKind::Anniversary => format!("Happy {} — {name}", or("anniversary")),
        OccasionKind::Birthday => format!("Happy {} — {name}", or("birthday")),
        OccasionKind::Honeymoon => match text {
            "" => format!("Congratulations on your honeymoon — {name}"),
            t => format!("Congratulations: {t} — {name}"),
        },
        OccasionKind::FirstVisit => match text {
            "" => format!("First visit — welcome {name}"),
            t => format!("First visit — welcome {name} ({t})"),
        },
        OccasionKind::NervousPatient => match text {
            "" => format!("Nervous patient — go gently with {name}"),
            t => format!("Nervous patient — go gently with {name}: {t}"),
        },
        OccasionKind::Celebration | OccasionKind::Other => match text {
            "" => format!("Something to celebrate — {name}"),
            t => format!("{t} — {name}"),
        },
    }
}

/// "30 min", "2 h 5 min", "3 days".
pub fn duration_words(minutes: i64) -> String {
    match minutes {
        m if m < 60 => format!("{m} min"),
        m if m < 1440 && m % 60 == 0 => format!("{} h", m / 60),
        m if m < 1440 => format!("{} h {} min", m / 60, m % 60),
        m => {
            let d = (m + 720) / 1440;
            format!("{d} day{}", if d == 1 { "" } else { "s" })
        }
    }
}

/// "Last stay: weak shower in Room 214, fixed in 30 min".
fn summary(kind: PracticeKind, tz: chrono_tz::Tz, i: &Incident, last_visit: bool) -> String {
    let noun = match kind {
        PracticeKind::Hotel => "stay",
        PracticeKind::Dental => "visit",
    };
    let when = if last_visit {
        format!("Last {noun}")
    } else {
        let d = crate::time::to_local(tz, i.visit_starts_at_ms);
        format!(
            "{}{} of {}",
            noun[..1].to_uppercase(),
            &noun[1..],
            d.format("%-d %b %Y")
        )
    };
    let place = if i.place.is_empty() {
        String::new()
    } else {
        format!(" in {}", i.place)
    };
    let outcome = match i.minutes_to_resolve {
        Some(m) => format!("fixed in {}", duration_words(m)),
        None => "not resolved".to_owned(),
    };
    format!("{when}: {}{place}, {outcome}", i.what)
}

/// The person's booking just before this one (their last visit or stay).
pub(crate) fn previous_booking(
    ctx: &ReadCtx<'_>,
    person: PersonId,
    before_ms: i64,
    not: BookingId,
) -> CoreResult<Option<BookingId>> {
    use rusqlite::OptionalExtension;
    Ok(ctx
        .tx
        .query_row(
            "SELECT id FROM bookings WHERE person_id = ?1 AND starts_at_ms < ?2 AND id <> ?3
                AND status NOT IN ('cancelled', 'no_show') ORDER BY starts_at_ms DESC LIMIT 1",
            rusqlite::params![person, before_ms, not],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn get(ctx: &ReadCtx<'_>, req: GetArrivalCard) -> CoreResult<ArrivalCard> {
    let p = practice::require(ctx)?;
    let f = tasks::facts(ctx, req.booking_id)?;
    let person = f.person_id.map(|id| records::get(ctx, id)).transpose()?;
    let name = f.name.clone();
    let greetings: Vec<Greeting> = occasions::of(ctx, f.id)?
        .into_iter()
        .map(|o| Greeting {
            occasion_id: o.id,
            kind: o.kind,
            line: greeting(o.kind, &o.text, &name),
        })
        .collect();
    let previous = match f.person_id {
        Some(pid) => previous_booking(ctx, pid, f.starts_at_ms, f.id)?,
        None => None,
    };
    let remembered: Vec<Remembered> = incidents::remembered_for(ctx, &f)?
        .into_iter()
        .map(|i| Remembered {
            summary: summary(p.kind, p.tz(), &i, previous == Some(i.booking_id)),
            done_this_visit: i.gestures.iter().find(|g| g.booking_id == f.id).cloned(),
            incident: i,
        })
        .collect();
    let tasks: Vec<Task> = tasks::list(
        ctx,
        ListTasks {
            booking_id: Some(f.id),
            include_closed: true,
            ..ListTasks::default()
        },
    )?
    .into_iter()
    .filter(|t| t.status != TaskStatus::Cancelled)
    .collect();
    let (alerts, notes) = match f.person_id {
        Some(pid) => (
            alerts::of(ctx, pid)?,
            notes::of(ctx, pid)?.into_iter().take(3).collect(),
        ),
        None => (vec![], vec![]),
    };
    let tell_first = !greetings.is_empty()
        || !alerts.is_empty()
        || !remembered.is_empty()
        || tasks.iter().any(|t| t.status == TaskStatus::Open);
    Ok(ArrivalCard {
        tell_first,
        booking_id: f.id,
        person_id: f.person_id,
        full_name: person
            .as_ref()
            .map_or_else(|| name.clone(), |p| p.full_name.clone()),
        pronunciation: person
            .as_ref()
            .map(|p| p.pronunciation.clone())
            .unwrap_or_default(),
        vip: person.as_ref().is_some_and(|p| p.vip),
        preferences: person
            .as_ref()
            .map(|p| p.preferences.clone())
            .unwrap_or_default(),
        preference_flags: person
            .as_ref()
            .map(|p| p.preference_flags.clone())
            .unwrap_or_default(),
        tags: person.map(|p| p.tags).unwrap_or_default(),
        name,
        greetings,
        alerts,
        remembered,
        tasks,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings_read_as_the_desk_says_them() {
        assert_eq!(
            greeting(
                OccasionKind::Anniversary,
                "10th wedding anniversary",
                "Mr and Mrs Okafor"
            ),
            "Happy 10th wedding anniversary — Mr and Mrs Okafor"
        );
        assert_eq!(
            greeting(OccasionKind::Birthday, "Birthday", "Ana"),
            "Happy birthday — Ana"
        );
        assert_eq!(
            greeting(OccasionKind::Birthday, "", "Ana"),
            "Happy birthday — Ana"
        );
        assert_eq!(
            greeting(OccasionKind::NervousPatient, "", "Tom"),
            "Nervous patient — go gently with Tom"
        );
    }

    #[test]
    fn durations_in_words() {
        assert_eq!(duration_words(30), "30 min");
        assert_eq!(duration_words(120), "2 h");
        assert_eq!(duration_words(125), "2 h 5 min");
        assert_eq!(duration_words(1440 * 3), "3 days");
    }
}
