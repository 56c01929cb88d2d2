//! Demo practices: a lived-in dental office or hotel, generated
//! deterministically from a seed. The first-run demo covers a few weeks around
//! today (a busy day, a few cancellations, someone waiting); `years` scales it
//! to a decade of history for benchmarks. Bookings are written with direct
//! inserts in one transaction: the generator never overlaps by construction,
//! and a test checks that against the same rule the core enforces.
use chrono::{Days, NaiveDate};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::passwords;
use crate::app::{Actor, Ctx, Hearth};
use crate::error::{CoreError, CoreResult};
use crate::ids::{AppointmentTypeId, BookingId, PersonId, ResourceId, RoomTypeId, StaffId};
use crate::instant::LocalDate;
use crate::people::records;
use crate::scheduling::bookings::{self, GeneratedBooking};
use crate::scheduling::hours::open_minutes;
use crate::scheduling::status::BookingStatus;
use crate::setup::blocks;
use crate::setup::practice::{self, DayHours, PracticeKind};
use crate::setup::resources::{ListResources, Resource, ResourceKind};
use crate::setup::staff::StaffRole;
use crate::setup::starter::{self, SetupDone, SetupPractice};
use crate::setup::{appointment_types, resources, staff};
use crate::time::{local_date, local_ms, weekday};

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub kind: PracticeKind,
    /// Years of history; 0 = four weeks back and four ahead.
    pub years: u32,
    /// Chairs (dental) or rooms (hotel); a sensible default when `None`.
    pub resources: Option<u32>,
    pub seed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    pub bookings: u64,
    pub resources: u64,
}

/// `open_demo_practice`: fill an empty practice file with the demo.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct OpenDemoPractice {
    pub kind: PracticeKind,
}

pub fn open(ctx: &mut Ctx<'_>, req: OpenDemoPractice) -> CoreResult<SetupDone> {
    let opts = DemoOptions {
        kind: req.kind,
        years: 0,
        resources: None,
        seed: 7,
    };
    let (done, _) = fill(ctx, &opts)?;
    Ok(done)
}

/// Writes the demo into `hearth`'s (empty) practice file.
pub fn generate(hearth: &Hearth, opts: &DemoOptions) -> CoreResult<DemoSummary> {
    let actor = Actor {
        workstation: Some("Command line (hearth demo)".into()),
        ..Actor::default()
    };
    hearth.write(&actor, "open_demo_practice", |ctx| {
        fill(ctx, opts).map(|(_, s)| s)
    })
}

/// Two records made twice, as a busy desk makes them, for the possible-duplicates
/// list to show: the practice's most frequent visitor typed again without a phone
/// (their alert stays on the first record), and another with a slip in the family
/// name and the same phone.
fn plant_duplicates(ctx: &mut Ctx<'_>) -> CoreResult<()> {
    let regulars = crate::people::records::most_booked(ctx, 20)?;
    let region = crate::people::phones::region("GB");
    let created = ctx.now_ms - 10 * 86_400_000;
    if let Some(first) = regulars.first() {
        let p = crate::people::records::get(ctx, *first)?;
        records::insert_generated(ctx, &p.full_name, "", region, created)?;
    }
    for id in regulars.iter().skip(5) {
        let p = crate::people::records::get(ctx, *id)?;
        // A slip is only a slip in a long name: "Lindqvist" → "Lindqvest".
        let mut family: Vec<char> = p.family_name.chars().collect();
        if family.len() < 6 {
            continue;
        }
        let at = family.len() - 2;
        family[at] = if family[at] == 'e' { 'a' } else { 'e' };
        let name = format!(
            "{} {}",
            p.given_name,
            family.into_iter().collect::<String>()
        );
        records::insert_generated(ctx, &name, &p.phone, region, created)?;
        break;
    }
    Ok(())
}

