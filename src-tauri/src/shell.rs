//! What the window talks to. On the practice computer that is the practice
//! file itself (hearth-core's gate); on a connected computer it is the
//! practice computer, through the pinned client in `hearth_server::remote`.
//! The screens cannot tell: `hearth_command` and `hearth_access` answer the
//! same either way, and the shell keeps each window's session token (the
//! webview never sees it). A connected computer never writes a local copy.
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use hearth_core::clock::{Clock, OffsetClock, SystemClock};
use hearth_core::gate::{self, Caller, TokenChange};
use hearth_core::{CoreError, ErrorBody, Hearth};
use hearth_server::remote::Remote;
use serde_json::value::RawValue;
use tauri::{Emitter, Manager};

use crate::connection::{self, Followers};
use crate::sharing::HostSharing;

pub struct Shell {
    pub app: tauri::AppHandle,
    /// The practice file on this computer (opened on first use).
    local: Mutex<Option<Arc<Hearth>>>,
    pub db_path: PathBuf,
    /// Set while this computer is connected to the practice computer.
    remote: connection::Current,
    /// Each window's session token, by window label.
    sessions: Mutex<HashMap<String, String>>,
    pub followers: Followers,
    pub host: HostSharing,
    pub config_dir: PathBuf,
    /// The practice's clock: the system's, or a rehearsal's (`$HEARTH_CLOCK_STARTS_AT`).
    clock: Arc<dyn Clock>,
}

/// `$HEARTH_CLOCK_STARTS_AT` (UTC epoch milliseconds) starts the practice's
/// clock there, to run on from the moment the app starts: a rehearsal, as
/// `hearth serve --clock-starts-at` (the desktop tests use it). Never for a
/// practice's real day; without it, the system clock.
fn practice_clock() -> Arc<dyn Clock> {
    match std::env::var("HEARTH_CLOCK_STARTS_AT")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        Some(at) => {
            eprintln!("hearth-desktop: the clock starts at {at} (a rehearsal clock).");
            Arc::new(OffsetClock::starting_at(at))
        }
        None => Arc::new(SystemClock),
    }
}

pub fn stopped() -> ErrorBody {
    CoreError::Storage("the command stopped unexpectedly".into()).body()
}

/// Where a command goes.
pub enum Backend {
    Local(Arc<Hearth>),
    Remote(Remote),
}

impl Shell {
    pub fn new(
        app: tauri::AppHandle,
        db_path: PathBuf,
        config_dir: PathBuf,
        remote: Option<connection::Connected>,
    ) -> Shell {
        Shell {
            app,
            local: Mutex::new(None),
            db_path,
            remote: Arc::new(RwLock::new(remote)),
            sessions: Mutex::new(HashMap::new()),
            followers: Followers::default(),
            host: HostSharing::default(),
            config_dir,
            clock: practice_clock(),
        }
    }

    /// The practice file on this computer, opened (and followed) once.
    pub fn local(&self) -> Result<Arc<Hearth>, ErrorBody> {
        let mut slot = self.local.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(h) = slot.as_ref() {
            return Ok(h.clone());
        }
        let hearth = Arc::new(
            Hearth::open_with_clock(&self.db_path, self.clock.clone()).map_err(|e| e.body())?,
        );
        // A `hearth serve` on the same file: its writes show here too.
        hearth.follow_other_processes().map_err(|e| e.body())?;
        // The practice computer backs itself up while the app is open.
        hearth_core::setup::backups::keep_backing_up(hearth.clone());
        let handle = self.app.clone();
        hearth.events.subscribe(move |batch| {
            let _ = handle.emit(hearth_core::events::CHANGE_EVENT_NAME, batch);
        });
        *slot = Some(hearth.clone());
        Ok(hearth)
    }

