//! hearth-desktop: the desktop window. Two IPC commands carry every screen:
//! `hearth_access` (session, sign in/out, setup, demo, first password) and
//! `hearth_command` (a named command for the window's session), answered by
//! the practice file on this computer or, on a connected computer, by the
//! practice computer (`shell`). The shell's own, registered below:
//! `hearth_notify_urgent` (the system notification that urgent handoffs wait;
//! its words are the shell's), `hearth_mode`, `hearth_connect` /
//! `hearth_disconnect` and `hearth_move_practice` (the practice computer
//! found at a new address; `connection`) and `hearth_share` (`shell`, which starts
//! and stops `sharing`). Change events reach each window as `hearth-changes`,
//! and a connected window hears `hearth-connection`. The practice file is
//! `$HEARTH_DB`, or `hearth.db` in the app's data folder; the connection is
//! `connection.json` in its config folder.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod connection;
mod sharing;
mod shell;

use std::path::PathBuf;

use hearth_core::{CoreError, ErrorBody};
use serde::Serialize;
use serde_json::value::RawValue;
use shell::Shell;
use tauri::Manager;
use tauri_plugin_notification::NotificationExt;

#[tauri::command]
async fn hearth_command(
    window: tauri::Window,
    state: tauri::State<'_, Shell>,
    name: String,
    // The request as JSON text, parsed strictly by the core (duplicate keys
    // and unknown fields refused), exactly as the HTTP body is.
    args: Option<String>,
    origin: Option<String>,
    background: Option<bool>,
) -> Result<Box<RawValue>, ErrorBody> {
    state
        .command(
            window.label(),
            name,
            args,
            origin,
            background.unwrap_or(false),
        )
        .await
}

#[tauri::command]
async fn hearth_access(
    window: tauri::Window,
    state: tauri::State<'_, Shell>,
    step: String,
    args: Option<String>,
    origin: Option<String>,
) -> Result<Box<RawValue>, ErrorBody> {
    state.access(&window, step, args, origin).await
}

/// Which practice this window works on: the file here, or the practice
/// computer it is connected to; and whether this computer shares it.
#[derive(Serialize)]
struct Mode {
    /// Connected to the practice computer at this address.
    connected_to: Option<String>,
    /// Its certificate's fingerprint, pinned when this computer paired.
    fingerprint: Option<String>,
    /// This computer's name at the practice computer.
    workstation: Option<String>,
    sharing: sharing::ShareInfo,
}

fn mode_of(state: &Shell) -> Mode {
    let remote = state.connected();
    Mode {
        connected_to: remote
            .as_ref()
            .map(|c| c.remote.base.trim_start_matches("https://").to_owned()),
        fingerprint: remote.as_ref().map(|c| c.remote.fingerprint.clone()),
        workstation: remote.as_ref().map(|c| c.name.clone()),
        sharing: state.host.info(),
    }
}

#[tauri::command]
fn hearth_mode(state: tauri::State<'_, Shell>) -> Mode {
    mode_of(&state)
}

/// "Connect to the practice computer": pair with the code it shows, pin its
/// certificate, and from now on work on it (every window signed out).
#[tauri::command]
async fn hearth_connect(
    state: tauri::State<'_, Shell>,
    address: String,
    code: String,
    name: String,
) -> Result<Mode, ErrorBody> {
    let connected = connection::connect(&state.config_dir, &address, &code, &name).await?;
    state.host.stop();
    state.forget_sessions();
    state.set_connected(Some(connected));
    Ok(mode_of(&state))
}

/// "The practice computer has a new address": the same computer (its pinned
/// certificate, this computer's credential), found where it is now. Windows
/// stay signed in; their streams go there on their next try and catch up.
#[tauri::command]
async fn hearth_move_practice(
    state: tauri::State<'_, Shell>,
    address: String,
) -> Result<Mode, ErrorBody> {
    let current = state.connected().ok_or_else(|| {
        CoreError::invalid(
            "address",
            "This computer works on its own file, not on a practice computer.",
        )
        .body()
    })?;
    let moved = connection::move_to(&state.config_dir, &current, &address).await?;
    state.set_connected(Some(moved));
    Ok(mode_of(&state))
}

/// Stop working on the practice computer (this computer's own file again).
#[tauri::command]
fn hearth_disconnect(state: tauri::State<'_, Shell>) -> Result<Mode, ErrorBody> {
    connection::forget(&state.config_dir).map_err(|e| {
        CoreError::Storage(format!("the connection could not be forgotten: {e}")).body()
    })?;
    state.forget_sessions();
    state.set_connected(None);
    Ok(mode_of(&state))
}

/// "Share this practice" (managers): start or stop serving it to the practice network.
#[tauri::command]
async fn hearth_share(
    window: tauri::Window,
    state: tauri::State<'_, Shell>,
    enable: bool,
    port: Option<u16>,
) -> Result<sharing::ShareInfo, ErrorBody> {
    shell::share(&state, window.label(), enable, port).await
}

/// "An urgent handoff is waiting for you." as a system notification, for a
/// signed-in window only. No names: a notification can be read by anyone
/// passing the screen.
#[tauri::command]
fn hearth_notify_urgent(
    app: tauri::AppHandle,
    window: tauri::Window,
    state: tauri::State<'_, Shell>,
    count: u32,
) -> Result<(), ErrorBody> {
    if state.token(window.label()).is_none() || count == 0 {
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

/// WebKitGTK's accelerated compositing gives every scrolling area of the
/// calendar its own backing store: on the demo that was 230 MiB more in the
/// web process than without it, for no visible gain on a desk's screens (see
/// docs/performance.md, "Light on the computer"). Hearth draws without it
/// unless `HEARTH_WEBKIT_COMPOSITING=1` (the desktop tests set it: WebDriver
/// screenshots need it). Set before any thread or web process starts.
fn light_webview() {
    if std::env::var_os("HEARTH_WEBKIT_COMPOSITING").is_none_or(|v| v != "1")
        && std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none()
    {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

fn main() {
    // `hearth-desktop cli serve …`: the `hearth` command, in the same program
    // (the installed package's `/usr/bin/hearth` runs this).
    if std::env::args_os().nth(1).is_some_and(|a| a == "cli") {
        let args = std::iter::once("hearth".into()).chain(std::env::args_os().skip(2));
        if let Err(message) = hearth_server::cli::run(args) {
            eprintln!("hearth: {message}");
            std::process::exit(1);
        }
        return;
    }
    light_webview();
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!(
            "hearth-desktop: this computer has no display. Run `hearth serve --db PATH` (add `--share` for the practice network) and open the address it prints in a browser."
        );
        std::process::exit(2);
    }
    let result = tauri::Builder::default()
        // First: a second launch hands over to the running one, which comes to the front.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let path = db_path(app)?;
            let config = app.path().app_config_dir().map_err(|e| e.to_string())?;
            let remote = connection::load(&config);
            let connected = remote.is_some();
            app.manage(Shell::new(app.handle().clone(), path, config, remote));
            if !connected {
                let shell = app.state::<Shell>();
                let hearth = shell.local().map_err(|e| e.message)?;
                shell::resume_sharing(app.handle(), hearth);
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            hearth_command,
            hearth_access,
            hearth_notify_urgent,
            hearth_mode,
            hearth_connect,
            hearth_disconnect,
            hearth_move_practice,
            hearth_share
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("hearth-desktop: could not start: {e}");
        std::process::exit(1);
    }
}
