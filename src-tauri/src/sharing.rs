//! "Share this practice": the practice computer serves the same router as
//! `hearth serve --share` from inside the app, over TLS, to the practice's
//! other computers and tablets (the screens are the app's own, embedded).
//! Switching it on or off is a manager's command (`set_sharing`, checked and
//! recorded by the core); the app shares again when it starts if it was on.
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use hearth_core::Hearth;
use hearth_server::share::{self, Sharing};
use hearth_server::UiSource;
use serde::Serialize;

/// What Settings → Sharing shows about this computer's side.
#[derive(Clone, Serialize, Default)]
pub struct ShareInfo {
    /// Serving now.
    pub listening: bool,
    pub port: u16,
    /// "https://192.168.1.20:8443": what to type on the other computers.
    pub addresses: Vec<String>,
    /// Why it is not serving although it should (a port in use).
    pub problem: Option<String>,
}

#[derive(Default)]
pub struct HostSharing {
    running: Mutex<Option<Sharing>>,
    problem: Mutex<Option<String>>,
}

/// Where to listen: every address (the practice network), or
/// `$HEARTH_SHARE_ADDR` (tests share on loopback only).
fn listen_ip() -> IpAddr {
    std::env::var("HEARTH_SHARE_ADDR")
        .ok()
        .and_then(|a| a.parse().ok())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

fn embedded_ui(app: &tauri::AppHandle) -> UiSource {
    let app = app.clone();
    UiSource::Embedded(Arc::new(move |path: &str| {
        app.asset_resolver()
            .get(path.to_owned())
            .map(|a| (a.bytes, a.mime_type))
    }))
}

impl HostSharing {
    pub fn info(&self) -> ShareInfo {
        let running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let problem = self
            .problem
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        match running.as_ref() {
            None => ShareInfo {
                problem,
                ..ShareInfo::default()
            },
            Some(s) => {
                let port = s.addr.port();
                let ips: Vec<IpAddr> = if s.addr.ip().is_unspecified() {
                    share::lan_addresses()
                } else {
                    vec![s.addr.ip()]
                };
                ShareInfo {
                    listening: true,
                    port,
                    addresses: ips
                        .into_iter()
                        .map(|ip| format!("https://{}", SocketAddr::new(ip, port)))
                        .collect(),
                    problem,
                }
            }
        }
    }

    pub fn stop(&self) {
        if let Some(s) = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            s.stop();
        }
    }

    /// Starts serving (inside the app's async runtime).
    pub fn start(
        &self,
        app: &tauri::AppHandle,
        hearth: Arc<Hearth>,
        port: u16,
    ) -> Result<(), String> {
        self.stop();
        let started = share::start(
            hearth,
            SocketAddr::new(listen_ip(), port),
            Some(embedded_ui(app)),
        );
        let mut problem = self.problem.lock().unwrap_or_else(|p| p.into_inner());
        match started {
            Ok(s) => {
                *problem = None;
                *self.running.lock().unwrap_or_else(|p| p.into_inner()) = Some(s);
                Ok(())
            }
            Err(e) => {
                *problem = Some(e.clone());
                Err(e)
            }
        }
    }
}
