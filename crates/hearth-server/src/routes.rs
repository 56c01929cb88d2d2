//! HTTP routes. No rule lives here: errors come from the core with their code.
use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hearth_core::events::{ChangeBatch, CHANGE_EVENT_NAME};
use hearth_core::gate::{self, Caller, TokenChange};
use hearth_core::request::MAX_REQUEST_BYTES;
use hearth_core::{CoreError, Hearth};
use http_body_util::BodyExt;
use std::sync::Arc;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::errors::error_response;
use crate::reading;
use crate::remote::WORKSTATION_HEADER;
use crate::{AppState, UiSource, WORKSTATION_COOKIE};
use hearth_core::access::sessions;
use hearth_core::access::workstations::{self, WorkstationKind};
use hearth_core::gate::pairing;

pub fn router(state: AppState, ui: Option<UiSource>) -> Router {
    let api = Router::new()
        .route("/api/commands/{name}", post(run_command))
        .route("/api/access/{step}", post(access_step))
        .route("/api/sign-in", post(sign_in))
        .route("/api/sign-out", post(sign_out))
        .route("/api/session", get(session))
        .route("/api/pair", post(pair))
        .route("/api/events", get(events))
        .route("/api/openapi.json", get(openapi))
        .route(
            "/api/health",
            get(|| async { Json(serde_json::json!({ "ok": true })) }),
        )
        // Bodies are limited by `read_body`, which answers 413 with an error body.
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            workstation_gate,
        ))
        .with_state(state.clone());
    // A phone's calendar has no session and is not a paired computer: the
    // feed's secret address is its key, and it opens that feed only.
    let feeds = Router::new()
        .route("/feeds/{file}", get(calendar_feed))
        .with_state(state);
    let api = api.merge(feeds);
    let app = match ui {
        Some(UiSource::Dir(dir)) => {
            let index = dir.join("index.html");
            api.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
        }
        Some(UiSource::Embedded(assets)) => api.fallback(move |uri: axum::http::Uri| {
            let assets = assets.clone();
            async move { embedded(&*assets, uri.path()) }
        }),
        None => api,
    };
    // Outermost: a request for another name gets nothing, not even a file.
    app.layer(axum::middleware::from_fn(crate::guard::host_gate))
        .layer(axum::middleware::from_fn(crate::guard::protective_headers))
}

/// A file of the embedded UI; any other path is the app's page (its own
/// routing happens in the page).
fn embedded(assets: &(dyn Fn(&str) -> Option<crate::Asset> + Send + Sync), path: &str) -> Response {
    if path.starts_with("/api/") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let found = assets(path).or_else(|| assets("/index.html"));
    match found {
        Some((bytes, mime)) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no
/// other site's page sends it), whole-site path.
const COOKIE: &str = "hearth_session";

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn token_from(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE)
}

/// A paired computer's credential: its cookie (a browser) or header (the desktop).
fn credential_from(headers: &HeaderMap) -> Option<String> {
    headers
        .get(WORKSTATION_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| cookie(headers, WORKSTATION_COOKIE))
}

/// The paired computer a request came from, put on the request by
/// [`workstation_gate`] once its credential is checked: its name for the
/// trail, its id so the sessions opened from it end when it is withdrawn. A
/// request extension, so nothing a client sends can claim it.
#[derive(Clone)]
struct PairedComputer {
    id: i64,
    name: String,
}

/// Routes open to a computer that has not paired.
const OPEN_ROUTES: &[&str] = &["/api/pair", "/api/health"];

/// In a shared practice, refuses every API request but pairing from a
/// computer without a live workstation credential (`workstation.unpaired`),
/// and names the computer for the audit trail.
async fn workstation_gate(
    State(state): State<AppState>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if !state.shared || OPEN_ROUTES.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let credential = credential_from(req.headers());
    let hearth = state.hearth.clone();
    let found =
        tokio::task::spawn_blocking(move || pairing::workstation(&hearth, credential.as_deref()))
            .await
            .unwrap_or_else(|_| {
                Err(CoreError::Storage(
                    "the request stopped unexpectedly".into(),
                ))
            });
    match found {
        Ok(w) => {
            req.extensions_mut().insert(PairedComputer {
                id: w.id,
                name: w.name,
            });
            next.run(req).await
        }
        Err(e) => error_response(e),
    }
}

/// "Browser on Linux": where a session was opened, for the trail.
fn workstation_of(headers: &HeaderMap) -> String {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let os = [
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    match os {
        Some(os) => format!("Browser on {os}"),
        None => "Browser".to_owned(),
    }
}

/// Who is asking: the request's headers and, in a shared practice, the paired
/// computer [`workstation_gate`] found.
struct Asking {
    headers: HeaderMap,
    paired: Option<PairedComputer>,
    /// The device's network address, when the server was started to know it.
    peer: Option<std::net::SocketAddr>,
}

impl<S: Send + Sync> FromRequestParts<S> for Asking {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Asking {
            headers: parts.headers.clone(),
            paired: parts.extensions.get::<PairedComputer>().cloned(),
            peer: parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0),
        })
    }
}

