//! Merging two records of one person: the merged record's bookings, alerts,
//! important dates, notes, links, incidents, tasks, handoffs, waitlist
//! requests and recall calls move to the survivor;
//! what the survivor lacks it takes over; the merged record is archived,
//! pointing at the survivor; what follows from a booking change runs again
//! on the survivor's coming bookings (`follow::person_absorbed`: an
//! anniversary or a remembered incident that came with the merged record
//! acts on them as if it had always been the survivor's); and the merge
//! (who, when, what moved) is shown on the survivor's page. One transaction.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::Ctx;
use crate::care::person_data::Held;
use crate::care::{follow, handoffs, incidents, recall, tasks, waitlist};
use crate::error::{CoreError, CoreResult};
use crate::ids::PersonId;
use crate::people::records::{self, Person};
use crate::people::{alerts, dates, links, notes};
use crate::scheduling::bookings;

/// `merge_people`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct MergePeople {
    /// The record that stays.
    pub survivor_id: PersonId,
    /// The duplicate, merged into it.
    pub merged_id: PersonId,
}

pub fn merge(ctx: &mut Ctx<'_>, req: MergePeople) -> CoreResult<Person> {
    if req.survivor_id == req.merged_id {
        return Err(CoreError::invalid(
            "merged_id",
            "Choose a different record to merge.",
        ));
    }
    let survivor = records::get(ctx, req.survivor_id)?;
    let merged = records::get(ctx, req.merged_id)?;
    for p in [&survivor, &merged] {
        if p.erased {
            return Err(CoreError::invalid(
                "merged_id",
                "An erased record can't be merged.",
            ));
        }
        if p.merged_into.is_some() {
            return Err(CoreError::invalid(
                "merged_id",
                format!("{} was already merged into another record.", p.full_name),
            ));
        }
    }
    // Everything held about the merged record moves (`person_data`: one list).
    let mut moved = serde_json::Map::new();
    for kind in Held::ALL {
        let (from, to) = (merged.id, survivor.id);
        let n = match kind {
            Held::Bookings => bookings::move_person(ctx, from, to, &survivor.full_name)?,
            Held::Alerts => alerts::move_person(ctx, from, to)?,
            Held::Dates => dates::move_person(ctx, from, to)?,
            Held::Notes => notes::move_person(ctx, from, to)?,
            Held::Links => links::move_person(ctx, from, to)?,
            Held::Incidents => incidents::move_person(ctx, from, to)?,
            Held::Tasks => tasks::move_person(ctx, from, to)?,
            Held::Handoffs => handoffs::move_person(ctx, from, to)?,
            Held::Waitlist => waitlist::move_person(ctx, from, to)?,
            Held::RecallCalls => recall::move_person(ctx, from, to)?,
        };
        moved.insert(kind.key().to_owned(), n.into());
    }
    let moved = serde_json::Value::Object(moved);
    records::absorb(ctx, survivor.id, merged.id, &moved)?;
    follow::person_absorbed(ctx, survivor.id)?;
    ctx.detail(
        serde_json::json!({ "survivor_id": survivor.id, "merged_id": merged.id, "moved": moved }),
    );
    records::get(ctx, survivor.id)
}
