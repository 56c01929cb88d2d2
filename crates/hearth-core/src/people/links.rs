//! Household links between people (`person_links`): a partner, family. One
//! row per pair, read from both sides. Removed, never deleted.
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::PersonId;
use crate::people::records;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Partner,
    Family,
    Other,
}

stored_enum!(Relation, Other { Partner = "partner", Family = "family", Other = "other" });

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Link {
    pub id: i64,
    pub other_id: PersonId,
    pub other_name: String,
    pub relation: Relation,
}

/// `link_people`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct LinkPeople {
    pub person_id: PersonId,
    pub other_id: PersonId,
    pub relation: Relation,
}

/// `unlink_people`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct UnlinkPeople {
    /// Whose page asks (the answer is their links).
    pub person_id: PersonId,
    pub id: i64,
}

pub fn of(ctx: &ReadCtx<'_>, person: PersonId) -> CoreResult<Vec<Link>> {
    let mut stmt = ctx.tx.prepare_cached(
        concat!("SELECT l.id, p.id, ", full_name_sql!("p"), ", l.relation
           FROM person_links l JOIN people p ON p.id = CASE WHEN l.person_id = ?1 THEN l.other_id ELSE l.person_id END
          WHERE (l.person_id = ?1 OR l.other_id = ?1) AND l.removed = 0 ORDER BY l.id"),
    )?;
    let rows = stmt.query_map([person], |r| {
        Ok(Link {
            id: r.get(0)?,
            other_id: r.get(1)?,
            other_name: r.get(2)?,
            relation: Relation::parse(&r.get::<_, String>(3)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn add(ctx: &mut Ctx<'_>, req: LinkPeople) -> CoreResult<Vec<Link>> {
    if req.person_id == req.other_id {
        return Err(CoreError::invalid(
            "other_id",
            "A person can't be linked to themselves.",
        ));
    }
    records::get(ctx, req.person_id)?;
    let other = records::get(ctx, req.other_id)?;
    if of(ctx, req.person_id)?
        .iter()
        .any(|l| l.other_id == req.other_id)
    {
        return Err(CoreError::invalid(
            "other_id",
            format!("{} is already linked.", other.full_name),
        ));
    }
    ctx.tx.execute(
        "INSERT INTO person_links (person_id, other_id, relation, created_by, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![req.person_id, req.other_id, req.relation.as_str(), ctx.actor.staff_id, ctx.now_ms],
    )?;
    ctx.changed(topics::PERSON_CHANGED, req.person_id);
    ctx.changed(topics::PERSON_CHANGED, req.other_id);
    ctx.detail(serde_json::json!({ "person_id": req.person_id, "other_id": req.other_id }));
    of(ctx, req.person_id)
}

pub fn remove(ctx: &mut Ctx<'_>, req: UnlinkPeople) -> CoreResult<Vec<Link>> {
    let n = ctx.tx.execute(
        "UPDATE person_links SET removed = 1 WHERE id = ?1 AND removed = 0 AND (person_id = ?2 OR other_id = ?2)",
        params![req.id, req.person_id],
    )?;
    if n == 0 {
        return Err(CoreError::not_found("That link"));
    }
    ctx.changed(topics::PERSON_CHANGED, req.person_id);
    ctx.detail(serde_json::json!({ "person_id": req.person_id }));
    of(ctx, req.person_id)
}

/// A merge: the merged record's links become the survivor's (a link between
/// the two is dropped). Returns how many moved.
pub(crate) fn move_person(ctx: &mut Ctx<'_>, from: PersonId, to: PersonId) -> CoreResult<usize> {
    ctx.tx.execute(
        "UPDATE person_links SET removed = 1 WHERE removed = 0 AND ((person_id = ?1 AND other_id = ?2) OR (person_id = ?2 AND other_id = ?1))",
        params![from, to],
    )?;
    let a = ctx.tx.execute(
        "UPDATE person_links SET person_id = ?2 WHERE person_id = ?1 AND removed = 0",
        params![from, to],
    )?;
    let b = ctx.tx.execute(
        "UPDATE person_links SET other_id = ?2 WHERE other_id = ?1 AND removed = 0",
        params![from, to],
    )?;
    Ok(a + b)
}

/// An erasure: the person's links go.
pub(crate) fn erase_for(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<usize> {
    Ok(ctx.tx.execute(
        "UPDATE person_links SET removed = 1 WHERE person_id = ?1 OR other_id = ?1",
        [person],
    )?)
}