impl Asking {
    fn caller(&self) -> Caller {
        let headers = &self.headers;
        let paired = self.paired.as_ref();
        Caller {
            token: token_from(headers),
            workstation: paired.map_or_else(|| workstation_of(headers), |p| p.name.clone()),
            workstation_id: paired.map(|p| p.id),
            origin: headers
                .get("x-hearth-origin")
                .and_then(|v| v.to_str().ok())
                .map(|s| s.chars().take(64).collect()),
            background: headers
                .get("x-hearth-background")
                .is_some_and(|v| v.as_bytes() == b"1"),
        }
    }
}

/// Refuses a state-changing request sent by another site's page: the
/// browser's `Sec-Fetch-Site`, or an `Origin` whose host is not ours.
/// (SameSite=Strict already keeps the cookie off such requests.)
fn same_origin(headers: &HeaderMap) -> Result<(), CoreError> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return Err(CoreError::CrossOrigin);
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().map_err(|_| CoreError::CrossOrigin)?;
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .unwrap_or("");
        if origin_host.is_empty() || origin_host != host {
            return Err(CoreError::CrossOrigin);
        }
    }
    Ok(())
}

fn set_cookie(change: &TokenChange, secure: bool) -> Option<String> {
    let secure = if secure { "; Secure" } else { "" };
    match change {
        TokenChange::Keep => None,
        TokenChange::Set(t) => Some(format!(
            "{COOKIE}={t}; HttpOnly; SameSite=Strict; Path=/{secure}"
        )),
        TokenChange::Clear => Some(format!(
            "{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}"
        )),
    }
}

/// An answer that sets a cookie (or not), never kept by a cache.
fn with_cookie(mut resp: Response, cookie: Option<String>) -> Response {
    if let Some(v) = cookie.and_then(|c| header::HeaderValue::from_str(&c).ok()) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    resp
}

/// `POST /api/pair` `{code, name}`: pairs this computer with the code the
/// practice computer shows. The credential goes out as an HttpOnly, Secure
/// cookie kept for ten years (a manager withdraws it in Settings).
async fn pair(State(state): State<AppState>, asking: Asking, body: Body) -> Response {
    if !state.shared {
        return error_response(CoreError::invalid(
            "code",
            "This address is not the shared practice: pairing happens over the address the practice computer shows in Settings → Sharing.",
        ));
    }
    let kind = match asking.headers.get("x-hearth-client").map(|v| v.as_bytes()) {
        Some(b"desktop") => WorkstationKind::Desktop,
        _ => WorkstationKind::Browser,
    };
    let source = asking.peer.map(|p| p.ip().to_string()).unwrap_or_default();
    let result = in_core(
        &state,
        &asking,
        true,
        Runs::Normally,
        body,
        move |h, caller, args| pairing::pair(h, &caller.workstation, &source, kind, args),
    )
    .await;
    match result {
        Ok((paired, credential)) => with_cookie(
            Json(&paired).into_response(),
            Some(format!(
                "{WORKSTATION_COOKIE}={credential}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=315360000"
            )),
        ),
        Err(e) => error_response(e),
    }
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

/// Where a request's work runs: a blocking thread (the core uses SQLite), at
/// normal priority, or on a reading thread that gives way (see [`reading`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Runs {
    Normally,
    GivingWay,
}

/// What every request to the core shares: the body read (up to the limit),
/// the same-origin check, the caller, the body as text; then `f` on a
/// blocking thread as `runs` says.
async fn in_core<T: Send + 'static>(
    state: &AppState,
    asking: &Asking,
    check_origin: bool,
    runs: Runs,
    body: Body,
    f: impl FnOnce(&hearth_core::Hearth, &Caller, &str) -> Result<T, CoreError> + Send + 'static,
) -> Result<T, CoreError> {
    if check_origin {
        crate::guard::json_only(&asking.headers)?;
    }
    let body = read_body(body).await?;
    if check_origin {
        same_origin(&asking.headers)?;
    }
    let caller = asking.caller();
    let args = String::from_utf8(body).map_err(|_| CoreError::NotJson)?;
    let hearth = state.hearth.clone();
    let work = move || f(&hearth, &caller, &args);
    match runs {
        Runs::Normally => tokio::task::spawn_blocking(work).await,
        Runs::GivingWay => reading::run(work).await,
    }
    .map_err(|_| CoreError::Storage("the request stopped unexpectedly".into()))?
}

