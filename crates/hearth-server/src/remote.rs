//! The other end of sharing: a computer connected to the practice computer.
//! Its HTTP client trusts exactly one certificate, the one it pinned when it
//! paired (no certificate authority, no exception in any webview). It pairs
//! with the code of the moment, forwards commands and access steps with its
//! workstation credential and a window's session, and reads the live change
//! stream. The desktop shell's connected mode is built on this; so are the
//! tests and the load benchmark.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use hearth_core::access::workstations::fingerprint_of;
use hearth_core::gate::pairing::Paired;
use hearth_core::ErrorBody;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

/// The codes this side produces (the rest come from the practice computer).
pub const UNREACHABLE: &str = "network.unreachable";
pub const WRONG_CERTIFICATE: &str = "workstation.certificate";

/// The header a connected computer's requests carry its credential in.
pub const WORKSTATION_HEADER: &str = "x-hearth-workstation";

fn error(code: &str, message: String) -> ErrorBody {
    ErrorBody {
        code: code.to_owned(),
        message,
        details: serde_json::json!({}),
    }
}

/// Accepts exactly the certificate whose SHA-256 is `pin` (any, when
/// pairing, recording what it saw). Signatures are still checked.
#[derive(Debug)]
struct Pinned {
    pin: Option<String>,
    seen: Seen,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let fingerprint = fingerprint_of(end_entity.as_ref());
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some(fingerprint.clone());
        match &self.pin {
            Some(pin) if *pin != fingerprint => Err(rustls::Error::General(
                "not the practice computer's certificate".into(),
            )),
            _ => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// `https://HOST:PORT` from what a person typed: "frontdesk",
/// "192.168.1.20:8443", "https://frontdesk:8443/". The port defaults to 8443.
pub fn base_url(typed: &str) -> Result<String, ErrorBody> {
    let t = typed.trim();
    let t = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .unwrap_or(t);
    let t = t.split('/').next().unwrap_or("").trim();
    let bad = || {
        error(
            "input.invalid",
            "Type the practice computer's address as it shows it, such as 192.168.1.20:8443."
                .into(),
        )
    };
    if t.is_empty() || t.chars().any(|c| c.is_whitespace()) {
        return Err(bad());
    }
    let has_port = if t.starts_with('[') {
        t.contains("]:")
    } else {
        t.matches(':').count() == 1
    };
    let url = if has_port {
        format!("https://{t}")
    } else if t.contains(':') && !t.starts_with('[') {
        format!("https://[{t}]:8443")
    } else {
        format!("https://{t}:8443")
    };
    reqwest::Url::parse(&url).map_err(|_| bad())?;
    Ok(url)
}

/// A client to the practice computer at `base` (from [`base_url`]).
#[derive(Clone)]
pub struct Remote {
    pub base: String,
    pub fingerprint: String,
    credential: String,
    client: reqwest::Client,
    seen: Seen,
}

/// The fingerprint the last handshake presented.
type Seen = Arc<Mutex<Option<String>>>;

fn client(
    pin: Option<String>,
    timeout: Option<Duration>,
) -> Result<(reqwest::Client, Seen), ErrorBody> {
    let provider = crate::share::provider();
    let seen = Arc::new(Mutex::new(None));
    let verifier = Pinned {
        pin,
        seen: seen.clone(),
        provider: provider.clone(),
    };
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| error("internal", e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    let mut builder = reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .connect_timeout(Duration::from_secs(3))
        .pool_idle_timeout(Duration::from_secs(30))
        .no_proxy();
    if let Some(t) = timeout {
        builder = builder.timeout(t);
    }
    let c = builder
        .build()
        .map_err(|e| error("internal", e.to_string()))?;
    Ok((c, seen))
}

/// What pairing gave: the pinned fingerprint and the credential to keep.
pub struct Pairing {
    pub base: String,
    pub fingerprint: String,
    pub credential: String,
    pub paired: Paired,
}

fn unreachable(base: &str) -> ErrorBody {
    error(
        UNREACHABLE,
        format!("The practice computer at {} can't be reached, so nothing was changed. Check that it is on with Hearth sharing the practice, and that this computer is on the practice network.", base.trim_start_matches("https://")),
    )
}

fn cookie_value(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let first = v.split(';').next()?;
            let (k, val) = first.split_once('=')?;
            (k.trim() == name).then(|| val.trim().to_owned())
        })
}

async fn body_or_error(
    resp: reqwest::Response,
) -> Result<(reqwest::header::HeaderMap, String), ErrorBody> {
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    if status.is_success() {
        return Ok((headers, text));
    }
    Err(serde_json::from_str::<ErrorBody>(&text).unwrap_or_else(|_| {
        error(
            "internal",
            "The practice computer could not answer just now. Wait a moment and try again; if it keeps happening, restart Hearth there.".into(),
        )
    }))
}

/// Pairs this computer with the practice computer at `typed` using `code`.
pub async fn pair(typed: &str, code: &str, name: &str) -> Result<Pairing, ErrorBody> {
    let base = base_url(typed)?;
    let (c, seen) = client(None, Some(Duration::from_secs(10)))?;
    let resp = c
        .post(format!("{base}/api/pair"))
        .header("x-hearth-client", "desktop")
        .json(&serde_json::json!({ "code": code, "name": name }))
        .send()
        .await
        .map_err(|_| unreachable(&base))?;
    let (headers, text) = body_or_error(resp).await?;
    let fingerprint = seen
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .ok_or_else(|| unreachable(&base))?;
    let credential = cookie_value(&headers, crate::WORKSTATION_COOKIE)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| error("internal", "The practice computer did not hand over a credential. Update Hearth there and try again.".into()))?;
    let paired: Paired = serde_json::from_str(&text)
        .map_err(|e| error("internal", format!("an unexpected answer to pairing: {e}")))?;
    Ok(Pairing {
        base,
        fingerprint,
        credential,
        paired,
    })
}

