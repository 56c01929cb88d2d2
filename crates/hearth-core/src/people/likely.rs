//! Who a typed person could already be: one record per person starts here.
//! The rules, in one place for every door a person comes in by (the booking
//! dialog, a new record, the possible-duplicates list):
//! - **the same name**: given and family name equal once accents and case are
//!   folded, in either order ("Zoë Müller" is "muller zoe"), or a preferred
//!   name in place of the given one ("Kasia Nowak" for Katarzyna, called Kasia);
//! - **a close name**: one or two slips of the finger in long names ("Jan
//!   Kowalsky" for Jan Kowalski), never in a first letter or a short name;
//! - **the same phone, e-mail or birth date**: shown as what they share, and
//!   as what tells two records apart when it differs.
//!
//! A booking typed with a name that matches nobody makes a new record; one
//! whose name and phone (or birth date) match exactly one record goes to it;
//! a name matching anyone else is refused with the candidates (`person.maybe_known`)
//! unless the desk says it is someone new.
use std::collections::{BTreeMap, HashSet};

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::ids::PersonId;
use crate::instant::LocalDate;
use crate::people::alerts::AlertSeverity;
use crate::people::phones;
use crate::people::records::{self, full_name};
use crate::people::search::fold;

/// What two records (or a typed name and a record) have in common.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    TS,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Likeness {
    SameName,
    CloseName,
    SamePhone,
    SameEmail,
    SameBirthDate,
}

impl Likeness {
    pub fn words(self) -> &'static str {
        match self {
            Likeness::SameName => "same name",
            Likeness::CloseName => "a similar name",
            Likeness::SamePhone => "same phone",
            Likeness::SameEmail => "same e-mail",
            Likeness::SameBirthDate => "same birth date",
        }
    }
}

/// `likely_people`: who a name typed at the desk (with what else is known) could be.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct LikelyPeople {
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub date_of_birth: Option<LocalDate>,
}

/// A record the typed person could be, with what tells them apart.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct LikelyPerson {
    pub id: PersonId,
    pub full_name: String,
    pub preferred_name: String,
    pub phone: String,
    pub email: String,
    pub date_of_birth: Option<String>,
    pub last_visit_ms: Option<i64>,
    pub next_visit_ms: Option<i64>,
    pub visits: i64,
    pub alert: Option<AlertSeverity>,
    /// What they share with what was typed, strongest first.
    pub likeness: Vec<Likeness>,
}

/// A person as the rules compare them: folded names and contact keys.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    pub id: PersonId,
    /// Folded "given family", single-spaced.
    pub name: String,
    /// Folded "preferred family", when a preferred name is set.
    pub called: Option<String>,
    /// Every form of every number (international and national digits).
    pub phones: Vec<String>,
    pub email: String,
    pub birth: Option<String>,
}

fn squash(s: &str) -> String {
    fold(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A folded name's words in order: the same key for "zoe muller" and "muller zoe".
pub(crate) fn name_key(s: &str) -> String {
    let mut w: Vec<&str> = s.split_whitespace().collect();
    w.sort_unstable();
    w.join(" ")
}

impl Facts {
    pub(crate) fn new(
        id: PersonId,
        given: &str,
        family: &str,
        preferred: &str,
        phone_digits: &str,
        email: &str,
        birth: Option<String>,
    ) -> Facts {
        let name = squash(&full_name(given, family));
        let called = (!preferred.trim().is_empty() && fold(preferred.trim()) != fold(given.trim()))
            .then(|| squash(&full_name(preferred, family)));
        Facts {
            id,
            name,
            called,
            phones: phone_digits
                .split_whitespace()
                .filter(|d| d.len() >= 6)
                .map(str::to_owned)
                .collect(),
            email: email.trim().to_lowercase(),
            birth,
        }
    }

    /// The names this person answers to: their own and, if set, their preferred one.
    fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.called.as_deref())
    }
}