/// A few of the demo's people carry what the desk must know first; those with
/// the most bookings, so they are on the calendar.
fn give_demo_alerts(ctx: &mut Ctx<'_>, kind: PracticeKind) -> CoreResult<()> {
    use crate::people::alerts::{insert_generated, AlertKind as K, AlertSeverity as S};
    let alerts: &[(K, S, &str)] = match kind {
        PracticeKind::Dental => &[
            (K::Allergy, S::Critical, "Penicillin"),
            (
                K::Premedication,
                S::Warning,
                "Antibiotic cover before any extraction",
            ),
            (
                K::Condition,
                S::Warning,
                "Nervous patient: explain each step",
            ),
            (
                K::Accessibility,
                S::Info,
                "Uses a wheelchair: Chair 1 (ground floor)",
            ),
        ],
        PracticeKind::Hotel => &[
            (K::Allergy, S::Critical, "Nuts: tell the kitchen"),
            (
                K::Accessibility,
                S::Warning,
                "Step-free room, walk-in shower",
            ),
            (K::Other, S::Info, "Prefers a quiet room away from the lift"),
        ],
    };
    let people = crate::people::records::most_booked(ctx, alerts.len())?;
    for (person, (k, s, text)) in people.into_iter().zip(alerts.iter()) {
        insert_generated(ctx, person, *k, *s, text)?;
    }
    Ok(())
}

