//! Sharing the practice with its other computers, as a manager sees it in
//! Settings: whether this practice is shared and on which port, the
//! certificate fingerprint and the pairing code of the moment, the paired
//! computers with when each was last seen, and withdrawing one. The tables
//! and the code's rule are `access::workstations`'; pairing itself happens
//! before anyone signs in, in `gate::pair`.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::workstations::{self, Workstation};
use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct GetSharing {}

/// What Settings → Sharing shows.
#[derive(Debug, Clone, Serialize, TS, utoipa::ToSchema)]
pub struct SharingStatus {
    /// Whether the practice is shared (the desktop app shares it when it starts).
    pub sharing: bool,
    pub port: u16,
    /// The certificate's SHA-256, "AB:CD:…"; `None` before it was first shared.
    pub fingerprint: Option<String>,
    /// The six-digit code another computer types to pair, while shared.
    pub code: Option<String>,
    /// When the code changes (epoch ms).
    #[ts(type = "number | null")]
    pub code_valid_until_ms: Option<i64>,
    pub workstations: Vec<Workstation>,
}

pub fn status(ctx: &ReadCtx<'_>, _req: GetSharing) -> CoreResult<SharingStatus> {
    let identity = workstations::identity(ctx.tx)?;
    let list = workstations::list(ctx.tx)?;
    Ok(match identity {
        None => SharingStatus {
            sharing: false,
            port: workstations::DEFAULT_PORT,
            fingerprint: None,
            code: None,
            code_valid_until_ms: None,
            workstations: list,
        },
        Some(id) => {
            let (code, until) = id.code_at(ctx.now_ms);
            SharingStatus {
                sharing: id.sharing,
                port: id.port,
                fingerprint: Some(id.fingerprint.clone()),
                code: id.sharing.then_some(code),
                code_valid_until_ms: id.sharing.then_some(until),
                workstations: list,
            }
        }
    })
}

/// `set_sharing`: share the practice (or stop) and on which port. The
/// transport that holds the file starts or stops serving after it.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SetSharing {
    pub sharing: bool,
    #[serde(default)]
    pub port: Option<u16>,
}

pub fn set(ctx: &mut Ctx<'_>, req: SetSharing) -> CoreResult<SharingStatus> {
    let Some(identity) = workstations::identity(ctx.tx)? else {
        return Err(CoreError::invalid(
            "sharing",
            "Sharing is switched on at the practice computer itself, in Hearth's desktop app there (or by whoever looks after the practice's server).",
        ));
    };
    let port = req.port.unwrap_or(identity.port);
    if port < 1024 {
        return Err(CoreError::invalid(
            "port",
            "Choose a port from 1024 to 65535 (8443 is usual).",
        ));
    }
    workstations::set_sharing(ctx.tx, req.sharing, port)?;
    ctx.changed(topics::WORKSTATION_CHANGED, 0);
    ctx.detail(serde_json::json!({ "sharing": req.sharing, "port": port }));
    status(ctx, GetSharing {})
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct RevokeWorkstation {
    #[ts(type = "number")]
    pub id: i64,
}

/// Withdraws a paired computer: its next request is refused, and its live
/// connection is closed by the transport.
pub fn revoke(ctx: &mut Ctx<'_>, req: RevokeWorkstation) -> CoreResult<Workstation> {
    let w = workstations::get(ctx.tx, req.id)?;
    if w.revoked_at_ms.is_some() {
        return Err(CoreError::invalid(
            "id",
            format!("“{}” was already disconnected.", w.name),
        ));
    }
    workstations::revoke(ctx.tx, req.id, ctx.actor.staff_id, ctx.now_ms)?;
    ctx.changed(topics::WORKSTATION_CHANGED, req.id);
    workstations::get(ctx.tx, req.id)
}
