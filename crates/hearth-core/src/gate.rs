//! The door every transport goes through. [`run`] resolves a session token
//! into the acting staff member and runs a command for them; [`access`] does
//! the steps that come before a session exists or that change it: reading the
//! session, signing in and out, setting up a practice, opening the demo, and
//! a first manager password for a file from before sign-in existed. Tokens
//! come in from the transport (a cookie, or the desktop shell's per-window
//! store) and go back out only as [`TokenChange`]: screens never see them.
pub mod pairing;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use ts_rs::TS;

use crate::access::sessions::{self, Resolved, Session};
use crate::access::{passwords, Permission, StaffRole};
use crate::app::{Actor, Ctx, Hearth};
use crate::audit;
use crate::commands;
use crate::demo;
use crate::error::{CoreError, CoreResult};
use crate::ids::StaffId;
use crate::request;
use crate::scheduling::desk_day::{desk_day, DeskDay};
use crate::setup::practice::{self, PracticeKind};
use crate::setup::staff::{self, Staff};
use crate::setup::starter::{self, SetupPractice};

/// Who is calling, as the transport knows it.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    /// The session token from the cookie or the window's store.
    pub token: Option<String>,
    /// Where the call comes from, in words ("Desktop window main", "Browser on Linux").
    pub workstation: String,
    /// The paired computer the call came through (a shared practice's other
    /// computers): the sessions opened from it end when a manager withdraws it.
    pub workstation_id: Option<i64>,
    /// The window or tab, for echo suppression.
    pub origin: Option<String>,
    /// A refetch the screen made by itself after a change event: it does not
    /// count as use for the idle lock.
    pub background: bool,
}

/// Runs command `name` for the session in `caller`. Without a live session:
/// `auth.required` (or `auth.expired` past the idle limit); while a manager-set
/// password is unchanged, only `change_password` runs.
pub fn run(h: &Hearth, caller: &Caller, name: &str, args: &str) -> CoreResult<Box<RawValue>> {
    let actor = authenticate(h, caller, name)?;
    commands::dispatch(h, &actor, name, args)
}

fn authenticate(h: &Hearth, caller: &Caller, command: &str) -> CoreResult<Actor> {
    let unknown = Actor {
        workstation: Some(caller.workstation.clone()),
        origin: caller.origin.clone(),
        ..Actor::default()
    };
    let refuse = |actor: &Actor, e: CoreError| {
        let _ = h.record_refusal(actor, command, Some(command), &e, serde_json::json!({}));
        e
    };
    let Some(token) = caller.token.as_deref() else {
        return Err(refuse(&unknown, CoreError::auth_required()));
    };
    let now = h.clock.now_ms();
    let session = match h.store.look_up(|tx| sessions::resolve(tx, token, now)) {
        Ok(Resolved::Live(s)) => s,
        Ok(Resolved::Expired { id, message }) => {
            h.store.write(|tx| sessions::end(tx, id, now, "idle"))?;
            return Err(refuse(&unknown, CoreError::Expired { message }));
        }
        Err(e) => return Err(refuse(&unknown, e)),
    };
    let actor = Actor {
        staff_id: Some(session.staff_id),
        session_id: Some(session.id),
        workstation: Some(session.workstation.clone()),
        origin: caller.origin.clone(),
    };
    if session.must_change_password && command != "change_password" {
        return Err(refuse(&actor, CoreError::PasswordChangeRequired));
    }
    if !caller.background && now - session.last_seen_ms >= sessions::TOUCH_EVERY_MS {
        h.store.write(|tx| sessions::touch(tx, session.id, now))?;
    }
    Ok(actor)
}

/// What the sign-in screen and the header need to know.
#[derive(Debug, Clone, Serialize, TS, utoipa::ToSchema)]
pub struct SessionInfo {
    /// `None` before a practice is set up (the first-run screen).
    pub practice: Option<PracticeBrief>,
    /// A file from before sign-in: its managers, one of whom must choose a
    /// password first. Empty otherwise.
    pub first_password_managers: Vec<StaffBrief>,
    /// The demo practice only: who can sign in (every password is "demo").
    pub demo_logins: Vec<StaffBrief>,
    pub signed_in: Option<SignedInAs>,
}