/// How alike two folded names are: the same (any order), close, or not.
pub(crate) fn name_likeness(a: &str, b: &str) -> Option<Likeness> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    if a == b || name_key(a) == name_key(b) {
        return Some(Likeness::SameName);
    }
    // A slip or two in long names, word by word: "kowalsky" for "kowalski",
    // "margret" for "margaret". Never in the first letter, and never in a
    // short name, where one letter makes another name (Ana, Eva; Tom, Tim).
    let (aw, bw): (Vec<&str>, Vec<&str>) = (
        a.split_whitespace().collect(),
        b.split_whitespace().collect(),
    );
    if aw.len() != bw.len() {
        return None;
    }
    let mut edits = 0;
    for (x, y) in aw.iter().zip(&bw) {
        if x == y {
            continue;
        }
        let short = x.chars().count().min(y.chars().count()) < 5;
        if short || x.chars().next() != y.chars().next() {
            return None;
        }
        let e = strsim::damerau_levenshtein(x, y);
        if strsim::normalized_damerau_levenshtein(x, y) < 0.75 {
            return None;
        }
        edits += e;
    }
    (edits <= 2).then_some(Likeness::CloseName)
}

/// Everything `a` and `b` have in common, strongest first.
pub(crate) fn likeness(a: &Facts, b: &Facts) -> Vec<Likeness> {
    let mut out = Vec::new();
    let name = a
        .names()
        .flat_map(|x| b.names().map(move |y| name_likeness(x, y)))
        .flatten()
        .min();
    out.extend(name);
    if a.phones.iter().any(|p| b.phones.contains(p)) {
        out.push(Likeness::SamePhone);
    }
    if !a.email.is_empty() && a.email == b.email {
        out.push(Likeness::SameEmail);
    }
    if a.birth.is_some() && a.birth == b.birth {
        out.push(Likeness::SameBirthDate);
    }
    out
}

/// Whether what two records share makes them likely one person: the same
/// name not contradicted by two different birth dates, or a close name with
/// a phone, e-mail or birth date in common. A shared phone alone is a
/// household (a parent's number on a child's record), not a duplicate.
pub(crate) fn likely_same(a: &Facts, b: &Facts, shared: &[Likeness]) -> bool {
    let born_apart = a.birth.is_some() && b.birth.is_some() && a.birth != b.birth;
    if born_apart {
        return false;
    }
    match shared.first() {
        Some(Likeness::SameName) => true,
        Some(Likeness::CloseName) => shared.len() > 1,
        _ => false,
    }
}

/// Read the facts of live records (not archived, merged or erased).
pub(crate) fn facts_of(ctx: &ReadCtx<'_>, ids: &[PersonId]) -> CoreResult<Vec<Facts>> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT given_name, family_name, preferred_name, phone_digits, email, date_of_birth FROM people
          WHERE id = ?1 AND archived = 0 AND merged_into IS NULL AND erased_at_ms IS NULL",
    )?;
    let mut out = Vec::new();
    for &id in ids {
        let mut rows = stmt.query([id])?;
        if let Some(r) = rows.next()? {
            out.push(Facts::new(
                id,
                &r.get::<_, String>(0)?,
                &r.get::<_, String>(1)?,
                &r.get::<_, String>(2)?,
                &r.get::<_, String>(3)?,
                &r.get::<_, String>(4)?,
                r.get(5)?,
            ));
        }
    }
    Ok(out)
}

/// Records worth comparing with `typed`: names sharing a word's start or a
/// run of letters (the trigram index), the same phone digits, e-mail or birth date.
fn candidates(ctx: &ReadCtx<'_>, typed: &Facts) -> CoreResult<Vec<PersonId>> {
    let mut ids: HashSet<PersonId> = HashSet::new();
    let mut fts = ctx
        .tx
        .prepare_cached("SELECT rowid FROM people_search WHERE people_search MATCH ?1 LIMIT 400")?;
    let mut add = |q: String| -> CoreResult<()> {
        for id in fts.query_map([q], |r| r.get::<_, PersonId>(0))? {
            ids.insert(id?);
        }
        Ok(())
    };
    // Every word of the name must be there (in any order): a short one whole (one letter
    // makes another name), a long one by its first half or its second (a slip leaves one
    // of them whole). One query, so a common first name does not flood the candidates.
    let quoted = |w: &str| format!("\"{}\"", w.replace('"', ""));
    let parts: Vec<String> = typed
        .name
        .split_whitespace()
        .filter_map(|word| {
            let chars: Vec<char> = word.chars().collect();
            match chars.len() {
                0..=2 => None,
                3..=5 => Some(quoted(word)),
                n => {
                    let head: String = chars[..n / 2].iter().collect();
                    let tail: String = chars[n / 2..].iter().collect();
                    Some(format!("({} OR {})", quoted(&head), quoted(&tail)))
                }
            }
        })
        .collect();
    if !parts.is_empty() {
        add(format!("name : ({})", parts.join(" AND ")))?;
    }
    for p in &typed.phones {
        add(format!("phone_digits : \"{p}\""))?;
    }
    drop(fts);
    if !typed.email.is_empty() {
        let mut stmt = ctx
            .tx
            .prepare_cached("SELECT id FROM people WHERE lower(email) = ?1 AND email <> ''")?;
        for id in stmt.query_map([&typed.email], |r| r.get::<_, PersonId>(0))? {
            ids.insert(id?);
        }
    }
    if let Some(b) = &typed.birth {
        let mut stmt = ctx
            .tx
            .prepare_cached("SELECT id FROM people WHERE date_of_birth = ?1")?;
        for id in stmt.query_map([b], |r| r.get::<_, PersonId>(0))? {
            ids.insert(id?);
        }
    }
    let mut ids: Vec<PersonId> = ids.into_iter().collect();
    ids.sort_unstable();
    Ok(ids)
}