/// What a forwarded call answered and what it did to the session token.
pub struct Answer {
    pub body: String,
    /// `Some(Some(t))`: a new session; `Some(None)`: it ended; `None`: unchanged.
    pub session: Option<Option<String>>,
}

impl Remote {
    pub fn new(base: String, fingerprint: String, credential: String) -> Result<Remote, ErrorBody> {
        let (client, seen) = client(Some(fingerprint.clone()), Some(Duration::from_secs(15)))?;
        Ok(Remote {
            base,
            fingerprint,
            credential,
            client,
            seen,
        })
    }

    /// The same practice computer (the same pinned certificate, the same
    /// credential) at another address: its network gave it a new one.
    pub fn at(&self, base: String) -> Result<Remote, ErrorBody> {
        Remote::new(base, self.fingerprint.clone(), self.credential.clone())
    }

    /// This computer's workstation credential, to keep with the connection.
    pub fn credential(&self) -> &str {
        &self.credential
    }

    /// Why a request failed: the certificate changed, or the host is away.
    fn failed(&self) -> ErrorBody {
        let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
        match seen {
            Some(s) if s != self.fingerprint => error(
                WRONG_CERTIFICATE,
                format!("The computer at {} is not the practice computer this one was paired with (its certificate is different), so Hearth did not connect. If the practice computer was replaced, connect again with a new pairing code.", self.base.trim_start_matches("https://")),
            ),
            _ => unreachable(&self.base),
        }
    }