#[derive(Debug, Clone, Serialize, TS, utoipa::ToSchema)]
pub struct PracticeBrief {
    pub name: String,
    pub kind: PracticeKind,
    pub demo: bool,
    pub idle_lock_minutes: u16,
    /// The practice's time zone (IANA): the sign-in screen prepares the
    /// calendar's date formatting for it while it waits.
    pub time_zone: String,
    /// The practice's clock and the day the calendar opens on.
    pub day: DeskDay,
}

#[derive(Debug, Clone, Serialize, TS, utoipa::ToSchema)]
pub struct StaffBrief {
    pub id: StaffId,
    pub name: String,
    pub login: Option<String>,
    pub role: StaffRole,
    pub colour: String,
}

#[derive(Debug, Clone, Serialize, TS, utoipa::ToSchema)]
pub struct SignedInAs {
    pub staff: Staff,
    /// What this person may do; the screens hide the rest.
    pub permissions: Vec<Permission>,
    pub must_change_password: bool,
    pub workstation: String,
    /// Managers only: the audit trail's check on open, when it found a break.
    pub audit_problem: Option<audit::Verdict>,
}

/// `sign_in`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SignIn {
    pub login: String,
    pub password: String,
}

/// `first_password`: a manager of a file from before sign-in chooses theirs.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct FirstPassword {
    pub staff_id: StaffId,
    pub login: String,
    pub password: String,
}

/// What an access step did to the caller's session token.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenChange {
    Keep,
    /// A new session: the transport stores this token (cookie, window store).
    Set(String),
    /// Signed out or ended: the transport forgets the token.
    Clear,
}

#[derive(Debug, Clone)]
pub struct AccessAnswer {
    pub token: TokenChange,
    pub info: SessionInfo,
}

/// The access steps, by name: what `POST /api/access/{step}` and the
/// desktop's `hearth_access` take.
pub const STEPS: &[&str] = &[
    "session",
    "sign_in",
    "sign_out",
    "setup_practice",
    "open_demo_practice",
    "restore_practice",
    "first_password",
];

/// Runs one access step. `args` is the step's request as JSON text.
pub fn access(h: &Hearth, caller: &Caller, step: &str, args: &str) -> CoreResult<AccessAnswer> {
    match step {
        "session" => session(h, caller),
        "sign_in" => sign_in(h, caller, request::parse(args)?),
        "sign_out" => sign_out(h, caller),
        "setup_practice" => {
            let req: SetupPractice = request::parse(args)?;
            start_practice(h, caller, "setup_practice", |ctx| {
                Ok(starter::setup(ctx, req)?.manager_id)
            })
        }
        "open_demo_practice" => {
            let req: demo::OpenDemoPractice = request::parse(args)?;
            start_practice(h, caller, "open_demo_practice", |ctx| {
                Ok(demo::open(ctx, req)?.manager_id)
            })
        }
        "restore_practice" => {
            let actor = Actor {
                workstation: Some(caller.workstation.clone()),
                origin: caller.origin.clone(),
                ..Actor::default()
            };
            crate::setup::backups::restore_practice(h, &actor, request::parse(args)?)?;
            // Everyone signs in with their own password, as the backup has it.
            Ok(AccessAnswer {
                token: TokenChange::Clear,
                info: info(h, None)?,
            })
        }
        "first_password" => first_password(h, caller, request::parse(args)?),
        _ => Err(CoreError::UnknownCommand {
            name: step.chars().take(60).collect(),
        }),
    }
}

