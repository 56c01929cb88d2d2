//! Roles and permissions: the one table of who may do what. Each command's
//! registry line names a [`Permission`]; `dispatch` asks [`StaffRole::may`]
//! before the command runs, and the UI hides what the signed-in role lacks
//! (the core refuses anyway).
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use rusqlite::OptionalExtension;

use crate::error::{CoreError, CoreResult};
use crate::ids::StaffId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    FrontDesk,
    Practitioner,
    Housekeeping,
    Manager,
}

/// What a command needs. The person-record permissions are defined ahead of
/// the commands that will name them, so the role table is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See the calendar, the practice's settings and its lists.
    ViewCalendar,
    /// Make, move, cancel bookings; change their status; block time.
    Book,
    /// Change the practice, its hours, chairs/rooms, types and closed days.
    ManageSettings,
    /// Add, edit and archive staff; reset their passwords.
    ManageStaff,
    /// Read the audit trail.
    ViewActivity,
    /// Change one's own password (every signed-in member).
    OwnAccount,
    ViewPerson,
    EditPerson,
    ExportPerson,
    ErasePerson,
    /// See the task boards; add, do and skip tasks.
    WorkTasks,
    /// Send and receive handoff notes.
    HandOff,
}

impl Permission {
    pub const ALL: &'static [Permission] = &[
        Permission::ViewCalendar,
        Permission::Book,
        Permission::ManageSettings,
        Permission::ManageStaff,
        Permission::ViewActivity,
        Permission::OwnAccount,
        Permission::ViewPerson,
        Permission::EditPerson,
        Permission::ExportPerson,
        Permission::ErasePerson,
        Permission::WorkTasks,
        Permission::HandOff,
    ];

    /// The action in a receptionist's words, for "Only managers can …".
    pub fn doing(self) -> &'static str {
        match self {
            Permission::ViewCalendar => "see the calendar",
            Permission::Book => "make or change bookings",
            Permission::ManageSettings => "change the practice settings",
            Permission::ManageStaff => "change staff",
            Permission::ViewActivity => "see the activity trail",
            Permission::OwnAccount => "change this account",
            Permission::ViewPerson => "open patient or guest records",
            Permission::EditPerson => "change patient or guest records",
            Permission::ExportPerson => "export patient or guest records",
            Permission::ErasePerson => "erase patient or guest records",
            Permission::WorkTasks => "see and work the task boards",
            Permission::HandOff => "send and receive handoffs",
        }
    }
}

impl StaffRole {
    pub const ALL: &'static [StaffRole] = &[
        StaffRole::FrontDesk,
        StaffRole::Practitioner,
        StaffRole::Housekeeping,
        StaffRole::Manager,
    ];

    /// The role → permissions table.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission as P;
        match self {
            StaffRole::Manager => P::ALL,
            StaffRole::FrontDesk => &[
                P::ViewCalendar,
                P::Book,
                P::OwnAccount,
                P::ViewPerson,
                P::EditPerson,
                P::WorkTasks,
                P::HandOff,
            ],
            StaffRole::Practitioner => &[
                P::ViewCalendar,
                P::Book,
                P::OwnAccount,
                P::ViewPerson,
                P::EditPerson,
                P::WorkTasks,
                P::HandOff,
            ],
            StaffRole::Housekeeping => &[P::ViewCalendar, P::OwnAccount, P::WorkTasks, P::HandOff],
        }
    }

    pub fn may(self, p: Permission) -> bool {
        self.permissions().contains(&p)
    }

    /// Refuses, in words, unless this role has `p`.
    pub fn require(self, p: Permission) -> CoreResult<()> {
        if self.may(p) {
            return Ok(());
        }
        let who: Vec<&str> = StaffRole::ALL
            .iter()
            .filter(|r| r.may(p))
            .map(|r| r.plural())
            .collect();
        // "the front desk, practitioners or managers"
        let who = match who.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => who.join(""),
        };
        Err(CoreError::Forbidden {
            message: format!("Only {who} can {}.", p.doing()),
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::FrontDesk => "front_desk",
            StaffRole::Practitioner => "practitioner",
            StaffRole::Housekeeping => "housekeeping",
            StaffRole::Manager => "manager",
        }
    }
    pub fn plural(self) -> &'static str {
        match self {
            StaffRole::FrontDesk => "the front desk",
            StaffRole::Practitioner => "practitioners",
            StaffRole::Housekeeping => "housekeeping",
            StaffRole::Manager => "managers",
        }
    }
    /// A member's role and whether they are archived (`None`: no such member).
    /// The one read of roles every permission check makes.
    pub fn of(conn: &rusqlite::Connection, id: StaffId) -> CoreResult<Option<(StaffRole, bool)>> {
        let row: Option<(String, bool)> = conn
            .query_row(
                "SELECT role, archived FROM staff WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(role, archived)| Ok((StaffRole::parse(&role)?, archived)))
            .transpose()
    }

    pub fn parse(s: &str) -> CoreResult<StaffRole> {
        Ok(match s {
            "front_desk" => StaffRole::FrontDesk,
            "practitioner" => StaffRole::Practitioner,
            "housekeeping" => StaffRole::Housekeeping,
            "manager" => StaffRole::Manager,
            other => return Err(CoreError::Storage(format!("unknown role {other}"))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_may_do_everything_and_housekeeping_may_not_book() {
        assert!(Permission::ALL.iter().all(|p| StaffRole::Manager.may(*p)));
        assert!(!StaffRole::Housekeeping.may(Permission::Book));
        assert!(!StaffRole::FrontDesk.may(Permission::ManageSettings));
        let e = StaffRole::Housekeeping
            .require(Permission::Book)
            .expect_err("refused");
        assert_eq!(e.code(), "staff.forbidden");
        assert_eq!(
            e.to_string(),
            "Only the front desk, practitioners or managers can make or change bookings."
        );
    }

    #[test]
    fn every_permission_is_held_by_someone() {
        for p in Permission::ALL {
            assert!(StaffRole::ALL.iter().any(|r| r.may(*p)), "{p:?}");
        }
    }
}
