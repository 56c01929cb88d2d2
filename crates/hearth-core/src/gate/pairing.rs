//! The doors around a shared practice, for the transport that serves it:
//! the practice's certificate (made once, by the transport's TLS library),
//! pairing a computer with the code of the moment, and resolving the
//! credential every request from a paired computer carries.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::workstations::{self, ShareIdentity, Workstation, WorkstationKind};
use crate::app::{Actor, Hearth};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::request;

/// The practice's certificate and key, made by `make` (a DER certificate and
/// its PKCS#8 key) the first time the practice is shared.
pub fn share_identity(
    h: &Hearth,
    make: impl FnOnce() -> Result<(Vec<u8>, Vec<u8>), String>,
) -> CoreResult<ShareIdentity> {
    if let Some(id) = h.store.read(|tx| workstations::identity(tx))? {
        return Ok(id);
    }
    let (cert, key) = make().map_err(|e| {
        CoreError::Storage(format!("the practice's certificate could not be made: {e}"))
    })?;
    let now = h.clock.now_ms();
    h.store
        .write(|tx| workstations::keep_identity(tx, &cert, &key, now))
}

/// Marks the practice shared on `port` (the headless `hearth serve --share`,
/// started by whoever looks after the server: no staff member acts).
pub fn share_on(h: &Hearth, workstation: &str, port: u16) -> CoreResult<ShareIdentity> {
    let actor = Actor {
        workstation: Some(workstation.to_owned()),
        ..Actor::default()
    };
    h.write(&actor, "share_practice", |ctx| {
        workstations::set_sharing(ctx.tx, true, port)?;
        ctx.changed(topics::WORKSTATION_CHANGED, 0);
        ctx.detail(serde_json::json!({ "port": port }));
        Ok(())
    })?;
    existing_identity(h)?
        .ok_or_else(|| CoreError::Storage("the practice has no certificate".into()))
}

/// The identity, if the practice was ever shared.
pub fn existing_identity(h: &Hearth) -> CoreResult<Option<ShareIdentity>> {
    h.store.read(|tx| workstations::identity(tx))
}

/// `POST /api/pair`, or the desktop's "Connect to the practice computer".
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct PairWorkstation {
    /// The six digits the practice computer shows.
    pub code: String,
    /// What to call this computer in Settings ("Operatory", "Housekeeping tablet").
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Paired {
    pub workstation: Workstation,
}

/// Pairs a computer. The credential goes back to the transport only (a
/// cookie for a browser, the desktop shell's store), never to a page.
/// `source` is the device's network address as the transport sees it: wrong
/// codes pause pairing for that device. The pause, the code and the pairing
/// are checked and written in one transaction, so guesses sent at once are
/// counted exactly as guesses sent one by one; a code pairs one computer,
/// then the practice computer shows a new one.
pub fn pair(
    h: &Hearth,
    workstation: &str,
    source: &str,
    kind: WorkstationKind,
    args: &str,
) -> CoreResult<(Paired, String)> {
    let req: PairWorkstation = request::parse(args)?;
    let name = crate::setup::clean_text("name", "This computer's name", &req.name, 60, true)?;
    let source = device_of(source);
    let actor = Actor {
        workstation: Some(workstation.to_owned()),
        ..Actor::default()
    };
    let refuse = |e: CoreError| {
        let _ = h.record_refusal(&actor, "pair_workstation", None, &e, serde_json::json!({}));
        e
    };
    let Some(_) = existing_identity(h)?.filter(|i| i.sharing) else {
        return Err(CoreError::Unpaired {
            message: "The practice computer is not sharing the practice just now. A manager switches it on there, in Settings → Sharing.".into(),
        });
    };
    // A paused device is refused by a read: its flood never takes the writer.
    let now = h.clock.now_ms();
    if let Some(minutes) = h.store.read(|tx| workstations::paused(tx, &source, now))? {
        return Err(refuse(CoreError::PairingLocked { minutes }));
    }
    let outcome = h.store.write(|tx| {
        if let Some(minutes) = workstations::paused(tx, &source, now)? {
            return Ok(Err(CoreError::PairingLocked { minutes }));
        }
        let identity = workstations::identity(tx)?.filter(|i| i.sharing);
        if !identity.is_some_and(|i| workstations::code_matches(&i, &req.code, now)) {
            workstations::record_failure(tx, &source, now)?;
            return Ok(Err(CoreError::BadPairingCode));
        }
        Ok(Ok(()))
    })?;
    if let Err(e) = outcome {
        return Err(refuse(e));
    }
    let paired = h.write(&actor, "pair_workstation", |ctx| {
        // Checked again inside the pairing's own transaction: of two devices
        // racing with one code, only the first pairs.
        let identity = workstations::identity(ctx.tx)?.filter(|i| i.sharing);
        if !identity.is_some_and(|i| workstations::code_matches(&i, &req.code, ctx.now_ms)) {
            return Ok(None);
        }
        let (w, credential) = workstations::add(ctx.tx, &name, kind, ctx.now_ms)?;
        workstations::new_code(ctx.tx)?;
        ctx.changed(topics::WORKSTATION_CHANGED, w.id);
        ctx.detail(serde_json::json!({ "kind": kind }));
        Ok(Some((w, credential)))
    })?;
    match paired {
        Some((w, credential)) => Ok((Paired { workstation: w }, credential)),
        None => Err(refuse(CoreError::BadPairingCode)),
    }
}

/// The part of a network address that names one device: an IPv4 address
/// whole, an IPv6 address by its /64 (a device makes up new addresses within
/// its network's prefix at will).
fn device_of(source: &str) -> String {
    match source.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(std::net::IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map_or_else(String::new, |v4| v4.to_string()),
        Ok(ip) => ip.to_string(),
        Err(_) => source.chars().take(64).collect(),
    }
}

/// The paired computer a credential stands for (touching when it was last
/// seen, at most once a minute). `workstation.unpaired` when there is none
/// or a manager withdrew it.
pub fn workstation(h: &Hearth, credential: Option<&str>) -> CoreResult<Workstation> {
    let Some(credential) = credential.filter(|c| !c.is_empty()) else {
        return Err(workstations::unpaired());
    };
    let w = h
        .store
        .look_up(|tx| workstations::resolve(tx, credential))?;
    let now = h.clock.now_ms();
    if now - w.last_seen_ms >= workstations::SEEN_EVERY_MS {
        h.store.write(|tx| workstations::touch(tx, w.id, now))?;
    }
    Ok(w)
}