fn live_session(h: &Hearth, token: Option<&str>) -> CoreResult<(Option<Session>, TokenChange)> {
    let Some(token) = token else {
        return Ok((None, TokenChange::Keep));
    };
    let now = h.clock.now_ms();
    match h.store.look_up(|tx| sessions::resolve(tx, token, now)) {
        Ok(Resolved::Live(s)) => Ok((Some(s), TokenChange::Keep)),
        Ok(Resolved::Expired { id, .. }) => {
            h.store.write(|tx| sessions::end(tx, id, now, "idle"))?;
            Ok((None, TokenChange::Clear))
        }
        Err(e) if e.code() == "auth.required" => Ok((None, TokenChange::Clear)),
        Err(e) => Err(e),
    }
}

fn session(h: &Hearth, caller: &Caller) -> CoreResult<AccessAnswer> {
    let (s, token) = live_session(h, caller.token.as_deref())?;
    Ok(AccessAnswer {
        token,
        info: info(h, s.as_ref())?,
    })
}

/// Builds what the screens are told about the practice and the session.
pub fn info(h: &Hearth, session: Option<&Session>) -> CoreResult<SessionInfo> {
    let verdict = h.audit_on_open();
    h.read(&Actor::default(), |ctx| {
        let Some(p) = practice::load(ctx)? else {
            return Ok(SessionInfo {
                practice: None,
                first_password_managers: vec![],
                demo_logins: vec![],
                signed_in: None,
            });
        };
        let everyone = staff::list(ctx, Default::default())?;
        let brief = |s: &Staff| StaffBrief {
            id: s.id,
            name: s.name.clone(),
            login: s.login.clone(),
            role: s.role,
            colour: s.colour.clone(),
        };
        let nobody_has_password = !everyone.iter().any(|s| s.has_password);
        let signed_in = match session {
            Some(s) => {
                let member = staff::get(ctx, s.staff_id)?;
                Some(SignedInAs {
                    permissions: member.role.permissions().to_vec(),
                    must_change_password: member.must_change_password,
                    workstation: s.workstation.clone(),
                    audit_problem: (member.role.may(Permission::ViewActivity)
                        && !verdict.is_whole())
                    .then(|| verdict.clone()),
                    staff: member,
                })
            }
            None => None,
        };
        Ok(SessionInfo {
            first_password_managers: if nobody_has_password {
                everyone
                    .iter()
                    .filter(|s| s.role == StaffRole::Manager)
                    .map(brief)
                    .collect()
            } else {
                vec![]
            },
            demo_logins: if p.demo {
                everyone
                    .iter()
                    .filter(|s| s.has_password)
                    .map(brief)
                    .collect()
            } else {
                vec![]
            },
            practice: Some(PracticeBrief {
                day: desk_day(ctx, &p)?,
                name: p.name,
                kind: p.kind,
                demo: p.demo,
                idle_lock_minutes: p.idle_lock_minutes,
                time_zone: p.time_zone,
            }),
            signed_in,
        })
    })
}

/// The answer to a step that opened a session: its token, and who is now in.
fn signed_in_answer(h: &Hearth, token: String) -> CoreResult<AccessAnswer> {
    let now = h.clock.now_ms();
    let session = match h.store.look_up(|tx| sessions::resolve(tx, &token, now))? {
        Resolved::Live(s) => s,
        Resolved::Expired { message, .. } => return Err(CoreError::Expired { message }),
    };
    Ok(AccessAnswer {
        info: info(h, Some(&session))?,
        token: TokenChange::Set(token),
    })
}

