//! Finding a person from one box: any part of a name (accents folded, a typo
//! forgiven: "Kowalsky" finds Kowalski), phone digits in any format, an e-mail,
//! a date of birth. Candidates come from the trigram index (`people_search`,
//! kept in step by triggers inside each write); they are ranked exact, then
//! prefix, then contains, then close; then people with an upcoming visit
//! (soonest first), then the most recent visitors.
use std::collections::HashMap;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::ReadCtx;
use crate::error::{CoreError, CoreResult};
use crate::ids::PersonId;
use crate::instant::LocalDate;
use crate::people::alerts::AlertSeverity;
use crate::people::phones::digits_of as phone_digits;
use crate::people::records::full_name;

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SearchPeople {
    pub query: String,
    /// At most 50 (20 when left out).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 50)]
    pub limit: Option<u32>,
}

/// How well a person matched, best first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Exact,
    Prefix,
    Contains,
    Close,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct PersonMatch {
    pub id: PersonId,
    pub full_name: String,
    pub preferred_name: String,
    pub phone: String,
    pub date_of_birth: Option<String>,
    pub next_visit_ms: Option<i64>,
    pub last_visit_ms: Option<i64>,
    pub how: MatchKind,
    /// Their most serious alert, for the mark beside the name (as on the calendar).
    pub alert: Option<AlertSeverity>,
}

/// Lower case, accents folded ("Zoë Müller" → "zoe muller").
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// An FTS5 phrase for `s` (quotes doubled).
fn phrase(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn parse_date(q: &str) -> Option<String> {
    let q = q.trim();
    for f in ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"] {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(q, f) {
            return LocalDate::new(d).map(|d| d.date().to_string());
        }
    }
    None
}

const CANDIDATES: i64 = 300;

/// What the box was given, decided once.
#[derive(Debug, PartialEq)]
enum Asked {
    /// A date of birth (as stored: YYYY-MM-DD).
    Birth(String),
    /// Mostly digits: a phone number in any format.
    Phone,
    Email,
    Name,
}

impl Asked {
    fn of(q: &str, digits: &str) -> Asked {
        let typed = q.chars().filter(|c| !c.is_whitespace()).count();
        if let Some(date) = parse_date(q) {
            Asked::Birth(date)
        } else if digits.len() >= 3 && digits.len() * 2 >= typed {
            Asked::Phone
        } else if q.contains('@') {
            Asked::Email
        } else {
            Asked::Name
        }
    }
}

