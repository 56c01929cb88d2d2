//! A new practice: the practice row and its hours, its first manager (with a
//! login and password, signed in at once by `gate`), and the starter set of
//! chairs or rooms and appointment or stay types the manager then edits.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{passwords, StaffRole};
use crate::app::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::StaffId;
use crate::request;
use crate::setup::practice::{self, DayHours, Practice, PracticeKind};
use crate::setup::{appointment_types, clean_text, resources, staff, task_rules};

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SetupPractice {
    pub kind: PracticeKind,
    pub name: String,
    pub time_zone: String,
    /// The person setting up; becomes the first manager.
    pub manager_name: String,
    /// The first manager's login and password.
    pub manager_login: String,
    pub manager_password: String,
    #[serde(default)]
    pub slot_minutes: Option<u8>,
    #[serde(default, deserialize_with = "request::option_objects")]
    pub opening_hours: Option<Vec<DayHours>>,
    /// ISO country code for phone numbers ("GB"); empty or left out: none.
    #[serde(default)]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct SetupDone {
    pub practice: Practice,
    pub manager_id: StaffId,
}

/// Sets up a new practice; its first manager signs in with the login and
/// password given.
pub fn setup(ctx: &mut Ctx<'_>, req: SetupPractice) -> CoreResult<SetupDone> {
    passwords::check_new("manager_password", &req.manager_password)?;
    let hash = passwords::hash(&req.manager_password)?;
    create(ctx, req, &hash)
}

/// [`setup`] with the manager's password already hashed (the demo's).
pub(crate) fn create(
    ctx: &mut Ctx<'_>,
    req: SetupPractice,
    manager_password_hash: &str,
) -> CoreResult<SetupDone> {
    if practice::load(ctx)?.is_some() {
        return Err(CoreError::invalid(
            "kind",
            "This practice is already set up.",
        ));
    }
    let name = clean_text("name", "The practice name", &req.name, 120, true)?;
    let tz = practice::parse_tz(&req.time_zone)?;
    let slot = practice::check_slot_minutes(req.slot_minutes.unwrap_or(15))?;
    let hours = match (req.kind, req.opening_hours) {
        (_, Some(h)) => h,
        (PracticeKind::Dental, None) => practice::default_hours(),
        // A hotel's desk is open every day, around the clock.
        (PracticeKind::Hotel, None) => (0..7)
            .map(|w| DayHours {
                weekday: w,
                opens: 0,
                closes: 1440,
                breaks: vec![],
            })
            .collect(),
    };
    practice::check_hours(&hours)?;
    let country = practice::check_country(req.country.as_deref().unwrap_or(""))?;
    practice::insert(ctx, req.kind, &name, tz, slot, &hours)?;
    practice::set_country(ctx, &country)?;
    task_rules::seed_defaults(ctx, req.kind)?;
    let login = staff::clean_login(&req.manager_login)?;
    let manager_id = staff::insert(ctx, &req.manager_name, StaffRole::Manager, "#2563eb")?;
    staff::set_credentials(ctx, manager_id, Some(&login), manager_password_hash, false)?;
    starter_resources(ctx, req.kind)?;
    starter_types(ctx, req.kind)?;
    ctx.changed(topics::PRACTICE_CHANGED, 1);
    ctx.detail(serde_json::json!({ "kind": req.kind.as_str() }));
    Ok(SetupDone {
        practice: practice::require(ctx)?,
        manager_id,
    })
}

/// A new practice starts with something to book: two chairs and a dentist, or
/// a few rooms of two types. The manager renames or archives them.
fn starter_resources(ctx: &mut Ctx<'_>, kind: PracticeKind) -> CoreResult<()> {
    match kind {
        PracticeKind::Dental => {
            resources::insert_raw(
                ctx,
                resources::ResourceKind::Chair,
                "Chair 1",
                "#0ea5e9",
                None,
                None,
                1,
            )?;
            resources::insert_raw(
                ctx,
                resources::ResourceKind::Chair,
                "Chair 2",
                "#14b8a6",
                None,
                None,
                2,
            )?;
            let dentist = staff::insert(ctx, "Dentist", StaffRole::Practitioner, "#7c3aed")?;
            resources::insert_raw(
                ctx,
                resources::ResourceKind::Provider,
                "Dentist",
                "#7c3aed",
                None,
                Some(dentist),
                10,
            )?;
        }
        PracticeKind::Hotel => {
            let double = resources::insert_room_type(ctx, "Double")?;
            let suite = resources::insert_room_type(ctx, "Suite")?;
            for (i, n) in ["101", "102", "103", "104"].iter().enumerate() {
                resources::insert_raw(
                    ctx,
                    resources::ResourceKind::Room,
                    &format!("Room {n}"),
                    "#0ea5e9",
                    Some(double),
                    None,
                    i as i32 + 1,
                )?;
            }
            resources::insert_raw(
                ctx,
                resources::ResourceKind::Room,
                "Room 201",
                "#a855f7",
                Some(suite),
                None,
                10,
            )?;
        }
    }
    Ok(())
}

/// The usual appointment types (dental) or one "Stay" type (hotel).
fn starter_types(ctx: &mut Ctx<'_>, kind: PracticeKind) -> CoreResult<()> {
    match kind {
        PracticeKind::Dental => {
            // Both bring the patient back after six months (schema v12 gives
            // an upgraded practice the same).
            for (name, minutes, colour) in [("Check-up", 30, "#0ea5e9"), ("Hygiene", 45, "#10b981")]
            {
                let id = appointment_types::insert(ctx, name, minutes, colour, true, true, false)?;
                appointment_types::set_recall(ctx, id, Some(6))?;
            }
            appointment_types::insert(ctx, "Filling", 60, "#f59e0b", true, true, false)?;
            appointment_types::insert(ctx, "Crown prep", 90, "#8b5cf6", true, true, false)?;
            appointment_types::insert(ctx, "Emergency", 30, "#ef4444", true, true, false)?;
        }
        PracticeKind::Hotel => {
            appointment_types::insert(ctx, "Stay", 1440, "#0ea5e9", false, false, true)?;
        }
    }
    Ok(())
}
