//! The core's one error type. Every variant has a stable machine code
//! (`booking.overlap`, `input.invalid`, …) and a message a receptionist can act on.
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Bad input: a missing field, an end before a start, an unknown time zone.
    #[error("{message}")]
    Invalid {
        message: String,
        field: Option<String>,
    },
    /// A request field refused while parsing: missing, unknown, repeated,
    /// of the wrong type or out of range (`problem` says which).
    #[error("{message}")]
    Input {
        message: String,
        field: String,
        problem: &'static str,
    },
    #[error(
        "Hearth could not read what this screen sent, so nothing was saved. Reload the screen and try again."
    )]
    NotJson,
    /// A request that changes something sent as anything but JSON (a form,
    /// text/plain: what another site's page can send without asking first).
    #[error(
        "Hearth only accepts what its own screens send, so nothing was saved. Reload the screen and try again."
    )]
    NotJsonType,
    #[error("That is too much to save at once (over 1 MB), so nothing was saved. Shorten the notes and try again.")]
    TooLarge,
    #[error("This screen asked for something (\"{name}\") the Hearth on the practice computer doesn't know. The screen may be newer — update Hearth on the practice computer.")]
    UnknownCommand { name: String },
    #[error(
        "{what} was not found. It may have been removed on another desk — refresh and try again."
    )]
    NotFound { what: String },
    #[error("{message}")]
    Overlap {
        message: String,
        conflicting_booking_id: Option<i64>,
    },
    #[error("{message}")]
    OutsideHours { message: String },
    #[error("{message}")]
    Blocked { message: String },
    /// Making or moving a booking into the past without the override.
    #[error("{message}")]
    InPast { message: String },
    #[error("{message}")]
    Stale { message: String },
    /// Checking a guest into a room that is not clean or inspected, without
    /// saying so (`even_if_room_not_ready`).
    #[error("{message}")]
    RoomNotReady { message: String },
    /// Checking a guest into a room whose previous guest is still checked in.
    #[error("{message}")]
    RoomOccupied { message: String },
    /// A stay for a guest who already holds another room those nights, without
    /// saying it is meant (a family in two rooms: the override).
    #[error("{message}")]
    SecondRoom { message: String },
    /// A stay moved into a room of another type, without saying it is meant.
    #[error("{message}")]
    RoomTypeChanged { message: String },
    /// A typed name that matches someone already known, with nothing to tell
    /// them apart: the desk picks one of `candidates` or says it is someone new.
    #[error("{message}")]
    MaybeKnown {
        message: String,
        candidates: serde_json::Value,
    },
    #[error("{message}")]
    BadTransition { message: String },
    #[error("{message}")]
    Forbidden { message: String },
    /// No session, or one that was ended (signed out, archived, reset).
    #[error("{message}")]
    AuthRequired { message: String },
    /// A login and password that do not match. Never says which was wrong.
    #[error("That login and password don't match. Check the spelling and Caps Lock, or ask a manager to reset your password.")]
    BadCredentials,
    #[error("Too many wrong passwords for this login: it is locked for {minutes} minutes. Wait, or ask a manager to reset the password.")]
    Locked { minutes: u32 },
    /// A session idle past the practice's limit, or past its day.
    #[error("{message}")]
    Expired { message: String },
    #[error("Choose a new password before carrying on: yours was set by a manager.")]
    PasswordChangeRequired,
    #[error(
        "This request came from another web page, so Hearth refused it. Use Hearth's own address."
    )]
    CrossOrigin,
    /// A computer that has not been paired with the practice computer, or
    /// whose pairing a manager withdrew: it reaches nothing, not even sign-in.
    #[error("{message}")]
    Unpaired { message: String },
    /// A pairing code that is wrong or too old.
    #[error("That code doesn't match the one on the practice computer. Codes change every few minutes: type the one it shows now.")]
    BadPairingCode,
    /// Too many wrong pairing codes in a short time.
    #[error("Too many wrong codes: pairing is paused for {minutes} minutes. Wait, then type the code the practice computer shows.")]
    PairingLocked { minutes: u32 },
    #[error("{message}")]
    NotSetUp { message: String },
    #[error("{message}")]
    SchemaTooNew { message: String },
    /// The practice file is encrypted and this computer has no key that opens it.
    #[error("{message}")]
    KeyMissing { message: String },
    /// A recovery key typed wrong.
    #[error("{message}")]
    BadRecoveryKey { message: String },
    #[error("The practice data is busy on another desk. Try again in a moment.")]
    Busy,
    #[error("The disk is full, so nothing was saved. Free some space and try again.")]
    DiskFull,
    #[error("The practice data file is read-only or locked, so nothing was saved. Ask whoever looks after this computer to check the file's permissions.")]
    ReadOnly,
    #[error("The practice data file is damaged and cannot be read. Restore it from a backup.")]
    Corrupt,
    #[error("Something went wrong while saving, so nothing was saved. Try again; if it keeps happening, ask whoever looks after this computer. (Detail: {0})")]
    Storage(String),
}