fn fts_ids(ctx: &ReadCtx<'_>, query: &str, ranked: bool) -> CoreResult<Vec<PersonId>> {
    let sql = if ranked {
        "SELECT rowid FROM people_search WHERE people_search MATCH ?1 ORDER BY rank LIMIT ?2"
    } else {
        "SELECT rowid FROM people_search WHERE people_search MATCH ?1 LIMIT ?2"
    };
    let mut stmt = ctx.tx.prepare_cached(sql)?;
    let rows = stmt.query_map(params![query, CANDIDATES], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How a folded name matches the folded query, if it does well enough.
fn name_match(name: &str, q: &str) -> Option<MatchKind> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if name == q || words.contains(&q) {
        return Some(MatchKind::Exact);
    }
    if name.starts_with(q) || words.iter().any(|w| w.starts_with(q)) {
        return Some(MatchKind::Prefix);
    }
    if name.contains(q) {
        return Some(MatchKind::Contains);
    }
    // One or two slips of the finger: compare with the whole name and each word.
    let close = |a: &str| strsim::normalized_damerau_levenshtein(a, q) >= 0.75;
    let q_words = q.split_whitespace().count();
    if close(name)
        || words.iter().any(|w| close(w))
        || (q_words > 1 && words.windows(q_words).any(|w| close(&w.join(" "))))
    {
        return Some(MatchKind::Close);
    }
    None
}

/// Candidates for a name typed with a slip: a slip in the second half of the
/// longest word leaves its first half, a slip in the first half leaves its last
/// three-letter runs; the trigram index finds people with either. `name_match`
/// then keeps the close ones.
fn close_candidates(ctx: &ReadCtx<'_>, fq: &str) -> CoreResult<Vec<PersonId>> {
    let word = fq
        .split_whitespace()
        .max_by_key(|w| w.chars().count())
        .unwrap_or(fq);
    let chars: Vec<char> = word.chars().collect();
    let mut out = Vec::new();
    if chars.len() < 4 {
        return Ok(out);
    }
    let head: String = chars[..(chars.len() / 2).max(3)].iter().collect();
    out.extend(fts_ids(ctx, &format!("name : {}", phrase(&head)), false)?);
    let grams: Vec<String> = chars
        .windows(3)
        .map(|w| phrase(&w.iter().collect::<String>()))
        .collect();
    let tail = &grams[grams.len() / 2..];
    if !tail.is_empty() {
        out.extend(fts_ids(
            ctx,
            &format!("name : ({})", tail.join(" AND ")),
            false,
        )?);
    }
    Ok(out)
}

pub fn search(ctx: &ReadCtx<'_>, req: SearchPeople) -> CoreResult<Vec<PersonMatch>> {
    let limit = req.limit.unwrap_or(20);
    if !(1..=50).contains(&limit) {
        return Err(CoreError::invalid(
            "limit",
            "Ask for 1 to 50 people at a time.",
        ));
    }
    let q: String = req.query.trim().chars().take(100).collect();
    if q.is_empty() {
        return Ok(vec![]);
    }
    let digits = phone_digits(&q);
    let asked = Asked::of(&q, &digits);
    let mut found: HashMap<PersonId, MatchKind> = HashMap::new();
    if let Asked::Birth(date) = &asked {
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT id FROM people WHERE date_of_birth = ?1 AND archived = 0 LIMIT ?2",
        )?;
        for id in stmt.query_map(params![date, CANDIDATES], |r| r.get::<_, PersonId>(0))? {
            found.insert(id?, MatchKind::Exact);
        }
    } else if asked == Asked::Phone {
        for id in fts_ids(ctx, &format!("phone_digits : {}", phrase(&digits)), false)? {
            found.insert(id, MatchKind::Contains);
        }
    } else if asked == Asked::Email {
        for id in fts_ids(ctx, &format!("email : {}", phrase(&fold(&q))), false)? {
            found.insert(id, MatchKind::Contains);
        }
    } else {
        let fq = fold(&q);
        if fq.chars().count() >= 3 {
            for id in fts_ids(ctx, &format!("name : {}", phrase(&fq)), false)? {
                found.insert(id, MatchKind::Contains);
            }
            if found.is_empty() {
                for id in close_candidates(ctx, &fq)? {
                    found.entry(id).or_insert(MatchKind::Close);
                }
            }
        } else {
            let mut stmt = ctx.tx.prepare_cached(
                "SELECT id FROM people WHERE archived = 0 AND (given_name LIKE ?1 || '%' OR family_name LIKE ?1 || '%' OR preferred_name LIKE ?1 || '%') LIMIT ?2",
            )?;
            for id in stmt.query_map(params![q, CANDIDATES], |r| r.get::<_, PersonId>(0))? {
                found.insert(id?, MatchKind::Prefix);
            }
        }
    }
    if found.is_empty() {
        return Ok(vec![]);
    }
    let name_query = asked == Asked::Name;
    let fq = fold(&q);
    // First how well each candidate's name matches (cheap), then the visits of
    // the best few only (the ranking's second key).
    if name_query {
        let mut names = ctx.tx.prepare_cached(
            "SELECT given_name || ' ' || family_name || ' ' || preferred_name FROM people WHERE id = ?1",
        )?;
        let mut kept: Vec<(PersonId, MatchKind)> = Vec::new();
        for (id, _) in found.drain() {
            let Ok(name) = names.query_row([id], |r| r.get::<_, String>(0)) else {
                continue;
            };
            if let Some(k) = name_match(fold(&name).trim(), &fq) {
                kept.push((id, k));
            }
        }
        kept.sort_by_key(|(id, k)| (*k, *id));
        kept.truncate(limit as usize * 4);
        found.extend(kept);
    }
    let mut stmt = ctx.tx.prepare_cached(concat!(
        "SELECT p.id, p.given_name, p.family_name, p.preferred_name, p.phone, p.date_of_birth, p.phone_digits,
                (SELECT min(b.starts_at_ms) FROM bookings b WHERE b.person_id = p.id AND b.live = 1 AND b.ends_at_ms > ?2),
                (SELECT max(b.starts_at_ms) FROM bookings b WHERE b.person_id = p.id AND b.live = 1 AND b.ends_at_ms <= ?2), ",
        most_serious_alert_sql!("p.id"),
        " FROM people p WHERE p.id = ?1 AND p.archived = 0"
    ))?;
    let mut out = Vec::new();
    for (id, kind) in found {
        let row = stmt.query_row(params![id, ctx.now_ms], |r| {
            Ok((
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<i64>>(7)?,
                r.get::<_, Option<i64>>(8)?,
                r.get::<_, Option<i64>>(9)?,
            ))
        });
        let Ok((given, family, preferred, phone, dob, pdigits, next, last, alert)) = row else {
            continue;
        };
        let name = full_name(&given, &family);
        let how = if name_query {
            kind
        } else if !digits.is_empty() && (pdigits == digits || pdigits.ends_with(&digits)) {
            MatchKind::Exact
        } else {
            kind
        };
        out.push(PersonMatch {
            id,
            full_name: name,
            preferred_name: preferred,
            phone,
            date_of_birth: dob,
            next_visit_ms: next,
            last_visit_ms: last,
            how,
            alert: alert.map(AlertSeverity::from_rank),
        });
    }
    out.sort_by(|a, b| {
        a.how
            .cmp(&b.how)
            .then_with(|| match (a.next_visit_ms, b.next_visit_ms) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => b.last_visit_ms.cmp(&a.last_visit_ms),
            })
            .then_with(|| a.full_name.cmp(&b.full_name))
    });
    out.truncate(limit as usize);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_exactly_by_prefix_by_part_or_closely() {
        assert_eq!(name_match("ana ruiz", "ruiz"), Some(MatchKind::Exact));
        assert_eq!(name_match("ana ruiz", "ana ruiz"), Some(MatchKind::Exact));
        assert_eq!(name_match("ana ruiz", "rui"), Some(MatchKind::Prefix));
        assert_eq!(name_match("ana ruiz", "a ru"), Some(MatchKind::Contains));
        assert_eq!(
            name_match("jan kowalski", "kowalsky"),
            Some(MatchKind::Close)
        );
        assert_eq!(name_match("jan kowalski", "novak"), None);
        assert_eq!(fold("Zoë Müller"), "zoe muller");
    }
}
