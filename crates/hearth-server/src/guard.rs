//! What the server checks of every request before any route sees it, and
//! adds to every answer:
//!
//! - **Its own names only.** A request whose `Host` is not a name this
//!   computer answers to is refused: a web page that points its own name at
//!   this computer (DNS rebinding) reaches nothing, not even the sign-in list.
//!   Loopback names and addresses, this computer's own addresses, and its
//!   host name (with or without `.local`) are ours; an address is checked
//!   against the interfaces as they are now, so a new DHCP lease still works.
//! - **JSON only for a change.** A state-changing request must say it is JSON:
//!   a form or `text/plain` is what another site can send without asking.
//! - **Protective headers** on every answer: the desktop's Content-Security-Policy
//!   (with `frame-ancestors 'none'`), `nosniff`, no referrer.
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use hearth_core::CoreError;

/// The screens' policy: the desktop's, plus what a served page needs.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub async fn protective_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    resp
}

/// Refuses (403 `auth.cross_origin`) a request for a name that is not ours.
/// HTTP/2 names the host in the request's authority, not a Host header: it is
/// put in one here, so the routes' same-origin check compares against it too.
pub async fn host_gate(mut req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if !req.headers().contains_key(header::HOST) {
        if let Some(v) = req
            .uri()
            .authority()
            .and_then(|a| HeaderValue::from_str(a.as_str()).ok())
        {
            req.headers_mut().insert(header::HOST, v);
        }
    }
    let ours = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_ours);
    if ours {
        return next.run(req).await;
    }
    crate::errors::error_response(CoreError::CrossOrigin).into_response()
}

/// The name part of a `Host` value: `[::1]:8443` → `::1`, `a.local:80` → `a.local`.
fn name_of(host: &str) -> String {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        match host.rsplit_once(':') {
            Some((n, port)) if port.chars().all(|c| c.is_ascii_digit()) => n,
            _ => host,
        }
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether `host` (a `Host` header's value) names this computer.
pub fn is_ours(host: &str) -> bool {
    let name = name_of(host);
    if name.is_empty() {
        return false;
    }
    if name == "localhost" {
        return true;
    }
    if let Ok(ip) = name.parse::<IpAddr>() {
        return ip.is_loopback() || this_computer().addresses.contains(&ip);
    }
    this_computer()
        .name
        .as_deref()
        .is_some_and(|n| name == n || name.strip_suffix(".local") == Some(n))
}

#[derive(Clone)]
struct ThisComputer {
    name: Option<String>,
    addresses: Vec<IpAddr>,
}

/// This computer's name and addresses, looked up at most every few seconds.
fn this_computer() -> ThisComputer {
    static SEEN: Mutex<Option<(Instant, ThisComputer)>> = Mutex::new(None);
    let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
    match &*seen {
        Some((at, c)) if at.elapsed() < Duration::from_secs(5) => c.clone(),
        _ => {
            let c = ThisComputer {
                name: crate::share::host_name().map(|n| n.to_ascii_lowercase()),
                addresses: if_addrs::get_if_addrs()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|i| i.ip())
                    .collect(),
            };
            *seen = Some((Instant::now(), c.clone()));
            c
        }
    }
}

/// A state-changing request must carry `Content-Type: application/json`.
pub fn json_only(headers: &HeaderMap) -> Result<(), CoreError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if json {
        Ok(())
    } else {
        Err(CoreError::NotJsonType)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_and_this_computers_names_are_ours_and_others_are_not() {
        for ok in [
            "127.0.0.1:8080",
            "localhost:5173",
            "LOCALHOST",
            "[::1]:8443",
            "127.0.0.2",
        ] {
            assert!(is_ours(ok), "{ok}");
        }
        for foreign in [
            "attacker.example:8080",
            "attacker.example",
            "localhost.attacker.example",
            "8.8.8.8:8443",
            "[2001:db8::1]:8443",
            "",
            ":8080",
        ] {
            assert!(!is_ours(foreign), "{foreign}");
        }
        if let Some(name) = crate::share::host_name() {
            assert!(is_ours(&format!("{name}:8443")));
            assert!(is_ours(&format!("{name}.local:8443")));
            assert!(!is_ours(&format!("{name}.attacker.example")));
        }
    }

    #[test]
    fn only_json_may_change_anything() {
        let with = |t: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(t).expect("header"),
            );
            h
        };
        assert!(json_only(&with("application/json")).is_ok());
        assert!(json_only(&with("Application/JSON; charset=utf-8")).is_ok());
        for wrong in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/jsonx",
        ] {
            assert!(json_only(&with(wrong)).is_err(), "{wrong}");
        }
        assert!(json_only(&HeaderMap::new()).is_err());
    }
}