/// What was typed, as the rules compare it.
pub(crate) fn typed_facts(
    ctx: &ReadCtx<'_>,
    name: &str,
    phone: &str,
    email: &str,
    birth: Option<LocalDate>,
) -> CoreResult<Facts> {
    let region = crate::setup::practice::load(ctx)?.and_then(|p| phones::region(&p.country));
    let digits =
        phones::normalise(region, phone).map_or_else(|| phones::digits_of(phone), |p| p.digits);
    let (given, family) = name.trim().split_once(' ').unwrap_or((name.trim(), ""));
    Ok(Facts::new(
        PersonId(0),
        given,
        family,
        "",
        &digits,
        email,
        birth.map(|d| d.date().to_string()),
    ))
}

/// Everyone `typed` could be, each with what they share: the name matches
/// first, then those sharing only a phone, e-mail or birth date.
pub(crate) fn matches(ctx: &ReadCtx<'_>, typed: &Facts) -> CoreResult<Vec<(Facts, Vec<Likeness>)>> {
    let ids = candidates(ctx, typed)?;
    let mut out: Vec<(Facts, Vec<Likeness>)> = facts_of(ctx, &ids)?
        .into_iter()
        .filter_map(|f| {
            let shared = likeness(typed, &f);
            (!shared.is_empty()).then_some((f, shared))
        })
        .collect();
    out.sort_by(|(a, x), (b, y)| {
        x.first()
            .cmp(&y.first())
            .then(y.len().cmp(&x.len()))
            .then(a.id.cmp(&b.id))
    });
    Ok(out)
}

/// What a booking typed with a name (and phone) decides, before anything is written.
#[derive(Debug, PartialEq)]
pub(crate) enum Decision {
    /// Exactly one record with this name and this phone or birth date.
    Known(PersonId),
    /// Nobody by that name: a new record.
    New,
    /// Someone by that name (or close), with nothing to tell them apart.
    Ask(Vec<PersonId>),
}

/// The matches by name (the same or close) that a birth date does not set apart.
fn by_name<'a>(
    typed: &Facts,
    found: &'a [(Facts, Vec<Likeness>)],
) -> Vec<&'a (Facts, Vec<Likeness>)> {
    found
        .iter()
        .filter(|(f, l)| {
            matches!(l.first(), Some(Likeness::SameName | Likeness::CloseName))
                && !(typed.birth.is_some() && f.birth.is_some() && typed.birth != f.birth)
        })
        .collect()
}

/// A new record is refused while anyone by its name (or close) is not set
/// apart by a birth date: the candidates, for [`refusal`].
pub(crate) fn named_like(ctx: &ReadCtx<'_>, typed: &Facts) -> CoreResult<Vec<PersonId>> {
    let found = matches(ctx, typed)?;
    Ok(by_name(typed, &found).iter().map(|(f, _)| f.id).collect())
}

pub(crate) fn decide(ctx: &ReadCtx<'_>, typed: &Facts) -> CoreResult<Decision> {
    let found = matches(ctx, typed)?;
    let named = by_name(typed, &found);
    if named.is_empty() {
        return Ok(Decision::New);
    }
    let exact: Vec<PersonId> = named
        .iter()
        .filter(|(_, l)| {
            l[0] == Likeness::SameName
                && (l.contains(&Likeness::SamePhone) || l.contains(&Likeness::SameBirthDate))
        })
        .map(|(f, _)| f.id)
        .collect();
    if let [one] = exact[..] {
        return Ok(Decision::Known(one));
    }
    Ok(Decision::Ask(named.iter().map(|(f, _)| f.id).collect()))
}