async fn run_command(
    State(state): State<AppState>,
    Path(name): Path<String>,
    asking: Asking,
    body: Body,
) -> Response {
    // A read gives way to the writes: other desks' long reads never slow a booking.
    let runs = match hearth_core::commands::only_reads(&name) {
        Some(true) => Runs::GivingWay,
        _ => Runs::Normally,
    };
    let result = in_core(&state, &asking, true, runs, body, move |h, caller, args| {
        gate::run(h, caller, &name, args)
    })
    .await;
    match result {
        Ok(raw) => (
            [(header::CONTENT_TYPE, "application/json")],
            String::from(Box::<str>::from(raw)),
        )
            .into_response(),
        Err(e) => error_response(e),
    }
}

/// `GET /feeds/{token}.ics`: a calendar feed that is on; anything else is
/// 404 (a withdrawn address, a wrong one), saying nothing more.
async fn calendar_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics").map(str::to_owned) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let hearth = state.hearth.clone();
    let found = tokio::task::spawn_blocking(move || {
        hearth_core::scheduling::feeds::render(&hearth, &token)
    })
    .await;
    match found {
        Ok(Ok(Some((name, text)))) => (
            [
                (
                    header::CONTENT_TYPE,
                    "text/calendar; charset=utf-8".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            text,
        )
            .into_response(),
        Ok(Ok(None)) => StatusCode::NOT_FOUND.into_response(),
        Ok(Err(e)) => error_response(e),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `POST /api/access/{step}`: the steps around a session (see `gate::STEPS`).
async fn access_step(
    State(state): State<AppState>,
    Path(step): Path<String>,
    asking: Asking,
    body: Body,
) -> Response {
    run_access(state, asking, step, body).await
}

async fn sign_in(State(state): State<AppState>, asking: Asking, body: Body) -> Response {
    run_access(state, asking, "sign_in".into(), body).await
}

async fn sign_out(State(state): State<AppState>, asking: Asking) -> Response {
    run_access(state, asking, "sign_out".into(), Body::empty()).await
}

async fn session(State(state): State<AppState>, asking: Asking) -> Response {
    run_access(state, asking, "session".into(), Body::empty()).await
}

async fn run_access(state: AppState, asking: Asking, step: String, body: Body) -> Response {
    // Reading the session changes nothing: any page may ask.
    let check_origin = step != "session";
    let result = in_core(
        &state,
        &asking,
        check_origin,
        Runs::Normally,
        body,
        move |h, caller, args| gate::access(h, caller, &step, args),
    )
    .await;
    match result {
        Ok(answer) => with_cookie(
            Json(&answer.info).into_response(),
            set_cookie(&answer.token, state.shared),
        ),
        Err(e) => error_response(e),
    }
}

/// Where a reconnecting screen left off: the browser's `Last-Event-ID`, or
/// `?after=` from a screen that opened a new stream itself.
fn resume_from(headers: &HeaderMap, query: Option<&str>) -> Option<i64> {
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .or_else(|| {
            query?
                .split('&')
                .find_map(|kv| kv.strip_prefix("after="))
                .and_then(|v| v.parse().ok())
        })
}

/// The most missed batches replayed to a reconnecting screen; past that it is
/// told to refetch everything.
const REPLAY_LIMIT: usize = 1000;

async fn events(State(state): State<AppState>, asking: Asking, uri: axum::http::Uri) -> Response {
    // Change events name only ids, but they are still for signed-in screens.
    let caller = asking.caller();
    let after = resume_from(&asking.headers, uri.query());
    // Subscribe before reading the log, so nothing committed in between is lost.
    let live = state.changes.subscribe();
    let hearth = state.hearth.clone();
    let start = tokio::task::spawn_blocking(move || -> Result<_, CoreError> {
        if gate::access(&hearth, &caller, "session", "")?
            .info
            .signed_in
            .is_none()
        {
            return Err(CoreError::auth_required());
        }
        let latest = hearth.latest_change()?;
        let missed = match after {
            Some(a) if a < latest => hearth.changes_since(a, REPLAY_LIMIT)?,
            _ => Some(vec![]),
        };
        Ok((latest, missed))
    })
    .await;
    let (latest, missed) = match start {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => return error_response(e),
        Err(_) => return error_response(CoreError::auth_required()),
    };
    // The greeting's id is where this stream starts: after the replay, the
    // browser's own id moves on with each event.
    let from = match after {
        Some(a) if a < latest => a,
        _ => latest,
    };
    // The stream ends the moment its session does (signed out, locked by the
    // idle limit, ended by a manager), and a paired computer's the moment a
    // manager withdraws it.
    let still = StillAllowed {
        hearth: state.hearth.clone(),
        token: token_from(&asking.headers),
        credential: state.shared.then(|| credential_from(&asking.headers)),
    };
    event_stream(live, from, latest, missed, still).into_response()
}

/// What a live change stream checks every second.
struct StillAllowed {
    hearth: Arc<Hearth>,
    token: Option<String>,
    /// In a shared practice: the paired computer's credential.
    credential: Option<Option<String>>,
}

impl StillAllowed {
    fn check(&self) -> bool {
        let now = self.hearth.clock.now_ms();
        let live = self.token.as_deref().is_some_and(|t| {
            matches!(
                self.hearth.store.read(|tx| sessions::resolve(tx, t, now)),
                Ok(sessions::Resolved::Live(_))
            )
        });
        let paired = match &self.credential {
            None => true,
            Some(None) => false,
            Some(Some(c)) => self
                .hearth
                .store
                .read(|tx| workstations::resolve(tx, c))
                .is_ok(),
        };
        live && paired
    }
}

enum Tick {
    Batch(Option<Event>),
    Check,
}

fn change_event(batch: &ChangeBatch) -> Event {
    let data = serde_json::to_string(batch).unwrap_or_else(|_| "{}".into());
    let event = Event::default().event(CHANGE_EVENT_NAME);
    // "Everything" (id 0) is not in the log: it leaves the screen's last id as it was.
    let event = if batch.id > 0 {
        event.id(batch.id.to_string())
    } else {
        event
    };
    event.data(data)
}

/// `hello` (carrying the newest id, so even a quiet screen can resume), then
/// what the screen missed, then every batch as it commits.
fn event_stream(
    live: tokio::sync::broadcast::Receiver<ChangeBatch>,
    from: i64,
    latest: i64,
    missed: Option<Vec<ChangeBatch>>,
    still: StillAllowed,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let hello = Event::default()
        .event("hello")
        .id(from.to_string())
        .data(format!("{{\"latest\":{latest}}}"));
    let replay: Vec<Event> = match missed {
        Some(batches) => batches.iter().map(change_event).collect(),
        // Missed too much: refetch everything.
        None => vec![change_event(&ChangeBatch::everything())],
    };
    let replayed_up_to = latest;
    let head = tokio_stream::iter(
        std::iter::once(hello)
            .chain(replay)
            .map(Ok::<Event, Infallible>)
            .collect::<Vec<_>>(),
    );
    let batches = BroadcastStream::new(live).map(move |item| {
        Tick::Batch(match item {
            // Already sent in the replay (committed before we read the log).
            Ok(b) if b.id > 0 && b.id <= replayed_up_to => None,
            Ok(b) => Some(change_event(&b)),
            // Fell behind: tell the screen to refetch everything.
            Err(_) => Some(change_event(&ChangeBatch::everything())),
        })
    });
    let checks =
        tokio_stream::wrappers::IntervalStream::new(tokio::time::interval(Duration::from_secs(1)))
            .map(|_| Tick::Check);
    let stream = batches
        .merge(checks)
        .take_while(move |t| !matches!(t, Tick::Check) || still.check())
        .filter_map(|t| match t {
            Tick::Batch(e) => e.map(Ok),
            // A heartbeat a page can see: comments are hidden from EventSource, and
            // so is an event without data, so it carries some. A screen that hears
            // none for a few seconds knows the line is dead.
            Tick::Check => Some(Ok(Event::default()
                .event(hearth_core::events::TICK_EVENT_NAME)
                .data("{}"))),
        });
    // A keep-alive every second: a connected computer that hears nothing for
    // a few seconds knows the practice computer is gone.
    Sse::new(head.chain(stream)).keep_alive(KeepAlive::new().interval(Duration::from_secs(1)))
}

async fn openapi() -> impl IntoResponse {
    Json(crate::openapi::served())
}
