//! A computer connected to the practice computer: the connection file (the
//! practice computer's address, its pinned certificate fingerprint and this
//! computer's credential, readable by its user only), pairing with a code,
//! and each signed-in window's live change stream. A window hears within
//! three seconds when the practice computer cannot be reached
//! (`hearth-connection`), and when it is back the stream resumes after the
//! last change the window had: the practice computer replays what it missed.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use hearth_core::events::CHANGE_EVENT_NAME;
use hearth_core::ErrorBody;
use hearth_server::remote::{self, Remote};
use serde::{Deserialize, Serialize};
use tauri::Emitter;

/// The event a window hears when the practice computer goes or comes back.
pub const CONNECTION_EVENT: &str = "hearth-connection";
/// Nothing from the practice computer (it sends a keep-alive every second)
/// for this long means it cannot be reached.
const SILENCE: Duration = Duration::from_millis(2000);
const RETRY: Duration = Duration::from_millis(1000);

/// What is kept in `connection.json`.
#[derive(Clone, Serialize, Deserialize)]
pub struct Saved {
    pub base: String,
    pub fingerprint: String,
    pub credential: String,
    pub name: String,
}

#[derive(Clone)]
pub struct Connected {
    pub remote: Remote,
    pub name: String,
}

/// The practice computer this one works on, if any: swapped when it moves to
/// a new address, so every window's stream follows it there.
pub type Current = Arc<RwLock<Option<Connected>>>;

fn remote_of(current: &Current) -> Option<Remote> {
    current
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .map(|c| c.remote.clone())
}

impl Connected {
    fn from_saved(s: Saved) -> Result<Connected, ErrorBody> {
        Ok(Connected {
            remote: Remote::new(s.base, s.fingerprint, s.credential)?,
            name: s.name,
        })
    }
}

pub fn file(config_dir: &Path) -> PathBuf {
    config_dir.join("connection.json")
}

/// The saved connection, if this computer was connected to a practice computer.
pub fn load(config_dir: &Path) -> Option<Connected> {
    let text = std::fs::read_to_string(file(config_dir)).ok()?;
    let saved: Saved = serde_json::from_str(&text).ok()?;
    Connected::from_saved(saved).ok()
}

fn save(config_dir: &Path, saved: &Saved) -> Result<(), String> {
    use std::io::Write;
    std::fs::create_dir_all(config_dir).map_err(|e| e.to_string())?;
    let text = serde_json::to_string_pretty(saved).map_err(|e| e.to_string())?;
    let path = file(config_dir);
    let tmp = path.with_extension("json.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(&tmp).map_err(|e| e.to_string())?;
    f.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    f.sync_all().map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, &path).map_err(|e| e.to_string())
}

