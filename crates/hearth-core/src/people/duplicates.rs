//! The possible-duplicates list: pairs of live records that are likely one
//! person by `likely.rs`'s rules (the same name not contradicted by birth
//! dates; a close name with a phone, e-mail or birth date in common), for the
//! desk to merge (`merge.rs`) or keep apart. "Not the same person" is
//! remembered (`people_distinct`), so the pair never comes back.
//!
//! Records are compared only within groups that share something — a name, a
//! phone number, an e-mail or a birth date — so the list stays quick on a
//! practice with tens of thousands of people.
use std::collections::{BTreeSet, HashMap};

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::PersonId;
use crate::people::likely::{self, Facts, LikelyPerson, Likeness};

/// A shared phone or birth date on more records than this is a switchboard
/// or a coincidence, not a clue: such groups are not compared pairwise.
const GROUP_LIMIT: usize = 40;
/// The list shows at most this many pairs, the likeliest first.
const LIST_LIMIT: usize = 100;

/// `list_possible_duplicates`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListDuplicates {}

/// Two records likely of one person.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct DuplicatePair {
    /// The record to keep if they are merged: the one with more visits, then the older.
    pub keep: LikelyPerson,
    /// The record merged into `keep`.
    pub merge: LikelyPerson,
    /// What they have in common, strongest first.
    pub likeness: Vec<Likeness>,
}

/// `keep_people_apart`: two records the desk says are different people.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeepApart {
    pub person_id: PersonId,
    pub other_id: PersonId,
}

fn live_facts(ctx: &ReadCtx<'_>) -> CoreResult<Vec<Facts>> {
    let mut stmt = ctx.tx.prepare(
        "SELECT id, given_name, family_name, preferred_name, phone_digits, email, date_of_birth FROM people
          WHERE archived = 0 AND merged_into IS NULL AND erased_at_ms IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Facts::new(
            r.get(0)?,
            &r.get::<_, String>(1)?,
            &r.get::<_, String>(2)?,
            &r.get::<_, String>(3)?,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
            r.get(6)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn kept_apart(ctx: &ReadCtx<'_>) -> CoreResult<BTreeSet<(PersonId, PersonId)>> {
    let mut stmt = ctx
        .tx
        .prepare("SELECT low_id, high_id FROM people_distinct")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every likely pair among `people` (lower id first) with what they share.
pub(crate) fn pairs(people: &[Facts]) -> Vec<(PersonId, PersonId, Vec<Likeness>)> {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, f) in people.iter().enumerate() {
        let mut keys = vec![format!("n:{}", likely::name_key(&f.name))];
        keys.extend(
            f.called
                .iter()
                .map(|c| format!("n:{}", likely::name_key(c))),
        );
        keys.extend(f.phones.iter().map(|p| format!("p:{p}")));
        if !f.email.is_empty() {
            keys.push(format!("e:{}", f.email));
        }
        keys.extend(f.birth.iter().map(|b| format!("b:{b}")));
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            groups.entry(k).or_default().push(i);
        }
    }
    let mut seen: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut out = Vec::new();
    for (key, members) in &groups {
        // A common name ("John Smith" forty times) is still compared: the
        // birth dates keep most of them apart. Contact keys are capped.
        if members.len() < 2 || (!key.starts_with("n:") && members.len() > GROUP_LIMIT) {
            continue;
        }
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let (i, j) = (i.min(j), i.max(j));
                if !seen.insert((i, j)) {
                    continue;
                }
                let (a, b) = (&people[i], &people[j]);
                let shared = likely::likeness(a, b);
                if likely::likely_same(a, b, &shared) {
                    out.push((a.id.min(b.id), a.id.max(b.id), shared));
                }
            }
        }
    }
    out
}

/// `list_possible_duplicates`.
pub fn list(ctx: &ReadCtx<'_>, _req: ListDuplicates) -> CoreResult<Vec<DuplicatePair>> {
    let apart = kept_apart(ctx)?;
    let mut found: Vec<_> = pairs(&live_facts(ctx)?)
        .into_iter()
        .filter(|(a, b, _)| !apart.contains(&(*a, *b)))
        .collect();
    // The likeliest first: more in common, then the same name before a close one.
    found.sort_by(|(a1, b1, x), (a2, b2, y)| {
        y.len()
            .cmp(&x.len())
            .then(x.first().cmp(&y.first()))
            .then((a1, b1).cmp(&(a2, b2)))
    });
    found.truncate(LIST_LIMIT);
    let mut out = Vec::with_capacity(found.len());
    for (a, b, likeness) in found {
        let (a, b) = (likely::summary(ctx, a)?, likely::summary(ctx, b)?);
        // The older record (lower id) stays when the visits are equal.
        let (keep, merge) = if b.visits > a.visits { (b, a) } else { (a, b) };
        out.push(DuplicatePair {
            keep,
            merge,
            likeness,
        });
    }
    Ok(out)
}

/// `keep_people_apart`: the pair leaves the list for good.
pub fn keep_apart(ctx: &mut Ctx<'_>, req: KeepApart) -> CoreResult<Vec<DuplicatePair>> {
    if req.person_id == req.other_id {
        return Err(CoreError::invalid(
            "other_id",
            "Choose two different records.",
        ));
    }
    for id in [req.person_id, req.other_id] {
        let p = crate::people::records::get(ctx, id)?;
        if p.merged_into.is_some() || p.erased {
            return Err(CoreError::invalid(
                "other_id",
                format!("{} was merged or erased already.", p.full_name),
            ));
        }
    }
    let (low, high) = (
        req.person_id.min(req.other_id),
        req.person_id.max(req.other_id),
    );
    ctx.tx.execute(
        "INSERT INTO people_distinct (low_id, high_id, decided_by, decided_at_ms) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
        params![low, high, ctx.actor.staff_id, ctx.now_ms],
    )?;
    ctx.changed(topics::PERSON_CHANGED, low);
    ctx.changed(topics::PERSON_CHANGED, high);
    ctx.detail(serde_json::json!({ "person_id": low, "other_id": high }));
    list(ctx, ListDuplicates {})
}
