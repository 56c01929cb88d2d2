//! HTTP routes. No rule lives here: errors come from the core with their code.
use std::convert::Infallible;
use std::path::PathBuf;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hearth_core::events::{ChangeBatch, CHANGE_EVENT_NAME};
use hearth_core::request::MAX_REQUEST_BYTES;
use hearth_core::{commands, Actor, CoreError};
use http_body_util::BodyExt;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

pub fn router(state: AppState, ui_dir: Option<PathBuf>) -> Router {
    let api = Router::new()
        .route("/api/commands/{name}", post(run_command))
        .route("/api/events", get(events))
        .route("/api/openapi.json", get(openapi))
        .route(
            "/api/health",
            get(|| async { Json(serde_json::json!({ "ok": true })) }),
        )
        // Bodies are limited by `read_body`, which answers 413 with an error body.
        .layer(DefaultBodyLimit::disable())
        .with_state(state);
    match ui_dir {
        Some(dir) => {
            let index = dir.join("index.html");
            api.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
        }
        None => api,
    }
}

fn status_of(e: &CoreError) -> StatusCode {
    match e {
        CoreError::Invalid { .. } | CoreError::Input { .. } | CoreError::NotJson => {
            StatusCode::BAD_REQUEST
        }
        CoreError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        CoreError::UnknownCommand { .. } => StatusCode::NOT_FOUND,
        CoreError::NotFound { .. } => StatusCode::NOT_FOUND,
        CoreError::Forbidden { .. } => StatusCode::FORBIDDEN,
        CoreError::Overlap { .. }
        | CoreError::OutsideHours { .. }
        | CoreError::Blocked { .. }
        | CoreError::InPast { .. }
        | CoreError::Stale { .. }
        | CoreError::BadTransition { .. }
        | CoreError::NotSetUp { .. } => StatusCode::CONFLICT,
        CoreError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn error_response(e: CoreError) -> Response {
    (status_of(&e), Json(e.body())).into_response()
}

fn actor_from(headers: &HeaderMap) -> Result<Actor, CoreError> {
    let staff_id = match headers.get("x-hearth-actor") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .ok_or_else(|| {
                    CoreError::invalid(
                        "x-hearth-actor",
                        "The staff member sent with the request is not a number.",
                    )
                })?,
        ),
    };
    let origin = headers
        .get("x-hearth-origin")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(64).collect());
    Ok(Actor { staff_id, origin })
}

/// Reads a request body up to [`MAX_REQUEST_BYTES`]. A larger one is read on
/// (and dropped) up to a hard cap so the answer can be a proper 413 on a
/// connection that stays usable; past the cap the connection is closed.
async fn read_body(body: Body) -> Result<Vec<u8>, CoreError> {
    const DRAIN_CAP: usize = 16 * MAX_REQUEST_BYTES;
    let mut body = body;
    let mut buf = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Err(CoreError::NotJson);
        };
        if let Ok(data) = frame.into_data() {
            seen = seen.saturating_add(data.len());
            if seen <= MAX_REQUEST_BYTES {
                buf.extend_from_slice(&data);
            } else if seen > DRAIN_CAP {
                break;
            }
        }
    }
    if seen > MAX_REQUEST_BYTES {
        return Err(CoreError::TooLarge);
    }
    Ok(buf)
}

async fn run_command(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = match read_body(body).await {
        Ok(b) => b,
        Err(e) => return error_response(e),
    };
    let actor = match actor_from(&headers) {
        Ok(a) => a,
        Err(e) => return error_response(e),
    };
    let Ok(args) = String::from_utf8(body) else {
        return error_response(CoreError::NotJson);
    };
    let hearth = state.hearth.clone();
    let result =
        tokio::task::spawn_blocking(move || commands::dispatch(&hearth, &actor, &name, &args))
            .await;
    match result {
        Ok(Ok(raw)) => (
            [(header::CONTENT_TYPE, "application/json")],
            String::from(Box::<str>::from(raw)),
        )
            .into_response(),
        Ok(Err(e)) => error_response(e),
        Err(_) => error_response(CoreError::Storage(
            "the command stopped unexpectedly".into(),
        )),
    }
}

async fn events(
    State(state): State<AppState>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let hello = tokio_stream::once(Ok(Event::default().event("hello").data("{}")));
    let stream = BroadcastStream::new(state.changes.subscribe()).map(|item| {
        let batch = match item {
            Ok(b) => b,
            // Fell behind: tell the screen to refetch everything.
            Err(_) => ChangeBatch {
                origin: None,
                changes: hearth_core::events::topics::ALL
                    .iter()
                    .map(|t| hearth_core::events::Change {
                        topic: (*t).to_owned(),
                        ids: vec![],
                    })
                    .collect(),
            },
        };
        let data = serde_json::to_string(&batch).unwrap_or_else(|_| "{}".into());
        Ok(Event::default().event(CHANGE_EVENT_NAME).data(data))
    });
    Sse::new(hello.chain(stream)).keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
}

async fn openapi() -> impl IntoResponse {
    Json(crate::openapi::document())
}