fn sign_in(h: &Hearth, caller: &Caller, req: SignIn) -> CoreResult<AccessAnswer> {
    let login = req.login.trim().to_lowercase();
    let member = h.store.read(|tx| staff::by_login(tx, &login))?;
    let actor = Actor {
        staff_id: member.as_ref().map(|m| m.0),
        workstation: Some(caller.workstation.clone()),
        origin: caller.origin.clone(),
        session_id: None,
    };
    // People type their password into the login box: only something that
    // could be a login goes into the trail as typed.
    // Tries at logins nobody could have share one count, so they cost the
    // guesser Argon2 time only five at a time.
    let typed = match staff::clean_login(&login) {
        Ok(l) => l,
        Err(_) => "(not a possible login)".to_owned(),
    };
    let detail = serde_json::json!({ "login": typed });
    // An archived member's hash is never tried: same time, same answer.
    let stored = match &member {
        Some((_, Some(hash), false)) => Some(hash.as_str()),
        _ => None,
    };
    let matches = match staff::try_password(h, &typed, stored, &req.password) {
        Ok(m) => m,
        Err(e) => {
            let _ = h.record_refusal(&actor, "sign_in", None, &e, detail);
            return Err(e);
        }
    };
    if !matches {
        let e = CoreError::BadCredentials;
        let _ = h.record_refusal(&actor, "sign_in", None, &e, detail);
        return Err(e);
    }
    let Some((staff_id, _, _)) = member else {
        return Err(CoreError::BadCredentials);
    };
    let (_, token) = h.write(&actor, "sign_in", |ctx| {
        let (id, token) = sessions::issue(
            ctx.tx,
            staff_id,
            &caller.workstation,
            caller.workstation_id,
            ctx.now_ms,
        )?;
        ctx.detail(serde_json::json!({ "session_id": id }));
        Ok((id, token))
    })?;
    signed_in_answer(h, token)
}

fn sign_out(h: &Hearth, caller: &Caller) -> CoreResult<AccessAnswer> {
    let (s, _) = live_session(h, caller.token.as_deref())?;
    if let Some(s) = s {
        let actor = Actor {
            staff_id: Some(s.staff_id),
            session_id: Some(s.id),
            workstation: Some(s.workstation.clone()),
            origin: caller.origin.clone(),
        };
        h.write(&actor, "sign_out", |ctx| {
            sessions::end(ctx.tx, s.id, ctx.now_ms, "signed out")
        })?;
    }
    Ok(AccessAnswer {
        token: TokenChange::Clear,
        info: info(h, None)?,
    })
}

/// Sets up a practice (or the demo) and signs its first manager in.
fn start_practice(
    h: &Hearth,
    caller: &Caller,
    step: &str,
    create: impl FnOnce(&mut Ctx<'_>) -> CoreResult<StaffId>,
) -> CoreResult<AccessAnswer> {
    let actor = Actor {
        workstation: Some(caller.workstation.clone()),
        origin: caller.origin.clone(),
        ..Actor::default()
    };
    let (_, token) = h.write(&actor, step, |ctx| {
        let manager = create(ctx)?;
        let (id, token) = sessions::issue(
            ctx.tx,
            manager,
            &caller.workstation,
            caller.workstation_id,
            ctx.now_ms,
        )?;
        ctx.detail(serde_json::json!({ "manager_id": manager, "session_id": id }));
        Ok((id, token))
    })?;
    signed_in_answer(h, token)
}

fn first_password(h: &Hearth, caller: &Caller, req: FirstPassword) -> CoreResult<AccessAnswer> {
    let actor = Actor {
        staff_id: Some(req.staff_id),
        workstation: Some(caller.workstation.clone()),
        origin: caller.origin.clone(),
        session_id: None,
    };
    passwords::check_new("password", &req.password)?;
    let hash = passwords::hash(&req.password)?;
    let (_, token) = h.write(&actor, "first_password", |ctx| {
        let any = staff::anyone_has_password(ctx.tx)?;
        if any {
            return Err(CoreError::Forbidden {
                message: "Passwords are already set for this practice. Sign in, or ask a manager to reset yours.".into(),
            });
        }
        let member = staff::get(ctx, req.staff_id)?;
        if member.archived || member.role != StaffRole::Manager {
            return Err(CoreError::invalid(
                "staff_id",
                "Only a current manager can choose the first password.",
            ));
        }
        staff::set_credentials(ctx, member.id, Some(&req.login), &hash, false)?;
        sessions::issue(ctx.tx, member.id, &caller.workstation, caller.workstation_id, ctx.now_ms)
    })?;
    signed_in_answer(h, token)
}