pub fn forget(config_dir: &Path) -> Result<(), String> {
    match std::fs::remove_file(file(config_dir)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

/// Pairs with the practice computer at `address` and keeps the connection.
pub async fn connect(
    config_dir: &Path,
    address: &str,
    code: &str,
    name: &str,
) -> Result<Connected, ErrorBody> {
    let p = remote::pair(address, code, name).await?;
    keep(
        config_dir,
        Saved {
            base: p.base,
            fingerprint: p.fingerprint,
            credential: p.credential,
            name: p.paired.workstation.name,
        },
    )
}

/// Keeps the connection for the next start and works on it from now on.
fn keep(config_dir: &Path, saved: Saved) -> Result<Connected, ErrorBody> {
    save(config_dir, &saved).map_err(|e| {
        hearth_core::CoreError::Storage(format!("the connection could not be kept: {e}")).body()
    })?;
    Connected::from_saved(saved)
}

/// The practice computer answers at a new address (the network gave it
/// another): the same computer, proved by the certificate pinned at pairing,
/// with this computer's credential still good there. Kept for next time;
/// no new code is needed and every window stays signed in.
pub async fn move_to(
    config_dir: &Path,
    current: &Connected,
    address: &str,
) -> Result<Connected, ErrorBody> {
    let moved = current.remote.at(remote::base_url(address)?)?;
    // Answers only over the pinned certificate, and only to a computer still paired.
    moved
        .post("/api/access/session", None, String::new(), None, false)
        .await?;
    keep(
        config_dir,
        Saved {
            base: moved.base.clone(),
            fingerprint: moved.fingerprint.clone(),
            credential: moved.credential().to_owned(),
            name: current.name.clone(),
        },
    )
}

/// What a window hears about the practice computer.
#[derive(Clone, Serialize)]
pub struct ConnectionState {
    pub connected: bool,
    /// When it was lost (epoch ms), while it is.
    pub lost_at_ms: Option<i64>,
    /// It came back after being lost: the window has caught up.
    pub back: bool,
    /// Why following stopped for good (`workstation.unpaired`, `auth.required`…).
    pub ended: Option<String>,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Each signed-in window's change stream.
#[derive(Default)]
pub struct Followers {
    tasks: Mutex<HashMap<String, tauri::async_runtime::JoinHandle<()>>>,
}

impl Followers {
    pub fn start(&self, app: tauri::AppHandle, label: String, current: Current, token: String) {
        let task = tauri::async_runtime::spawn(follow(app, label.clone(), current, token));
        if let Some(old) = self
            .tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(label, task)
        {
            old.abort();
        }
    }

    pub fn stop(&self, label: &str) {
        if let Some(t) = self
            .tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(label)
        {
            t.abort();
        }
    }

    pub fn stop_all(&self) {
        for (_, t) in self.tasks.lock().unwrap_or_else(|p| p.into_inner()).drain() {
            t.abort();
        }
    }

    pub fn is_following(&self, label: &str) -> bool {
        self.tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(label)
    }
}

/// Follows one window's stream until its session or this computer's
/// pairing ends; says when the practice computer is lost and when it is back.
/// Each attempt goes where the practice computer is now (it may have moved).
async fn follow(app: tauri::AppHandle, label: String, current: Current, token: String) {
    let mut after: Option<i64> = None;
    let mut lost_at: Option<i64> = None;
    let emit = |state: ConnectionState| {
        let _ = app.emit_to(label.as_str(), CONNECTION_EVENT, state);
    };
    loop {
        let Some(remote) = remote_of(&current) else {
            return;
        };
        let resume = after;
        let mut last = after;
        let result = remote
            .follow(
                &token,
                resume,
                SILENCE,
                || {},
                |m| {
                    if let Some(id) = m.id.as_deref().and_then(|i| i.parse::<i64>().ok()) {
                        last = Some(id);
                    }
                    if m.event == CHANGE_EVENT_NAME {
                        if let Ok(batch) = serde_json::from_str::<serde_json::Value>(&m.data) {
                            let _ = app.emit_to(label.as_str(), CHANGE_EVENT_NAME, batch);
                        }
                    } else if m.event == "hello" {
                        // Streaming from here: say so (and that it caught up, after a loss).
                        emit(ConnectionState {
                            connected: true,
                            lost_at_ms: None,
                            back: lost_at.is_some(),
                            ended: None,
                        });
                        lost_at = None;
                    }
                },
            )
            .await;
        after = last.or(after);
        match result {
            Err(e) if e.code.starts_with("auth.") || e.code == "workstation.unpaired" => {
                emit(ConnectionState {
                    connected: e.code.starts_with("auth."),
                    lost_at_ms: None,
                    back: false,
                    ended: Some(e.code),
                });
                return;
            }
            _ => {
                if lost_at.is_none() {
                    let at = now_ms();
                    lost_at = Some(at);
                    emit(ConnectionState {
                        connected: false,
                        lost_at_ms: Some(at),
                        back: false,
                        ended: None,
                    });
                }
                tokio::time::sleep(RETRY).await;
            }
        }
    }
}
