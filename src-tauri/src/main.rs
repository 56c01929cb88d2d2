//! hearth-desktop: the desktop window. Two IPC commands over hearth-core's
//! gate: `hearth_access` (session, sign in/out, setup, demo, first password)
//! and `hearth_command` (a named command for the window's session); and one
//! of its own, `hearth_notify_urgent`, the system notification that urgent
//! handoffs are waiting (its words are the shell's, never the page's). The shell
//! keeps each window's session token; the webview never sees it. Change events
//! from the core are forwarded to every window as `hearth-changes`. The
//! practice file is `$HEARTH_DB`, or `hearth.db` in the app's data folder.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use hearth_core::events::CHANGE_EVENT_NAME;
use hearth_core::gate::{self, Caller, SessionInfo, TokenChange};
use hearth_core::{CoreError, ErrorBody, Hearth};
use serde_json::value::RawValue;
use tauri::{Emitter, Manager};
use tauri_plugin_notification::NotificationExt;

struct Practice {
    hearth: Arc<Hearth>,
    /// Each window's session token, by window label.
    sessions: Mutex<HashMap<String, String>>,
}

impl Practice {
    fn caller(&self, window: &tauri::Window, origin: Option<String>, background: bool) -> Caller {
        let token = self
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(window.label())
            .cloned();
        Caller {
            token,
            workstation: format!("Desktop ({} window)", window.label()),
            origin,
            background,
        }
    }

    fn remember(&self, window: &tauri::Window, change: TokenChange) {
        let mut map = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        match change {
            TokenChange::Keep => {}
            TokenChange::Set(t) => {
                map.insert(window.label().to_owned(), t);
            }
            TokenChange::Clear => {
                map.remove(window.label());
            }
        }
    }
}

fn stopped() -> ErrorBody {
    CoreError::Storage("the command stopped unexpectedly".into()).body()
}

#[tauri::command]
async fn hearth_command(
    window: tauri::Window,
    state: tauri::State<'_, Practice>,
    name: String,
    // The request as JSON text, parsed strictly by the core (duplicate keys
    // and unknown fields refused), exactly as the HTTP body is.
    args: Option<String>,
    origin: Option<String>,
    background: Option<bool>,
) -> Result<Box<RawValue>, ErrorBody> {
    let hearth = state.hearth.clone();
    let caller = state.caller(&window, origin, background.unwrap_or(false));
    tauri::async_runtime::spawn_blocking(move || {
        gate::run(&hearth, &caller, &name, args.as_deref().unwrap_or(""))
    })
    .await
    .map_err(|_| stopped())?
    .map_err(|e| e.body())
}

#[tauri::command]
async fn hearth_access(
    window: tauri::Window,
    state: tauri::State<'_, Practice>,
    step: String,
    args: Option<String>,
    origin: Option<String>,
) -> Result<SessionInfo, ErrorBody> {
    let hearth = state.hearth.clone();
    let caller = state.caller(&window, origin, false);
    let answer = tauri::async_runtime::spawn_blocking(move || {
        gate::access(&hearth, &caller, &step, args.as_deref().unwrap_or(""))
    })
    .await
    .map_err(|_| stopped())?
    .map_err(|e| e.body())?;
    state.remember(&window, answer.token);
    Ok(answer.info)
}

/// "An urgent handoff is waiting for you." as a system notification, for a
/// signed-in window only. No names: a notification can be read by anyone
/// passing the screen.
#[tauri::command]
fn hearth_notify_urgent(
    app: tauri::AppHandle,
    window: tauri::Window,
    state: tauri::State<'_, Practice>,
    count: u32,
) -> Result<(), ErrorBody> {
    if state.caller(&window, None, true).token.is_none() || count == 0 {
        return Ok(());
    }
    let body = if count == 1 {
        "An urgent handoff is waiting for you.".to_owned()
    } else {
        format!("{count} urgent handoffs are waiting for you.")
    };
    app.notification()
        .builder()
        .title("Hearth")
        .body(body)
        .show()
        .map_err(|e| CoreError::Storage(format!("the notification could not be shown: {e}")).body())
}

fn db_path(app: &tauri::App) -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("HEARTH_DB") {
        return Ok(PathBuf::from(p));
    }
    let dir = app.path().app_data_dir().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    Ok(dir.join("hearth.db"))
}

fn main() {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!(
            "hearth-desktop: this computer has no display. Run `hearth serve --db PATH` and open the address it prints in a browser."
        );
        std::process::exit(2);
    }
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let path = db_path(app)?;
            let hearth = Arc::new(Hearth::open(&path).map_err(|e| e.to_string())?);
            // A second window or a `hearth serve` on the same file: its writes show here too.
            hearth.follow_other_processes().map_err(|e| e.to_string())?;
            let handle = app.handle().clone();
            hearth.events.subscribe(move |batch| {
                let _ = handle.emit(CHANGE_EVENT_NAME, batch);
            });
            app.manage(Practice {
                hearth,
                sessions: Mutex::new(HashMap::new()),
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            hearth_command,
            hearth_access,
            hearth_notify_urgent
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("hearth-desktop: could not start: {e}");
        std::process::exit(1);
    }
}