/// Every code an error can carry: the fuzz harness checks each refusal against it.
pub const CODES: &[&str] = &[
    "input.invalid",
    "input.not_json",
    "input.content_type",
    "input.too_large",
    "command.unknown",
    "not_found",
    "booking.overlap",
    "booking.outside_hours",
    "booking.blocked",
    "booking.in_past",
    "booking.stale",
    "room.not_ready",
    "room.occupied",
    "stay.second_room",
    "stay.room_type_changed",
    "person.maybe_known",
    "booking.bad_transition",
    "staff.forbidden",
    "auth.required",
    "auth.bad_credentials",
    "auth.locked",
    "auth.expired",
    "auth.password_change",
    "auth.cross_origin",
    "workstation.unpaired",
    "workstation.bad_code",
    "workstation.locked",
    "practice.not_set_up",
    "store.schema_too_new",
    "store.key_missing",
    "recovery_key.invalid",
    "store.busy",
    "store.disk_full",
    "store.read_only",
    "store.corrupt",
    "store.failed",
];

/// What transports send for an error: `{code, message, details}`.
#[derive(Debug, Clone, Serialize, serde::Deserialize, TS, utoipa::ToSchema)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[ts(type = "Record<string, unknown>")]
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl CoreError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        CoreError::Invalid {
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }
    pub fn auth_required() -> Self {
        CoreError::AuthRequired {
            message: "Sign in to carry on.".into(),
        }
    }
    /// Whether this is a refusal of who is asking (sign-in or permission):
    /// these are recorded in the audit trail.
    pub fn is_access_refusal(&self) -> bool {
        matches!(
            self,
            CoreError::Forbidden { .. }
                | CoreError::AuthRequired { .. }
                | CoreError::BadCredentials
                | CoreError::Locked { .. }
                | CoreError::Expired { .. }
                | CoreError::PasswordChangeRequired
                | CoreError::CrossOrigin
        )
    }
    pub fn not_found(what: impl Into<String>) -> Self {
        CoreError::NotFound { what: what.into() }
    }

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Invalid { .. } | CoreError::Input { .. } => "input.invalid",
            CoreError::NotJson => "input.not_json",
            CoreError::NotJsonType => "input.content_type",
            CoreError::TooLarge => "input.too_large",
            CoreError::UnknownCommand { .. } => "command.unknown",
            CoreError::NotFound { .. } => "not_found",
            CoreError::Overlap { .. } => "booking.overlap",
            CoreError::OutsideHours { .. } => "booking.outside_hours",
            CoreError::Blocked { .. } => "booking.blocked",
            CoreError::InPast { .. } => "booking.in_past",
            CoreError::Stale { .. } => "booking.stale",
            CoreError::RoomNotReady { .. } => "room.not_ready",
            CoreError::RoomOccupied { .. } => "room.occupied",
            CoreError::SecondRoom { .. } => "stay.second_room",
            CoreError::RoomTypeChanged { .. } => "stay.room_type_changed",
            CoreError::MaybeKnown { .. } => "person.maybe_known",
            CoreError::BadTransition { .. } => "booking.bad_transition",
            CoreError::Forbidden { .. } => "staff.forbidden",
            CoreError::AuthRequired { .. } => "auth.required",
            CoreError::BadCredentials => "auth.bad_credentials",
            CoreError::Locked { .. } => "auth.locked",
            CoreError::Expired { .. } => "auth.expired",
            CoreError::PasswordChangeRequired => "auth.password_change",
            CoreError::CrossOrigin => "auth.cross_origin",
            CoreError::Unpaired { .. } => "workstation.unpaired",
            CoreError::BadPairingCode => "workstation.bad_code",
            CoreError::PairingLocked { .. } => "workstation.locked",
            CoreError::NotSetUp { .. } => "practice.not_set_up",
            CoreError::SchemaTooNew { .. } => "store.schema_too_new",
            CoreError::KeyMissing { .. } => "store.key_missing",
            CoreError::BadRecoveryKey { .. } => "recovery_key.invalid",
            CoreError::Busy => "store.busy",
            CoreError::DiskFull => "store.disk_full",
            CoreError::ReadOnly => "store.read_only",
            CoreError::Corrupt => "store.corrupt",
            CoreError::Storage(_) => "store.failed",
        }
    }

    /// Whether the caller did something wrong (4xx) rather than the machine (5xx).
    pub fn is_client_error(&self) -> bool {
        !matches!(
            self,
            CoreError::Busy
                | CoreError::DiskFull
                | CoreError::ReadOnly
                | CoreError::Corrupt
                | CoreError::Storage(_)
                | CoreError::SchemaTooNew { .. }
                | CoreError::KeyMissing { .. }
        )
    }

    pub fn body(&self) -> ErrorBody {
        let details = match self {
            CoreError::Invalid { field: Some(f), .. } => serde_json::json!({ "field": f }),
            CoreError::Input { field, problem, .. } => {
                serde_json::json!({ "field": field, "problem": problem })
            }
            CoreError::Overlap {
                conflicting_booking_id: Some(id),
                ..
            } => {
                serde_json::json!({ "conflicting_booking_id": id })
            }
            // The refusals an explicit, recorded override sets aside: the UI
            // offers "Book anyway" on these and nothing else.
            CoreError::OutsideHours { .. }
            | CoreError::Blocked { .. }
            | CoreError::InPast { .. }
            | CoreError::SecondRoom { .. }
            | CoreError::RoomTypeChanged { .. } => {
                serde_json::json!({ "overridable": true })
            }
            CoreError::MaybeKnown { candidates, .. } => {
                serde_json::json!({ "field": "person_name", "candidates": candidates })
            }
            // The desk may check them in all the same, once asked.
            CoreError::RoomNotReady { .. } => serde_json::json!({ "confirmable": true }),
            _ => serde_json::json!({}),
        };
        ErrorBody {
            code: self.code().to_owned(),
            message: self.to_string(),
            details,
        }
    }
}

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            return match f.code {
                C::DatabaseBusy | C::DatabaseLocked => CoreError::Busy,
                C::DiskFull => CoreError::DiskFull,
                C::ReadOnly | C::PermissionDenied | C::CannotOpen => CoreError::ReadOnly,
                C::DatabaseCorrupt | C::NotADatabase => CoreError::Corrupt,
                _ => CoreError::Storage(f.code_name()),
            };
        }
        CoreError::Storage(e.to_string())
    }
}

trait CodeName {
    fn code_name(&self) -> String;
}
impl CodeName for rusqlite::ffi::Error {
    fn code_name(&self) -> String {
        format!("{:?}", self.code)
    }
}

pub type CoreResult<T> = Result<T, CoreError>;