/// The refusal a booking typed with a known name gets: who it could be, in
/// the receptionist's words, with the candidates for the dialog to offer.
pub(crate) fn refusal(
    ctx: &ReadCtx<'_>,
    typed: &Facts,
    ids: &[PersonId],
    person_word: &str,
) -> CoreResult<CoreError> {
    let found: Vec<LikelyPerson> = describe(ctx, typed, ids)?;
    let names: Vec<String> = found.iter().take(3).map(|p| p.full_name.clone()).collect();
    let who = match names.len() {
        1 => format!("There is already a {person_word} called {}.", names[0]),
        n => format!(
            "There are already {n} {person_word}s with this name or one like it: {}.",
            names.join(", ")
        ),
    };
    Ok(CoreError::MaybeKnown {
        message: format!("{who} Pick them from the list, or say this is someone new."),
        candidates: serde_json::to_value(&found).unwrap_or_default(),
    })
}

/// "patient" or "guest".
fn person_word(ctx: &ReadCtx<'_>) -> CoreResult<&'static str> {
    Ok(match crate::setup::practice::require(ctx)?.kind {
        crate::kind::PracticeKind::Dental => "patient",
        crate::kind::PracticeKind::Hotel => "guest",
    })
}

/// The person a booking typed as `name` + `phone` belongs to: the one record
/// with this name and phone, or a new record when nobody has this name or one
/// like it. A known name with nothing to tell who it is is refused with the
/// candidates, unless the desk said this is `someone_new`. Returns them and
/// the phone as shown.
pub fn find_or_create(
    ctx: &mut Ctx<'_>,
    name: &str,
    phone: &str,
    someone_new: bool,
) -> CoreResult<(PersonId, String)> {
    if !someone_new {
        let shown = records::booking_phone(ctx, phone)?.display;
        let typed = typed_facts(ctx, name, &shown, "", None)?;
        match decide(ctx, &typed)? {
            Decision::Known(id) => return Ok((id, shown)),
            Decision::New => {}
            Decision::Ask(ids) => return Err(refusal(ctx, &typed, &ids, person_word(ctx)?)?),
        }
    }
    records::insert_typed(ctx, name, phone)
}

/// A new record (`save_person`) is refused while someone by its name, or a
/// close one, is not set apart by a birth date.
pub fn refuse_if_known(ctx: &ReadCtx<'_>, req: &records::SavePerson) -> CoreResult<()> {
    if req.id.is_some() || req.someone_new {
        return Ok(());
    }
    let name = full_name(req.given_name.trim(), req.family_name.trim());
    let typed = typed_facts(ctx, &name, &req.phone, &req.email, req.date_of_birth)?;
    let like = named_like(ctx, &typed)?;
    if like.is_empty() {
        return Ok(());
    }
    Err(refusal(ctx, &typed, &like, person_word(ctx)?)?)
}

/// `likely_people`.
pub fn likely(ctx: &ReadCtx<'_>, req: LikelyPeople) -> CoreResult<Vec<LikelyPerson>> {
    if req.name.trim().chars().count() < 2 {
        return Ok(vec![]);
    }
    let typed = typed_facts(ctx, &req.name, &req.phone, &req.email, req.date_of_birth)?;
    let found = matches(ctx, &typed)?;
    let ids: Vec<PersonId> = found.iter().take(5).map(|(f, _)| f.id).collect();
    describe(ctx, &typed, &ids)
}

/// The records `ids` as the desk compares them with `typed`.
fn describe(ctx: &ReadCtx<'_>, typed: &Facts, ids: &[PersonId]) -> CoreResult<Vec<LikelyPerson>> {
    let facts: BTreeMap<PersonId, Facts> =
        facts_of(ctx, ids)?.into_iter().map(|f| (f.id, f)).collect();
    let mut out = Vec::new();
    for id in ids {
        let Some(f) = facts.get(id) else { continue };
        let mut p = summary(ctx, *id)?;
        p.likeness = likeness(typed, f);
        out.push(p);
    }
    Ok(out)
}

/// One record as a candidate shows it (no likeness yet).
pub(crate) fn summary(ctx: &ReadCtx<'_>, id: PersonId) -> CoreResult<LikelyPerson> {
    let mut stmt = ctx.tx.prepare_cached(concat!(
        "SELECT p.given_name, p.family_name, p.preferred_name, p.phone, p.email, p.date_of_birth,
                (SELECT max(b.starts_at_ms) FROM bookings b WHERE b.person_id = p.id AND b.live = 1 AND b.ends_at_ms <= ?2),
                (SELECT min(b.starts_at_ms) FROM bookings b WHERE b.person_id = p.id AND b.live = 1 AND b.ends_at_ms > ?2),
                (SELECT count(*) FROM bookings b WHERE b.person_id = p.id AND b.live = 1), ",
        most_serious_alert_sql!("p.id"),
        " FROM people p WHERE p.id = ?1"
    ))?;
    Ok(stmt.query_row(params![id, ctx.now_ms], |r| {
        Ok(LikelyPerson {
            id,
            full_name: full_name(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?),
            preferred_name: r.get(2)?,
            phone: r.get(3)?,
            email: r.get(4)?,
            date_of_birth: r.get(5)?,
            last_visit_ms: r.get(6)?,
            next_visit_ms: r.get(7)?,
            visits: r.get(8)?,
            alert: r.get::<_, Option<i64>>(9)?.map(AlertSeverity::from_rank),
            likeness: vec![],
        })
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str, phone: &str, email: &str, birth: Option<&str>) -> Facts {
        let (g, fam) = name.split_once(' ').unwrap_or((name, ""));
        Facts::new(
            PersonId(1),
            g,
            fam,
            "",
            phone,
            email,
            birth.map(str::to_owned),
        )
    }

    #[test]
    fn names_are_the_same_folded_and_in_either_order() {
        assert_eq!(
            name_likeness("zoe muller", "muller zoe"),
            Some(Likeness::SameName)
        );
        assert_eq!(squash(" Zoë   Müller "), "zoe muller");
        assert_eq!(
            name_likeness("jan kowalski", "jan kowalsky"),
            Some(Likeness::CloseName)
        );
        assert_eq!(
            name_likeness("margaret thompson", "margret thompson"),
            Some(Likeness::CloseName)
        );
        assert_eq!(
            name_likeness("ana ruiz", "eva ruiz"),
            None,
            "a household, not a slip"
        );
        assert_eq!(
            name_likeness("ana ruiz", "ana cruz"),
            None,
            "two letters in eight is another name"
        );
        assert_eq!(name_likeness("john smith", "jane smith"), None);
        assert_eq!(name_likeness("tom lee", "tim lee"), None);
        assert_eq!(
            name_likeness("jan kowalski", "jon kowalski"),
            None,
            "Jan and Jon are two names"
        );
        assert_eq!(
            name_likeness("jan kowalski", "jan jowalski"),
            None,
            "not in the first letter"
        );
    }

    #[test]
    fn the_same_name_is_likely_one_person_unless_born_on_different_days() {
        let a = f("Ana Ruiz", "447700900123", "", Some("1980-03-01"));
        let b = f("Ana Ruiz", "447700900999", "", None);
        let c = f("Ana Ruiz", "", "", Some("1991-07-12"));
        assert!(likely_same(&a, &b, &likeness(&a, &b)));
        assert!(
            !likely_same(&a, &c, &likeness(&a, &c)),
            "born apart: two people"
        );
        let m = f("Margaret Thompson", "447700900123", "", None);
        let typo = f("Margaret Thomson", "447700900123", "", None);
        assert_eq!(
            likeness(&m, &typo),
            vec![Likeness::CloseName, Likeness::SamePhone]
        );
        assert!(likely_same(&m, &typo, &likeness(&m, &typo)));
        let typo_alone = f("Margaret Thomson", "", "", None);
        assert!(!likely_same(&m, &typo_alone, &likeness(&m, &typo_alone)));
        let household = f("Eva Ruiz", "447700900123", "", None);
        assert_eq!(likeness(&a, &household), vec![Likeness::SamePhone]);
        assert!(!likely_same(&a, &household, &likeness(&a, &household)));
    }

    #[test]
    fn a_preferred_name_is_a_name_they_answer_to() {
        let kasia = Facts::new(PersonId(2), "Katarzyna", "Nowak", "Kasia", "", "", None);
        let typed = f("Kasia Nowak", "", "", None);
        assert_eq!(likeness(&typed, &kasia), vec![Likeness::SameName]);
    }
}
