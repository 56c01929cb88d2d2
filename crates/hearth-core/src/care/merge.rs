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
    let moved = serde_json::json!({
        "bookings": bookings::move_person(ctx, merged.id, survivor.id, &survivor.full_name)?,
        "alerts": alerts::move_person(ctx, merged.id, survivor.id)?,
        "dates": dates::move_person(ctx, merged.id, survivor.id)?,
        "notes": notes::move_person(ctx, merged.id, survivor.id)?,
        "links": links::move_person(ctx, merged.id, survivor.id)?,
        "incidents": incidents::move_person(ctx, merged.id, survivor.id)?,
        "tasks": tasks::move_person(ctx, merged.id, survivor.id)?,
        "handoffs": handoffs::move_person(ctx, merged.id, survivor.id)?,
        "waitlist": waitlist::move_person(ctx, merged.id, survivor.id)?,
        "recall_calls": recall::move_person(ctx, merged.id, survivor.id)?,
    });
    records::absorb(ctx, survivor.id, merged.id, &moved)?;
    follow::person_absorbed(ctx, survivor.id)?;
    ctx.detail(
        serde_json::json!({ "survivor_id": survivor.id, "merged_id": merged.id, "moved": moved }),
    );
    records::get(ctx, survivor.id)
}
