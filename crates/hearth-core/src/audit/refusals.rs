//! Refusals, coalesced: a flood of refused requests (not signed in, not
//! paired, not allowed) costs the attacker, not the practice. The first
//! refusal of its kind — same member, computer, action, code and detail (a
//! sign-in's login) — in a minute is written at once, as before; the ones
//! after it in that minute are only counted here, in memory, and written as
//! one entry (`{"more": n}`) once the minute is over, with the next write of
//! any kind or the next refusal written. So ten
//! thousand refused requests take the single writer a few times, not ten
//! thousand times, and the trail stays readable.
//!
//! Transports write what is still counted when they are told to stop
//! (`Hearth::flush_refusals`); what a crash loses is the count since the
//! last write (never the first refusal of a kind in a minute, which is
//! always in the trail).
use std::collections::HashMap;
use std::sync::Mutex;

use rusqlite::Connection;

use crate::audit::{append, Entry};
use crate::error::CoreResult;

/// What makes two refusals "the same" for counting.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Kind {
    staff_id: Option<i64>,
    workstation: Option<String>,
    action: String,
    outcome: String,
    detail: String,
}

struct Counted {
    minute: i64,
    /// Refusals since the last one written.
    more: u64,
    session_id: Option<i64>,
    command: Option<String>,
}

/// The counts not yet in the trail.
#[derive(Default)]
pub struct Refusals {
    counts: Mutex<HashMap<Kind, Counted>>,
}

/// An entry owed to the trail: "n more like this".
pub struct Owed {
    kind: Kind,
    session_id: Option<i64>,
    command: Option<String>,
    more: u64,
}

/// Takes the counts of minutes before `minute`, and forgets those kinds (a
/// flood of ever-new kinds — sign-ins at made-up logins — holds memory for
/// one minute's worth at most).
fn take_before(counts: &mut HashMap<Kind, Counted>, minute: i64) -> Vec<Owed> {
    let owed = counts
        .iter_mut()
        .filter(|(_, c)| c.more > 0 && c.minute < minute)
        .map(|(k, c)| Owed {
            kind: k.clone(),
            session_id: c.session_id,
            command: c.command.clone(),
            more: std::mem::take(&mut c.more),
        })
        .collect();
    counts.retain(|_, c| c.minute >= minute);
    owed
}

impl Refusals {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Kind, Counted>> {
        self.counts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts the refusal `r` (its audit entry). `None`: counted only. `Some(owed)`: it is the first of its
    /// kind this minute and must be written now, with the counts `owed` from
    /// earlier minutes (its own kind's included).
    pub fn note(&self, r: &Entry<'_>) -> Option<Vec<Owed>> {
        let kind = Kind {
            staff_id: r.staff_id,
            workstation: r.workstation.map(str::to_owned),
            action: r.action.to_owned(),
            outcome: r.outcome.to_owned(),
            detail: r.detail.to_owned(),
        };
        let minute = r.at_ms.div_euclid(60_000);
        let mut counts = self.lock();
        if let Some(c) = counts.get_mut(&kind) {
            if c.minute == minute {
                c.more += 1;
                return None;
            }
        }
        let owed = take_before(&mut counts, minute);
        counts.insert(
            kind,
            Counted {
                minute,
                more: 0,
                session_id: r.session_id,
                command: r.command.map(str::to_owned),
            },
        );
        Some(owed)
    }

    /// Takes the counts of minutes before the one `at_ms` falls in: a write
    /// brings them into the trail with it. (This minute's keep counting.)
    pub fn owed(&self, at_ms: i64) -> Vec<Owed> {
        take_before(&mut self.lock(), at_ms.div_euclid(60_000))
    }

    /// Puts counts taken by [`Refusals::owed`] back (their write failed).
    pub fn restore(&self, owed: Vec<Owed>) {
        let mut counts = self.lock();
        for o in owed {
            counts
                .entry(o.kind)
                .or_insert(Counted {
                    // Owed from an earlier minute: the next write takes it.
                    minute: i64::MIN,
                    more: 0,
                    session_id: o.session_id,
                    command: o.command,
                })
                .more += o.more;
        }
    }
}

/// Writes what is owed, inside the caller's transaction.
pub fn write_owed(conn: &Connection, at_ms: i64, owed: &[Owed]) -> CoreResult<()> {
    for o in owed {
        let mut detail = serde_json::from_str::<serde_json::Value>(&o.kind.detail)
            .ok()
            .filter(serde_json::Value::is_object)
            .unwrap_or_else(|| serde_json::json!({}));
        detail["more"] = serde_json::json!(o.more);
        let detail = detail.to_string();
        append(
            conn,
            &Entry {
                at_ms,
                staff_id: o.kind.staff_id,
                session_id: o.session_id,
                workstation: o.kind.workstation.as_deref(),
                action: &o.kind.action,
                command: o.command.as_deref(),
                entity: "",
                entity_id: None,
                outcome: &o.kind.outcome,
                entities: "[]",
                detail: &detail,
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Entry<'static> {
        Entry {
            at_ms: ms,
            workstation: Some("Browser on Linux"),
            action: "list_staff",
            command: Some("list_staff"),
            outcome: "auth.required",
            entities: "[]",
            detail: "{}",
            ..Entry::default()
        }
    }

    #[test]
    fn the_first_of_a_kind_each_minute_is_written_and_the_rest_are_counted() {
        let r = Refusals::default();
        let more = |owed: Option<Vec<Owed>>| owed.map(|o| o.iter().map(|x| x.more).sum::<u64>());
        assert_eq!(more(r.note(&at(1_000))), Some(0));
        for i in 0..9_999 {
            assert!(r.note(&at(1_000 + i)).is_none(), "{i}");
        }
        // A write within the minute leaves the count to grow.
        assert!(r.owed(59_999).is_empty());
        // Once the minute is over, a write takes it, once.
        assert_eq!(r.owed(60_000).iter().map(|o| o.more).sum::<u64>(), 9_999);
        assert!(r.owed(60_000).is_empty());
        // The next minute's first is written with what the last minute owed.
        assert!(r.note(&at(61_000)).is_some());
        assert!(r.note(&at(62_000)).is_none());
        assert_eq!(more(r.note(&at(121_000))), Some(1));
        // Kinds of earlier minutes are forgotten once taken: memory holds one
        // minute's worth.
        assert_eq!(r.lock().len(), 1);
        // Another kind is its own count.
        let other = Entry {
            outcome: "staff.forbidden",
            ..at(121_500)
        };
        assert!(r.note(&other).is_some());
    }
}