/// The first upcoming live booking (starting `from_days`..`to_days` from now)
/// of someone not in `not`, with its person.
fn upcoming_booking(
    ctx: &Ctx<'_>,
    from_days: i64,
    to_days: i64,
    not: &[PersonId],
    with_past: bool,
) -> CoreResult<Option<(BookingId, PersonId, i64)>> {
    let list = serde_json::to_string(not).map_err(|e| CoreError::Storage(e.to_string()))?;
    let day = 86_400_000;
    Ok(ctx
        .tx
        .query_row(
            "SELECT b.id, b.person_id, b.starts_at_ms FROM bookings b
              WHERE b.live = 1 AND b.person_id IS NOT NULL AND b.starts_at_ms BETWEEN ?1 AND ?2
                AND b.person_id NOT IN (SELECT value FROM json_each(?3))
                AND (NOT ?4 OR EXISTS (SELECT 1 FROM bookings p WHERE p.person_id = b.person_id AND p.ends_at_ms < ?5
                                         AND p.status IN ('completed', 'checked_out')))
              ORDER BY b.starts_at_ms LIMIT 1",
            params![ctx.now_ms + from_days * day, ctx.now_ms + to_days * day, list, with_past, ctx.now_ms],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// The demo lives: an anniversary (or birthday) on the record that falls on
/// a stay (visit) in the coming days, with its occasion and preparation tasks;
/// an incident from an earlier stay (visit) remembered, with the gesture task
/// it proposes on the next one; a note; and an overdue task on the board.
fn give_demo_care(ctx: &mut Ctx<'_>, kind: PracticeKind) -> CoreResult<()> {
    use crate::care::{follow, incidents, tasks};
    use crate::people::{dates, notes};
    let p = practice::require(ctx)?;
    let Some((celebrating, person, starts)) = upcoming_booking(ctx, 1, 6, &[], false)? else {
        return Ok(());
    };
    let day = local_date(p.tz(), starts);
    use chrono::Datelike;
    let (kind_of_date, years, label, flags, preferences): (_, _, _, &[&str], _) = match kind {
        PracticeKind::Hotel => (
            dates::DateKind::Anniversary,
            10,
            "wedding anniversary",
            &["High floor", "Feather-free pillows"],
            "Sparkling water in the room",
        ),
        PracticeKind::Dental => (
            dates::DateKind::Birthday,
            40,
            "",
            &["Anxious patient", "Prefers mornings"],
            "Likes each step explained",
        ),
    };
    dates::add(
        ctx,
        dates::AddImportantDate {
            person_id: person,
            kind: kind_of_date,
            month: day.month(),
            day: day.day(),
            year: Some(day.year() - years),
            label: label.into(),
        },
    )?;
    records::set_generated_extras(ctx, person, flags, preferences, true)?;
    notes::add(
        ctx,
        notes::AddNote {
            person_id: person,
            body: match kind {
                PracticeKind::Hotel => {
                    "Booked through a booking site; replied by e-mail that it is their anniversary."
                        .into()
                }
                PracticeKind::Dental => "Asked to be reminded by text, not a call.".into(),
            },
        },
    )?;
    follow::booking_written(ctx, celebrating)?;

    // Remembered from an earlier visit or stay.
    if let Some((next, guest, _)) = upcoming_booking(ctx, 1, 10, &[person], true)? {
        let last: Option<(BookingId, i64)> = ctx
            .tx
            .query_row(
                "SELECT id, starts_at_ms FROM bookings WHERE person_id = ?1 AND ends_at_ms < ?2
                   AND status IN ('completed', 'checked_out') ORDER BY starts_at_ms DESC LIMIT 1",
                params![guest, ctx.now_ms],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((last, last_start)) = last {
            let (what, category, gesture) = match kind {
                PracticeKind::Hotel => (
                    "Weak shower",
                    incidents::IncidentCategory::Maintenance,
                    "Welcome note and a gift",
                ),
                PracticeKind::Dental => (
                    "Waited 35 minutes past the appointment time",
                    incidents::IncidentCategory::Service,
                    "Apologise; first appointment of the day",
                ),
            };
            incidents::insert_generated(
                ctx,
                last,
                what,
                category,
                last_start + 3 * 3_600_000,
                30,
                gesture,
            )?;
            incidents::propose_gestures(ctx, next)?;
        }
    }

    // Something already late on today's board.
    let role = match kind {
        PracticeKind::Hotel => StaffRole::Housekeeping,
        PracticeKind::Dental => StaffRole::FrontDesk,
    };
    tasks::add(
        ctx,
        tasks::AddTask {
            title: match kind {
                PracticeKind::Hotel => "Replace the bathroom light bulb in Room 104".into(),
                PracticeKind::Dental => "Call the lab about Thursday's crown".into(),
            },
            details: String::new(),
            person_id: None,
            booking_id: None,
            incident_id: None,
            role: Some(role),
            staff_id: None,
            due_at_ms: crate::instant::Instant::new(ctx.now_ms - 2 * 3_600_000),
            relative: None,
        },
    )?;
    Ok(())
}

/// History before the demo's four weeks, so that recall has someone to
/// call: patients whose last check-up was five to eight months ago (one with
/// an incident still open), and regular guests who came every two to four
/// months and are now past their usual return. Only the past is written, on
/// days the generated weeks do not reach.
fn give_demo_history(
    ctx: &mut Ctx<'_>,
    gen: &mut Gen,
    kind: PracticeKind,
    desk: StaffId,
) -> CoreResult<u64> {
    use crate::care::incidents;
    let p = practice::require(ctx)?;
    let tz = p.tz();
    let today = local_date(tz, ctx.now_ms);
    let all = resources::list(ctx, ListResources::default())?;
    let of = |k: ResourceKind| -> Vec<ResourceId> {
        all.iter().filter(|r| r.kind == k).map(|r| r.id).collect()
    };
    let types = appointment_types::list(ctx, Default::default())?;
    let mut open_incident = None;
    let mut ins = Insert {
        ctx,
        count: 0,
        people: Default::default(),
    };
    match kind {
        PracticeKind::Dental => {
            let (chairs, providers) = (of(ResourceKind::Chair), of(ResourceKind::Provider));
            // Check-ups with a dentist; every third a hygiene visit with the hygienist.
            let recalled: Vec<_> = types.iter().filter(|t| t.recall_months.is_some()).collect();
            let Some(&checkup) = recalled.first() else {
                return Ok(0);
            };
            let hygiene = recalled.get(1).copied().unwrap_or(checkup);
            let (Some(&chair), false) = (chairs.first(), providers.is_empty()) else {
                return Ok(0);
            };
            for i in 0..12u64 {
                // Someone not on the calendar's weeks: their last visit is the history's.
                let person = gen.new_person();
                let (kind_of, provider) = if i % 3 == 2 {
                    (hygiene, providers[2 % providers.len()])
                } else {
                    (checkup, providers[i as usize % 2 % providers.len()])
                };
                let minute = 9 * 60 + 60 * (i as u32 % 4);
                for back in [150 + 9 * i, 330 + 9 * i] {
                    let mut day = today - Days::new(back);
                    while weekday(day) >= 5 {
                        day = day - Days::new(1);
                    }
                    let s = local_ms(tz, day, minute);
                    let e = s + i64::from(kind_of.duration_minutes) * 60_000;
                    let id = ins.booking(
                        &person,
                        kind_of.id,
                        s,
                        e,
                        None,
                        BookingStatus::Completed,
                        &[chair, provider],
                        desk,
                    )?;
                    if i == 9 && back < 300 {
                        open_incident = Some((id, e));
                    }
                }
            }
        }
        PracticeKind::Hotel => {
            let rooms = of(ResourceKind::Room);
            let Some(stay) = types.iter().find(|t| t.needs_room) else {
                return Ok(0);
            };
            for i in 0..6u64.min(rooms.len() as u64) {
                // Someone not on the calendar's weeks: their last visit is the history's.
                let person = gen.new_person();
                let every = 60 + 15 * i;
                for n in 0..3u64 {
                    let arrive = today - Days::new(every + 5 + 4 * i + every * n);
                    let leave = arrive + Days::new(2);
                    let s = local_ms(tz, arrive, u32::from(p.check_in_minute));
                    let e = local_ms(tz, leave, u32::from(p.check_out_minute));
                    let id = ins.booking(
                        &person,
                        stay.id,
                        s,
                        e,
                        Some((arrive, leave)),
                        BookingStatus::CheckedOut,
                        &[rooms[i as usize]],
                        desk,
                    )?;
                    if i == 2 && n == 0 {
                        open_incident = Some((id, e));
                    }
                }
            }
        }
    }
    let count = ins.count;
    if let Some((booking, at)) = open_incident {
        let (what, category) = match kind {
            PracticeKind::Dental => (
                "New crown felt high; asked to come back to have it adjusted",
                incidents::IncidentCategory::Clinical,
            ),
            PracticeKind::Hotel => (
                "Charged twice for the minibar; refund still to confirm",
                incidents::IncidentCategory::Billing,
            ),
        };
        incidents::log(
            ctx,
            incidents::LogIncident {
                booking_id: booking,
                what: what.into(),
                category,
                severity: incidents::IncidentSeverity::Moderate,
                reported_at_ms: crate::instant::Instant::new(at - 3_600_000),
                task_for: None,
                remember: false,
                gesture: String::new(),
            },
        )?;
    }
    Ok(count)
}

/// Rooms left today are dirty: housekeeping's morning.
fn give_demo_room_states(ctx: &mut Ctx<'_>) -> CoreResult<()> {
    use crate::scheduling::room_status;
    let p = practice::require(ctx)?;
    let today = local_date(p.tz(), ctx.now_ms).to_string();
    let left: Vec<ResourceId> = ctx
        .tx
        .prepare(
            "SELECT br.resource_id FROM bookings b JOIN booking_resources br ON br.booking_id = b.id
              WHERE b.departure_date = ?1 AND b.status = 'checked_out'",
        )?
        .query_map([&today], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    room_status::mark_dirty(ctx, &left)?;
    Ok(())
}

/// Every demo staff member's password; the demo's sign-in screen says so.
pub const DEMO_PASSWORD: &str = "demo";

/// Each demo member signs in with their first name (`maria`, `sofia`).
fn give_demo_logins(ctx: &mut Ctx<'_>, hash: &str) -> CoreResult<()> {
    let members = staff::list(ctx, Default::default())?;
    let mut used: Vec<String> = Vec::new();
    for m in members {
        let first = m
            .name
            .split_whitespace()
            .find(|w| *w != "Dr")
            .unwrap_or("staff")
            .to_lowercase();
        let base: String = first
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let mut login = base.clone();
        let mut n = 2;
        while used.contains(&login) {
            login = format!("{base}{n}");
            n += 1;
        }
        used.push(login.clone());
        staff::set_credentials(ctx, m.id, Some(&login), hash, false)?;
    }
    Ok(())
}

const FIRST: &[&str] = &[
    "Ana", "Ben", "Chloe", "Daniel", "Ella", "Farah", "George", "Hana", "Isaac", "Jade", "Kofi",
    "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Samuel", "Tara", "Uma", "Victor",
    "Wen", "Yusuf", "Zoe", "Amara", "Bruno", "Carmen", "Dmitri", "Eleni", "Felix", "Grace", "Hugo",
    "Ines", "Jonas", "Keira", "Luca", "Maya", "Niall", "Olga",
];
const LAST: &[&str] = &[
    "Ruiz",
    "Okafor",
    "Smith",
    "Novak",
    "Chen",
    "Haddad",
    "Murphy",
    "Silva",
    "Kowalski",
    "Jensen",
    "Patel",
    "Moreau",
    "Rossi",
    "Byrne",
    "Tanaka",
    "Mensah",
    "Larsen",
    "Costa",
    "Fischer",
    "Nguyen",
    "Ahmed",
    "Walsh",
    "Dubois",
    "Schmidt",
    "Ortiz",
    "Kim",
    "Oliveira",
    "Brennan",
    "Lindqvist",
    "Mbeki",
];

struct Gen {
    rng: fastrand::Rng,
    /// The practice's regulars: people come back.
    pool: Vec<(String, String)>,
    /// The names given so far.
    named: std::collections::HashSet<String>,
}

impl Gen {
    /// One of the practice's people (a pool of 600, so most come back).
    fn person(&mut self) -> (String, String) {
        if self.pool.is_empty() {
            for _ in 0..600 {
                let p = self.new_person();
                self.pool.push(p);
            }
        }
        self.pool[self.rng.usize(..self.pool.len())].clone()
    }

    fn new_person(&mut self) -> (String, String) {
        // One person per name: a namesake would be a duplicate on the
        // possible-duplicates list (the demo plants its own, `plant_duplicates`).
        let mut name;
        loop {
            name = format!(
                "{} {}",
                FIRST[self.rng.usize(..FIRST.len())],
                LAST[self.rng.usize(..LAST.len())]
            );
            if self.named.insert(name.clone()) || self.named.len() >= FIRST.len() * LAST.len() {
                break;
            }
        }
        // 020 7946 0xxx is London's range reserved for drama: never a real
        // number. (Tests write their own people with 07700 900xxx, the
        // mobile drama range, so a demo patient never shares their phone.)
        let phone = format!("020 7946 0{:03}", self.rng.u32(0..1000));
        (name, phone)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }
}

struct Insert<'a> {
    ctx: &'a Ctx<'a>,
    count: u64,
    /// Each demo person's record, made at their first booking.
    people: std::collections::HashMap<(String, String), PersonId>,
}

impl Insert<'_> {
    #[allow(clippy::too_many_arguments)]
    fn booking(
        &mut self,
        person: &(String, String),
        type_id: AppointmentTypeId,
        start: i64,
        end: i64,
        dates: Option<(NaiveDate, NaiveDate)>,
        status: BookingStatus,
        resource_ids: &[ResourceId],
        by: StaffId,
    ) -> CoreResult<BookingId> {
        let dates = match dates {
            Some((a, d)) => match (LocalDate::new(a), LocalDate::new(d)) {
                (Some(a), Some(d)) => Some((a, d)),
                _ => return Err(CoreError::Storage("a demo date out of range".into())),
            },
            None => None,
        };
        // The same person across the generator's passes (the weeks, then the history).
        let known = || -> CoreResult<Option<PersonId>> {
            let (given, family) = person.0.split_once(' ').unwrap_or((&person.0, ""));
            Ok(self
                .ctx
                .tx
                .prepare_cached("SELECT id FROM people WHERE given_name = ?1 AND family_name = ?2 ORDER BY id LIMIT 1")?
                .query_row(params![given, family], |r| r.get(0))
                .optional()?)
        };
        let person_id = match self
            .people
            .get(person)
            .copied()
            .map_or_else(known, |id| Ok(Some(id)))?
        {
            Some(id) => id,
            None => {
                let id = records::insert_generated(
                    self.ctx,
                    &person.0,
                    &person.1,
                    // The demo practices are in the UK.
                    crate::people::phones::region("GB"),
                    start - 14 * 86_400_000,
                )?;
                self.people.insert(person.clone(), id);
                id
            }
        };
        let id = bookings::insert_generated(
            self.ctx,
            &GeneratedBooking {
                person: (&person.0, &person.1),
                person_id,
                type_id,
                starts_at_ms: start,
                ends_at_ms: end,
                dates,
                status,
                resource_ids,
                by,
                created_at_ms: start - 14 * 86_400_000,
                cancel_reason: (status == BookingStatus::Cancelled).then_some("Called to cancel"),
            },
        )?;
        self.count += 1;
        Ok(id)
    }
}

fn fill(ctx: &mut Ctx<'_>, opts: &DemoOptions) -> CoreResult<(SetupDone, DemoSummary)> {
    if practice::load(ctx)?.is_some() {
        return Err(CoreError::invalid(
            "kind",
            "This practice file already holds a practice; the demo needs an empty one.",
        ));
    }
    let (name, tz) = match opts.kind {
        PracticeKind::Dental => ("Riverside Dental", "Europe/London"),
        PracticeKind::Hotel => ("Harbour House Hotel", "Europe/London"),
    };
    let hours = match opts.kind {
        PracticeKind::Dental => {
            let mut h = practice::default_hours();
            // Late opening on Thursdays.
            if let Some(thu) = h.iter_mut().find(|d: &&mut DayHours| d.weekday == 3) {
                thu.closes = 19 * 60;
            }
            Some(h)
        }
        PracticeKind::Hotel => None,
    };
    // One hash for every demo member: the password is public anyway.
    let demo_hash = passwords::hash(DEMO_PASSWORD)?;
    let done = starter::create(
        ctx,
        SetupPractice {
            kind: opts.kind,
            name: name.into(),
            time_zone: tz.into(),
            manager_name: "Helen Park".into(),
            manager_login: "helen".into(),
            manager_password: DEMO_PASSWORD.into(),
            slot_minutes: Some(15),
            opening_hours: hours,
            country: Some("GB".into()),
        },
        &demo_hash,
    )?;
    let desk = staff::insert(ctx, "Maria Santos", StaffRole::FrontDesk, "#db2777")?;
    staff::insert(ctx, "Tom Reid", StaffRole::FrontDesk, "#ea580c")?;
    if opts.kind == PracticeKind::Hotel {
        staff::insert(ctx, "Ines Duarte", StaffRole::Housekeeping, "#0891b2")?;
    }
    let mut gen = Gen {
        rng: fastrand::Rng::with_seed(opts.seed),
        pool: Vec::new(),
        named: Default::default(),
    };
    let p = practice::require(ctx)?;
    let today = local_date(p.tz(), ctx.now_ms);
    let (from, to) = if opts.years == 0 {
        (today - Days::new(28), today + Days::new(28))
    } else {
        (
            today - Days::new(365 * u64::from(opts.years)),
            today + Days::new(60),
        )
    };
    let bookings = match opts.kind {
        PracticeKind::Dental => fill_dental(ctx, &mut gen, opts, from, to, desk)?,
        PracticeKind::Hotel => fill_hotel(ctx, &mut gen, opts, from, to, desk)?,
    };
    let bookings = bookings
        + if opts.years == 0 {
            give_demo_history(ctx, &mut gen, opts.kind, desk)?
        } else {
            0
        };
    if opts.kind == PracticeKind::Hotel {
        give_demo_room_states(ctx)?;
    }
    give_demo_logins(ctx, &demo_hash)?;
    give_demo_alerts(ctx, opts.kind)?;
    give_demo_care(ctx, opts.kind)?;
    plant_duplicates(ctx)?;
    practice::mark_demo(ctx)?;
    let all = resources::list(ctx, ListResources::default())?;
    Ok((
        done,
        DemoSummary {
            bookings,
            resources: all.len() as u64,
        },
    ))
}

fn fill_dental(
    ctx: &mut Ctx<'_>,
    gen: &mut Gen,
    opts: &DemoOptions,
    from: NaiveDate,
    to: NaiveDate,
    desk: StaffId,
) -> CoreResult<u64> {
    // The starter set has two chairs and a "Dentist"; rename and grow it.
    for s in staff::list(ctx, Default::default())? {
        if s.name == "Dentist" {
            staff::rename(ctx, s.id, "Dr Sofia Lind")?;
        }
    }
    for r in resources::list(ctx, ListResources::default())? {
        if r.kind == ResourceKind::Provider {
            resources::rename(ctx, r.id, "Dr Lind")?;
        }
    }
    let chairs_wanted = opts.resources.unwrap_or(3).clamp(1, 40);
    for i in 3..=chairs_wanted {
        let name = format!("Chair {i}");
        resources::insert_raw(
            ctx,
            ResourceKind::Chair,
            &name,
            "#6366f1",
            None,
            None,
            i as i32,
        )?;
    }
    for (n, who, colour) in [
        ("Dr Okafor", "Dr James Okafor", "#0d9488"),
        ("Priya (hygiene)", "Priya Shah", "#c026d3"),
    ] {
        let s = staff::insert(ctx, who, StaffRole::Practitioner, colour)?;
        resources::insert_raw(ctx, ResourceKind::Provider, n, colour, None, Some(s), 20)?;
    }
    // A bigger practice has a provider per chair.
    for i in 4..=chairs_wanted {
        let s = staff::insert(
            ctx,
            &format!("Hygienist {i}"),
            StaffRole::Practitioner,
            "#64748b",
        )?;
        let name = format!("Hygienist {i}");
        resources::insert_raw(
            ctx,
            ResourceKind::Provider,
            &name,
            "#64748b",
            None,
            Some(s),
            30,
        )?;
    }
    let all: Vec<Resource> = resources::list(ctx, ListResources::default())?;
    let chairs: Vec<ResourceId> = all
        .iter()
        .filter(|r| r.kind == ResourceKind::Chair)
        .map(|r| r.id)
        .collect();
    let providers: Vec<ResourceId> = all
        .iter()
        .filter(|r| r.kind == ResourceKind::Provider)
        .map(|r| r.id)
        .collect();
    let types = appointment_types::list(ctx, Default::default())?;
    let p = practice::require(ctx)?;
    let tz = p.tz();
    let now = ctx.now_ms;
    let today = local_date(tz, now);
    // A staff meeting on chair 1 next Wednesday, kept free of bookings.
    let wed = (1..=7)
        .map(|d| today + Days::new(d))
        .find(|d| weekday(*d) == 2)
        .unwrap_or(today);
    let meeting = (local_ms(tz, wed, 8 * 60), local_ms(tz, wed, 9 * 60));
    if let Some(&c1) = chairs.first() {
        add_block(ctx, Some(c1), meeting.0, meeting.1, "Staff meeting")?;
    }
    let mut ins = Insert {
        ctx,
        count: 0,
        people: Default::default(),
    };
    let mut date = from;
    while date < to {
        let Some(day) = p.hours_for(weekday(date)) else {
            date = date + Days::new(1);
            continue;
        };
        // Tuesdays are the busy day.
        // Further out the book is emptier, as it is in real life.
        let gap_chance = if date > today + Days::new(7) {
            0.45
        } else if weekday(date) == 1 {
            0.08
        } else {
            0.25
        };
        let mut provider_busy: Vec<(ResourceId, i64, i64)> = Vec::new();
        for &chair in &chairs {
            for (open, close) in open_minutes(day) {
                let mut m = open;
                while m < close {
                    if gen.chance(gap_chance) {
                        m += 15 * (1 + gen.rng.u32(0..3));
                        continue;
                    }
                    let t = &types[gen.rng.usize(..types.len())];
                    let dur = t.duration_minutes;
                    if m + dur > close {
                        break;
                    }
                    let (s, e) = (local_ms(tz, date, m), local_ms(tz, date, m + dur));
                    if Some(&chair) == chairs.first() && s < meeting.1 && meeting.0 < e {
                        m += 15;
                        continue;
                    }
                    let free = providers
                        .iter()
                        .copied()
                        .filter(|pr| {
                            !provider_busy
                                .iter()
                                .any(|&(q, bs, be)| q == *pr && bs < e && s < be)
                        })
                        .collect::<Vec<_>>();
                    let Some(&provider) = free.get(gen.rng.usize(..free.len().max(1))) else {
                        m += 15;
                        continue;
                    };
                    let status = demo_status(gen, date, today, s, e, now);
                    if status.is_live() {
                        provider_busy.push((provider, s, e));
                    }
                    let person = gen.person();
                    let id =
                        ins.booking(&person, t.id, s, e, None, status, &[chair, provider], desk)?;
                    if matches!(status, BookingStatus::Arrived | BookingStatus::InTreatment) {
                        let arrived_at = (s - 5 * 60_000).min(now - 4 * 60_000);
                        bookings::insert_status_change(
                            ins.ctx,
                            id,
                            BookingStatus::Confirmed,
                            BookingStatus::Arrived,
                            arrived_at,
                            desk,
                        )?;
                    }
                    m += dur;
                }
            }
        }
        date = date + Days::new(1);
    }
    someone_waiting(ins.ctx, desk)?;
    Ok(ins.count)
}

/// While the practice is open, someone is in the waiting room (S4): when the
/// dice left nobody arrived, the next patient due within the hour has.
fn someone_waiting(ctx: &Ctx<'_>, desk: StaffId) -> CoreResult<()> {
    let now = ctx.now_ms;
    let waiting: i64 = ctx.tx.query_row(
        "SELECT count(*) FROM bookings WHERE status = 'arrived'",
        [],
        |r| r.get(0),
    )?;
    if waiting > 0 {
        return Ok(());
    }
    let next: Option<(BookingId, i64)> = ctx
        .tx
        .query_row(
            "SELECT id, starts_at_ms FROM bookings WHERE status = 'confirmed' AND starts_at_ms > ?1 AND starts_at_ms <= ?1 + 3600000
              ORDER BY starts_at_ms LIMIT 1",
            [now],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((id, _)) = next {
        bookings::mark_generated_arrived(ctx, id, now - 4 * 60_000, desk)?;
    }
    Ok(())
}

fn add_block(
    ctx: &Ctx<'_>,
    resource: Option<ResourceId>,
    s: i64,
    e: i64,
    reason: &str,
) -> CoreResult<()> {
    blocks::insert_generated(ctx, resource, s, e, reason)?;
    Ok(())
}

/// A plausible status for a booking given where it sits relative to now.
fn demo_status(
    gen: &mut Gen,
    date: NaiveDate,
    today: NaiveDate,
    s: i64,
    e: i64,
    now: i64,
) -> BookingStatus {
    if gen.chance(0.05) {
        return BookingStatus::Cancelled;
    }
    if e <= now {
        return if gen.chance(0.03) {
            BookingStatus::NoShow
        } else {
            BookingStatus::Completed
        };
    }
    if s <= now {
        return BookingStatus::InTreatment;
    }
    if date == today && s - now <= 20 * 60_000 {
        // Someone is already in the waiting room.
        return BookingStatus::Arrived;
    }
    if date <= today + Days::new(2) {
        BookingStatus::Confirmed
    } else {
        BookingStatus::Booked
    }
}

fn fill_hotel(
    ctx: &mut Ctx<'_>,
    gen: &mut Gen,
    opts: &DemoOptions,
    from: NaiveDate,
    to: NaiveDate,
    desk: StaffId,
) -> CoreResult<u64> {
    let rooms_wanted = opts.resources.unwrap_or(12).clamp(1, 200) as usize;
    let types: Vec<RoomTypeId> = resources::list_room_types(ctx, Default::default())?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let have = resources::list(ctx, ListResources::default())?
        .iter()
        .filter(|r| r.kind == ResourceKind::Room)
        .count();
    for i in have..rooms_wanted {
        let floor = 1 + i / 8;
        let (rt, colour) = if i % 4 == 3 {
            (types.get(1), "#a855f7")
        } else {
            (types.first(), "#0ea5e9")
        };
        let name = format!("Room {}{:02}", floor + 1, i % 8 + 1);
        resources::insert_raw(
            ctx,
            ResourceKind::Room,
            &name,
            colour,
            rt.copied(),
            None,
            i as i32 + 20,
        )?;
    }
    let rooms: Vec<ResourceId> = resources::list(ctx, ListResources::default())?
        .into_iter()
        .filter(|r| r.kind == ResourceKind::Room)
        .map(|r| r.id)
        .collect();
    let stay = appointment_types::list(ctx, Default::default())?
        .into_iter()
        .find(|t| t.needs_room)
        .map(|t| t.id);
    let Some(stay) = stay else { return Ok(0) };
    let p = practice::require(ctx)?;
    let tz = p.tz();
    let now = ctx.now_ms;
    let today = local_date(tz, now);
    // The last room is out of order for two days next week.
    let out_of_order = (
        local_ms(tz, today + Days::new(5), 0),
        local_ms(tz, today + Days::new(7), 0),
    );
    if let Some(&last) = rooms.last() {
        add_block(
            ctx,
            Some(last),
            out_of_order.0,
            out_of_order.1,
            "Out of order: bathroom refit",
        )?;
    }
    let mut ins = Insert {
        ctx,
        count: 0,
        people: Default::default(),
    };
    for &room in &rooms {
        let mut date = from;
        while date < to {
            if gen.chance(0.3) {
                date = date + Days::new(1 + u64::from(gen.rng.u32(0..3)));
                continue;
            }
            let nights = 1 + u64::from(gen.rng.u32(0..5));
            let dep = date + Days::new(nights);
            let s = local_ms(tz, date, u32::from(p.check_in_minute));
            let e = local_ms(tz, dep, u32::from(p.check_out_minute));
            if Some(&room) == rooms.last() && s < out_of_order.1 && out_of_order.0 < e {
                date = date + Days::new(1);
                continue;
            }
            let status = if gen.chance(0.04) {
                BookingStatus::Cancelled
            } else if dep < today || (dep == today && e <= now) {
                BookingStatus::CheckedOut
            } else if date < today || (date == today && s <= now) {
                BookingStatus::CheckedIn
            } else if date <= today + Days::new(3) {
                BookingStatus::Confirmed
            } else {
                BookingStatus::Booked
            };
            let person = gen.person();
            ins.booking(
                &person,
                stay,
                s,
                e,
                Some((date, dep)),
                status,
                &[room],
                desk,
            )?;
            date = dep;
        }
    }
    Ok(ins.count)
}