    fn request(&self, path: &str, session: Option<&str>) -> reqwest::RequestBuilder {
        let mut cookie = format!("{}={}", crate::WORKSTATION_COOKIE, self.credential);
        if let Some(t) = session {
            cookie.push_str(&format!("; hearth_session={t}"));
        }
        self.client
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::COOKIE, cookie)
            .header("x-hearth-client", "desktop")
    }

    /// `POST path` with a JSON body for a window's session.
    pub async fn post(
        &self,
        path: &str,
        session: Option<&str>,
        body: String,
        origin: Option<&str>,
        background: bool,
    ) -> Result<Answer, ErrorBody> {
        let mut req = self
            .request(path, session)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(o) = origin {
            req = req.header("x-hearth-origin", o);
        }
        if background {
            req = req.header("x-hearth-background", "1");
        }
        let resp = req.send().await.map_err(|_| self.failed())?;
        let (headers, body) = body_or_error(resp).await?;
        let session =
            cookie_value(&headers, "hearth_session").map(|t| (!t.is_empty()).then_some(t));
        Ok(Answer { body, session })
    }

    /// Opens the live change stream for a window's session, resuming after
    /// change `after`. Each message goes to `on_message`; returns when the
    /// stream ends or nothing (not even a keep-alive) came for `silence`.
    pub async fn follow(
        &self,
        session: &str,
        after: Option<i64>,
        silence: Duration,
        mut on_open: impl FnMut(),
        mut on_message: impl FnMut(SseMessage),
    ) -> Result<(), ErrorBody> {
        let query = after.map(|a| format!("?after={a}")).unwrap_or_default();
        let cookie = format!(
            "{}={}; hearth_session={session}",
            crate::WORKSTATION_COOKIE,
            self.credential
        );
        // The stream lives as long as the host does: no overall timeout.
        let (client, _) = client(Some(self.fingerprint.clone()), None)?;
        let resp = client
            .get(format!("{}/api/events{query}", self.base))
            .header(reqwest::header::COOKIE, cookie)
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .send()
            .await
            .map_err(|_| self.failed())?;
        if !resp.status().is_success() {
            return Err(body_or_error(resp)
                .await
                .err()
                .unwrap_or_else(|| self.failed()));
        }
        on_open();
        let mut parser = SseParser::default();
        let mut bytes = resp.bytes_stream();
        loop {
            match tokio::time::timeout(silence, bytes.next()).await {
                Err(_) | Ok(None) | Ok(Some(Err(_))) => return Err(unreachable(&self.base)),
                Ok(Some(Ok(chunk))) => {
                    for m in parser.push(&chunk) {
                        on_message(m);
                    }
                }
            }
        }
    }
}

/// One Server-Sent Event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SseMessage {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
}

/// Reads Server-Sent Events from chunks as they arrive.
#[derive(Default)]
pub struct SseParser {
    buf: String,
}

impl SseParser {
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseMessage> {
        self.buf.push_str(&String::from_utf8_lossy(chunk));
        let mut out = Vec::new();
        while let Some(end) = self.buf.find("\n\n") {
            let block: String = self.buf.drain(..end + 2).collect();
            let mut m = SseMessage {
                event: "message".into(),
                ..Default::default()
            };
            let mut any = false;
            for line in block.lines() {
                let (field, value) = match line.split_once(':') {
                    Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                    None => (line, ""),
                };
                match field {
                    "event" => m.event = value.to_owned(),
                    "id" => m.id = Some(value.to_owned()),
                    "data" => {
                        if any {
                            m.data.push('\n');
                        }
                        m.data.push_str(value);
                        any = true;
                    }
                    _ => {}
                }
            }
            if any || m.id.is_some() {
                out.push(m);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_as_people_type_them() {
        assert_eq!(
            base_url("192.168.1.20").ok(),
            Some("https://192.168.1.20:8443".into())
        );
        assert_eq!(
            base_url(" frontdesk:9000 ").ok(),
            Some("https://frontdesk:9000".into())
        );
        assert_eq!(
            base_url("https://frontdesk:8443/").ok(),
            Some("https://frontdesk:8443".into())
        );
        assert_eq!(base_url("::1").ok(), Some("https://[::1]:8443".into()));
        assert_eq!(
            base_url("[::1]:8444").ok(),
            Some("https://[::1]:8444".into())
        );
        assert_eq!(
            base_url("").err().map(|e| e.code),
            Some("input.invalid".into())
        );
        assert_eq!(
            base_url("front desk").err().map(|e| e.code),
            Some("input.invalid".into())
        );
    }

    #[test]
    fn events_are_read_across_chunks_and_keep_alives_are_skipped() {
        let mut p = SseParser::default();
        assert!(p.push(b"event: hello\nid: 4\ndata: {\"lat").is_empty());
        let got = p.push(b"est\":4}\n\n:\n\nevent: hearth-changes\nid: 5\ndata: {}\n\n");
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].event.as_str(), got[0].id.as_deref()),
            ("hello", Some("4"))
        );
        assert_eq!(got[0].data, "{\"latest\":4}");
        assert_eq!(
            (got[1].event.as_str(), got[1].data.as_str()),
            ("hearth-changes", "{}")
        );
    }
}
