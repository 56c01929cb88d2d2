//! How the core's refusals travel over HTTP: each `CoreError` becomes its
//! status code and the core's own body (code, message, details), in one
//! place the routes and the guards share.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use hearth_core::CoreError;

fn status_of(e: &CoreError) -> StatusCode {
    match e {
        CoreError::Invalid { .. }
        | CoreError::Input { .. }
        | CoreError::NotJson
        | CoreError::BadRecoveryKey { .. } => StatusCode::BAD_REQUEST,
        CoreError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        CoreError::NotJsonType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        CoreError::UnknownCommand { .. } => StatusCode::NOT_FOUND,
        CoreError::NotFound { .. } => StatusCode::NOT_FOUND,
        CoreError::Forbidden { .. } | CoreError::CrossOrigin => StatusCode::FORBIDDEN,
        CoreError::AuthRequired { .. }
        | CoreError::Unpaired { .. }
        | CoreError::BadPairingCode
        | CoreError::BadCredentials
        | CoreError::Expired { .. }
        | CoreError::PasswordChangeRequired => StatusCode::UNAUTHORIZED,
        CoreError::Locked { .. } | CoreError::PairingLocked { .. } => StatusCode::TOO_MANY_REQUESTS,
        CoreError::Overlap { .. }
        | CoreError::OutsideHours { .. }
        | CoreError::Blocked { .. }
        | CoreError::InPast { .. }
        | CoreError::Stale { .. }
        | CoreError::RoomNotReady { .. }
        | CoreError::RoomOccupied { .. }
        | CoreError::SecondRoom { .. }
        | CoreError::RoomTypeChanged { .. }
        | CoreError::BadTransition { .. }
        | CoreError::MaybeKnown { .. }
        | CoreError::NotSetUp { .. } => StatusCode::CONFLICT,
        CoreError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        // Every variant named: a new refusal must choose its status here.
        CoreError::DiskFull
        | CoreError::ReadOnly
        | CoreError::Corrupt
        | CoreError::Storage(_)
        | CoreError::SchemaTooNew { .. }
        | CoreError::KeyMissing { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The response for a refusal: its status and the core's body.
pub(crate) fn error_response(e: CoreError) -> Response {
    (status_of(&e), Json(e.body())).into_response()
}
