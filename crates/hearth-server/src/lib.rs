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
//!
//! Shared over TLS (`share`, `hearth serve --share`, the desktop's "Share
//! this practice"), every API route but `POST /api/pair` and health also
//! needs a paired computer's credential (`hearth_workstation` cookie or
//! `x-hearth-workstation`); `remote` is the connected computer's side.
pub mod cli;
mod errors;
mod guard;
pub mod openapi;
mod reading;
pub mod remote;
mod routes;
pub mod share;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use hearth_core::events::ChangeBatch;
use hearth_core::Hearth;
use tokio::sync::broadcast;

/// The cookie a paired browser keeps its workstation credential in.
pub const WORKSTATION_COOKIE: &str = "hearth_workstation";

#[derive(Clone)]
pub struct AppState {
    pub hearth: Arc<Hearth>,
    pub changes: broadcast::Sender<ChangeBatch>,
    /// Served to the practice network: only paired computers get in.
    pub shared: bool,
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
        AppState {
            hearth,
            changes,
            shared: false,
        }
    }

    /// The practice shared with its other computers (paired ones only).
    pub fn shared(hearth: Arc<Hearth>) -> AppState {
        AppState {
            shared: true,
            ..AppState::new(hearth)
        }
    }
}

/// An embedded file of the built UI: its bytes and content type.
pub type Asset = (Vec<u8>, String);

/// Looks up a file of the embedded UI by its path ("/index.html").
pub type AssetLookup = Arc<dyn Fn(&str) -> Option<Asset> + Send + Sync>;

/// Where the screens come from: the built `ui/dist` folder, or the files
/// embedded in the desktop app (served to the practice's tablets).
#[derive(Clone)]
pub enum UiSource {
    Dir(PathBuf),
    Embedded(AssetLookup),
}

impl From<PathBuf> for UiSource {
    fn from(dir: PathBuf) -> UiSource {
        UiSource::Dir(dir)
    }
}

/// The API router, and the UI when given.
pub fn router(state: AppState, ui: Option<UiSource>) -> axum::Router {
    routes::router(state, ui)
}

/// Serves until Ctrl-C (or SIGTERM). Prints the address it listens on.
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
    let app = router(AppState::new(hearth.clone()), ui_dir.map(UiSource::Dir));
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    );
    tokio::select! {
        done = async { server.await } => done,
        () = shutdown_signal() => {
            // The count of refused requests goes into the trail; open change
            // streams are cut, as a stopped process cuts them.
            if let Err(e) = hearth.flush_refusals() {
                eprintln!("hearth: {e}");
            }
            Ok(())
        }
    }
}

/// Shares the practice over TLS on `addr` until Ctrl-C (or SIGTERM): the
/// headless `hearth serve --share`. Prints where, the certificate's
/// fingerprint and how to get a pairing code.
pub async fn serve_shared(
    hearth: Arc<Hearth>,
    addr: SocketAddr,
    ui_dir: Option<UiSource>,
    db: &std::path::Path,
) -> Result<(), String> {
    if let Err(e) = hearth.follow_other_processes() {
        eprintln!("hearth: {e}");
    }
    share::identity(&hearth)?;
    hearth_core::gate::pairing::share_on(&hearth, "hearth serve --share", addr.port())
        .map_err(|e| e.to_string())?;
    let sharing = share::start(hearth.clone(), addr, ui_dir)?;
    let local = sharing.addr;
    let shown: Vec<String> = if local.ip().is_unspecified() {
        share::lan_addresses()
            .into_iter()
            .map(|ip| format!("https://{}/", SocketAddr::new(ip, local.port())))
            .chain(share::host_name().map(|h| format!("https://{h}:{}/", local.port())))
            .collect()
    } else {
        vec![format!("https://{local}/")]
    };
    println!(
        "Hearth is sharing the practice on {} (listening on {local}).",
        shown.join(" or ")
    );
    println!("Certificate fingerprint: {}", sharing.fingerprint);
    println!(
        "Pairing code: run `hearth share-code --db {}` on this computer, or see Settings → Sharing on a paired computer.",
        db.display()
    );
    shutdown_signal().await;
    if let Err(e) = hearth.flush_refusals() {
        eprintln!("hearth: {e}");
    }
    sharing.stop();
    Ok(())
}

/// Ctrl-C, or the SIGTERM systemd sends on stop.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
