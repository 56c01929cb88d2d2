//! hearth-desktop: the desktop window. One IPC command (`hearth_command`) that
//! hands a named command to hearth-core with the acting staff member; change
//! events from the core are forwarded to every window as `hearth-changes`.
//! The practice file is `$HEARTH_DB`, or `hearth.db` in the app's data folder.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;

use hearth_core::events::CHANGE_EVENT_NAME;
use hearth_core::{commands, Actor, CoreError, ErrorBody, Hearth};
use tauri::{Emitter, Manager};

struct Practice(Arc<Hearth>);

#[tauri::command]
async fn hearth_command(
    state: tauri::State<'_, Practice>,
    name: String,
    // The request as JSON text, parsed strictly by the core (duplicate keys
    // and unknown fields refused), exactly as the HTTP body is.
    args: Option<String>,
    actor: Option<Actor>,
) -> Result<Box<serde_json::value::RawValue>, ErrorBody> {
    let hearth = state.0.clone();
    let actor = actor.unwrap_or_default();
    tauri::async_runtime::spawn_blocking(move || {
        commands::dispatch(&hearth, &actor, &name, args.as_deref().unwrap_or(""))
    })
    .await
    .map_err(|_| CoreError::Storage("the command stopped unexpectedly".into()).body())?
    .map_err(|e| e.body())
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
        .setup(|app| {
            let path = db_path(app)?;
            let hearth = Arc::new(Hearth::open(&path).map_err(|e| e.to_string())?);
            let handle = app.handle().clone();
            hearth.events.subscribe(move |batch| {
                let _ = handle.emit(CHANGE_EVENT_NAME, batch);
            });
            app.manage(Practice(hearth));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![hearth_command])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("hearth-desktop: could not start: {e}");
        std::process::exit(1);
    }
}