    /// The practice computer this one works on, if it is connected to one.
    pub fn connected(&self) -> Option<connection::Connected> {
        self.remote
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Works on `to` from now on (`None`: this computer's own file); every
    /// window's stream follows on its next try.
    pub fn set_connected(&self, to: Option<connection::Connected>) {
        *self.remote.write().unwrap_or_else(|p| p.into_inner()) = to;
    }

    pub fn backend(&self) -> Result<Backend, ErrorBody> {
        if let Some(c) = self.connected() {
            return Ok(Backend::Remote(c.remote));
        }
        self.local().map(Backend::Local)
    }

    pub fn token(&self, window: &str) -> Option<String> {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(window)
            .cloned()
    }

    pub fn caller(&self, window: &str, origin: Option<String>, background: bool) -> Caller {
        Caller {
            token: self.token(window),
            workstation: format!("Desktop ({window} window)"),
            workstation_id: None,
            origin,
            background,
        }
    }

    pub fn remember(&self, window: &str, change: TokenChange) {
        let mut map = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        match change {
            TokenChange::Keep => {}
            TokenChange::Set(t) => {
                map.insert(window.to_owned(), t);
            }
            TokenChange::Clear => {
                map.remove(window);
            }
        }
    }

    /// Every window signed out (switching practice computer).
    pub fn forget_sessions(&self) {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.followers.stop_all();
    }

    /// Runs a named command for a window's session.
    pub async fn command(
        &self,
        window: &str,
        name: String,
        args: Option<String>,
        origin: Option<String>,
        background: bool,
    ) -> Result<Box<RawValue>, ErrorBody> {
        match self.backend()? {
            Backend::Local(hearth) => {
                let caller = self.caller(window, origin, background);
                tauri::async_runtime::spawn_blocking(move || {
                    gate::run(&hearth, &caller, &name, args.as_deref().unwrap_or(""))
                })
                .await
                .map_err(|_| stopped())?
                .map_err(|e| e.body())
            }
            Backend::Remote(remote) => {
                if !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    return Err(CoreError::UnknownCommand {
                        name: name.chars().take(60).collect(),
                    }
                    .body());
                }
                let token = self.token(window);
                let answer = remote
                    .post(
                        &format!("/api/commands/{name}"),
                        token.as_deref(),
                        args.unwrap_or_default(),
                        origin.as_deref(),
                        background,
                    )
                    .await?;
                RawValue::from_string(answer.body).map_err(|_| CoreError::NotJson.body())
            }
        }
    }

    /// Runs an access step (session, sign in/out, setup, demo, first password).
    pub async fn access(
        &self,
        window: &tauri::Window,
        step: String,
        args: Option<String>,
        origin: Option<String>,
    ) -> Result<Box<RawValue>, ErrorBody> {
        let label = window.label().to_owned();
        match self.backend()? {
            Backend::Local(hearth) => {
                let caller = self.caller(&label, origin, false);
                let answer = tauri::async_runtime::spawn_blocking(move || {
                    gate::access(&hearth, &caller, &step, args.as_deref().unwrap_or(""))
                })
                .await
                .map_err(|_| stopped())?
                .map_err(|e| e.body())?;
                self.remember(&label, answer.token);
                serde_json::value::to_raw_value(&answer.info)
                    .map_err(|e| CoreError::Storage(e.to_string()).body())
            }
            Backend::Remote(remote) => {
                if !hearth_core::gate::STEPS.contains(&step.as_str()) {
                    return Err(CoreError::UnknownCommand { name: step }.body());
                }
                let token = self.token(&label);
                let answer = remote
                    .post(
                        &format!("/api/access/{step}"),
                        token.as_deref(),
                        args.unwrap_or_default(),
                        origin.as_deref(),
                        false,
                    )
                    .await?;
                match answer.session {
                    Some(Some(t)) => {
                        self.remember(&label, TokenChange::Set(t.clone()));
                        self.followers.start(
                            self.app.clone(),
                            label.clone(),
                            self.remote.clone(),
                            t,
                        );
                    }
                    Some(None) => {
                        self.remember(&label, TokenChange::Clear);
                        self.followers.stop(&label);
                    }
                    None => {
                        // A window reloaded while signed in: make sure it hears changes.
                        if let Some(t) = token {
                            if !self.followers.is_following(&label) {
                                self.followers.start(
                                    self.app.clone(),
                                    label.clone(),
                                    self.remote.clone(),
                                    t,
                                );
                            }
                        }
                    }
                }
                RawValue::from_string(answer.body).map_err(|_| CoreError::NotJson.body())
            }
        }
    }
}

/// Shares the practice when the app starts, if a manager left it shared.
pub fn resume_sharing(app: &tauri::AppHandle, hearth: Arc<Hearth>) {
    let Ok(Some(identity)) = hearth_core::gate::pairing::existing_identity(&hearth) else {
        return;
    };
    if !identity.sharing {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let shell = app.state::<Shell>();
        if let Err(e) = shell.host.start(&app, hearth, identity.port) {
            eprintln!("hearth-desktop: the practice is not shared: {e}");
        }
    });
}

/// Makes the certificate if needed, records the manager's choice through the
/// core (`set_sharing`: only managers), then starts or stops serving.
pub async fn share(
    shell: &Shell,
    window: &str,
    enable: bool,
    port: Option<u16>,
) -> Result<crate::sharing::ShareInfo, ErrorBody> {
    if shell.connected().is_some() {
        return Err(CoreError::invalid(
            "sharing",
            "This computer is connected to the practice computer: sharing is switched on there.",
        )
        .body());
    }
    let hearth = shell.local()?;
    let caller = shell.caller(window, None, false);
    let args = serde_json::json!({ "sharing": enable, "port": port }).to_string();
    let h = hearth.clone();
    let status = tauri::async_runtime::spawn_blocking(move || {
        hearth_server::share::identity(&h).map_err(CoreError::Storage)?;
        hearth_core::gate::run(&h, &caller, "set_sharing", &args)
    })
    .await
    .map_err(|_| stopped())?
    .map_err(|e| e.body())?;
    let status: serde_json::Value =
        serde_json::from_str(status.get()).map_err(|e| CoreError::Storage(e.to_string()).body())?;
    if enable {
        let port = status["port"]
            .as_u64()
            .and_then(|p| u16::try_from(p).ok())
            .unwrap_or(hearth_core::access::workstations::DEFAULT_PORT);
        shell.host.start(&shell.app, hearth, port).map_err(|e| {
            CoreError::invalid("port", format!("Hearth could not share the practice: {e}.")).body()
        })?;
    } else {
        shell.host.stop();
    }
    Ok(shell.host.info())
}
