//! Sharing the practice with its other computers: the same router, served
//! over TLS on the practice network, every API route but pairing closed to a
//! computer that has not paired. The certificate is made once (rcgen,
//! self-signed) and kept in the practice file; other computers pin its
//! SHA-256 fingerprint. `hearth serve --share` and the desktop app's
//! "Share this practice" both start sharing here.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum_server::tls_rustls::RustlsConfig;
use axum_server::Handle;
use hearth_core::access::workstations::ShareIdentity;
use hearth_core::gate::pairing;
use hearth_core::Hearth;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::{AppState, UiSource};

/// The practice's certificate and key: the kept one, or a new one made now.
pub fn identity(hearth: &Hearth) -> Result<ShareIdentity, String> {
    pairing::share_identity(hearth, make_certificate).map_err(|e| e.to_string())
}

/// A self-signed certificate for this computer: its name and loopback.
fn make_certificate() -> Result<(Vec<u8>, Vec<u8>), String> {
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    if let Some(host) = host_name() {
        names.push(host);
    }
    let certified = rcgen::generate_simple_self_signed(names).map_err(|e| e.to_string())?;
    Ok((
        certified.cert.der().to_vec(),
        certified.signing_key.serialize_der(),
    ))
}

/// This computer's name, as the network knows it ("frontdesk").
pub fn host_name() -> Option<String> {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty() && s.len() < 64)
}

/// This computer's addresses on the practice network (IPv4 first), for
/// "type this address on the other computer".
pub fn lan_addresses() -> Vec<std::net::IpAddr> {
    let mut found: Vec<std::net::IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| !i.is_loopback())
        .map(|i| i.ip())
        .filter(|ip| match ip {
            std::net::IpAddr::V4(v4) => !v4.is_link_local(),
            std::net::IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) != 0xfe80,
        })
        .collect();
    found.sort_by_key(|ip| (ip.is_ipv6(), *ip));
    found.dedup();
    found
}

/// The rustls provider Hearth uses everywhere (`ring`).
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Makes `ring` the process's TLS provider, for HTTP clients built without
/// an explicit one. Harmless when one is already set.
pub fn install_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn tls_config(identity: &ShareIdentity) -> Result<rustls::ServerConfig, String> {
    let cert = CertificateDer::from(identity.cert_der.clone());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key_der.clone()));
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .map_err(|e| format!("the practice's certificate could not be used: {e}"))?;
    // HTTP/2 lets a browser keep the live stream and its requests on one connection.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// A running share: where it listens and how to stop it.
pub struct Sharing {
    pub addr: SocketAddr,
    pub fingerprint: String,
    handle: Handle,
}

impl Sharing {
    /// Stops listening; open connections get a second to finish.
    pub fn stop(&self) {
        self.handle.graceful_shutdown(Some(Duration::from_secs(1)));
    }
}

/// Starts serving the practice over TLS on `addr`, on the current tokio
/// runtime. Fails at once when the address cannot be had (a port in use).
pub fn start(
    hearth: Arc<Hearth>,
    addr: SocketAddr,
    ui: Option<UiSource>,
) -> Result<Sharing, String> {
    let identity = identity(&hearth)?;
    let config = RustlsConfig::from_config(Arc::new(tls_config(&identity)?));
    let listener = std::net::TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {} is already in use on this computer; choose another port or close what uses it",
            addr.port()
        ),
        _ => format!("could not listen on {addr}: {e}"),
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("could not listen on {addr}: {e}"))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("could not listen on {addr}: {e}"))?;
    let app = crate::router(AppState::shared(hearth), ui);
    let handle = Handle::new();
    let server = axum_server::from_tcp_rustls(listener, config).handle(handle.clone());
    tokio::spawn(async move {
        if let Err(e) = server
            .serve(app.into_make_service_with_connect_info::<SocketAddr>())
            .await
        {
            eprintln!("hearth: sharing stopped: {e}");
        }
    });
    Ok(Sharing {
        addr: local,
        fingerprint: identity.fingerprint,
        handle,
    })
}
