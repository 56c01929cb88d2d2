//! hearth-server: the HTTP transport over hearth-core. Thin on purpose: each
//! route deserializes, calls [`hearth_core::commands::dispatch`], serializes.
//!
//! - `POST /api/commands/{name}`: run a command for the signed-in session
//!   (the `hearth_session` cookie; body = its request JSON; `x-hearth-origin` =
//!   window id, `x-hearth-background: 1` for refetches that are not use).
//! - `POST /api/sign-in`, `POST /api/sign-out`, `GET /api/session`, and
//!   `POST /api/access/{step}` for the other steps around a session.
//! - `GET /api/events`: Server-Sent Events, one `hearth-changes` message per
//!   committed transaction.
//! - `GET /api/openapi.json`: the API described from the command registry.
//! - `GET /api/health`; everything else: the built UI.
pub mod openapi;
mod routes;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use hearth_core::events::ChangeBatch;
use hearth_core::Hearth;
use tokio::sync::broadcast;

#[derive(Clone)]
pub struct AppState {
    pub hearth: Arc<Hearth>,
    pub changes: broadcast::Sender<ChangeBatch>,
}

impl AppState {
    /// Wraps an open practice and forwards its change events to SSE listeners.
    pub fn new(hearth: Arc<Hearth>) -> AppState {
        let (changes, _) = broadcast::channel(256);
        let tx = changes.clone();
        hearth.events.subscribe(move |batch| {
            // No listener is fine: nobody is watching.
            let _ = tx.send(batch.clone());
        });
        AppState { hearth, changes }
    }
}

/// The API router, and the UI from `ui_dir` when given.
pub fn router(state: AppState, ui_dir: Option<PathBuf>) -> axum::Router {
    routes::router(state, ui_dir)
}

/// Serves until Ctrl-C. Prints the address it listens on.
pub async fn serve(
    hearth: Arc<Hearth>,
    addr: SocketAddr,
    ui_dir: Option<PathBuf>,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    println!("Hearth is serving on http://{local}/");
    // Another process on the same file (a second server, the desktop app):
    // its writes reach these screens too.
    if let Err(e) = hearth.follow_other_processes() {
        eprintln!("hearth: {e}");
    }
    let app = router(AppState::new(hearth), ui_dir);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
