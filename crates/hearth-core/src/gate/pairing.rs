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
pub fn pair(
    h: &Hearth,
    workstation: &str,
    kind: WorkstationKind,
    args: &str,
) -> CoreResult<(Paired, String)> {
    let req: PairWorkstation = request::parse(args)?;
    let name = crate::setup::clean_text("name", "This computer's name", &req.name, 60, true)?;
    let now = h.clock.now_ms();
    let actor = Actor {
        workstation: Some(workstation.to_owned()),
        ..Actor::default()
    };
    let refuse = |e: CoreError| {
        let _ = h.record_refusal(&actor, "pair_workstation", None, &e, serde_json::json!({}));
        e
    };
    let Some(identity) = existing_identity(h)?.filter(|i| i.sharing) else {
        return Err(CoreError::Unpaired {
            message: "The practice computer is not sharing the practice just now. A manager switches it on there, in Settings → Sharing.".into(),
        });
    };
    if let Some(minutes) = h.store.read(|tx| workstations::paused(tx, now))? {
        return Err(refuse(CoreError::PairingLocked { minutes }));
    }
    if !workstations::code_matches(&identity, &req.code, now) {
        h.store.write(|tx| workstations::record_failure(tx, now))?;
        return Err(refuse(CoreError::BadPairingCode));
    }
    let (w, credential) = h.write(&actor, "pair_workstation", |ctx| {
        let (w, credential) = workstations::add(ctx.tx, &name, kind, ctx.now_ms)?;
        ctx.changed(topics::WORKSTATION_CHANGED, w.id);
        ctx.detail(serde_json::json!({ "kind": kind }));
        Ok((w, credential))
    })?;
    Ok((Paired { workstation: w }, credential))
}

/// The paired computer a credential stands for (touching when it was last
/// seen, at most once a minute). `workstation.unpaired` when there is none
/// or a manager withdrew it.
pub fn workstation(h: &Hearth, credential: Option<&str>) -> CoreResult<Workstation> {
    let Some(credential) = credential.filter(|c| !c.is_empty()) else {
        return Err(workstations::unpaired());
    };
    let w = h.store.read(|tx| workstations::resolve(tx, credential))?;
    let now = h.clock.now_ms();
    if now - w.last_seen_ms >= workstations::SEEN_EVERY_MS {
        h.store.write(|tx| workstations::touch(tx, w.id, now))?;
    }
    Ok(w)
}
