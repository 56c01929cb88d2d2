//! The `people` table: a person's names, contact details and flags, saved
//! with the receptionist's words for every refusal, and opened with a trace in
//! the audit trail (who opened whose record, when).
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{Ctx, ReadCtx};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::ids::PersonId;
use crate::instant::LocalDate;
use crate::people::phones::{self, Phone};
use crate::setup::clean_text;

#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
pub struct Person {
    pub id: PersonId,
    pub given_name: String,
    pub family_name: String,
    /// What they like to be called ("Kasia"), shown first when set.
    pub preferred_name: String,
    /// How to say it ("KAH-sha").
    pub pronunciation: String,
    pub date_of_birth: Option<LocalDate>,
    pub phone: String,
    /// A second number (home, work).
    pub other_phone: String,
    pub email: String,
    pub address: String,
    pub language: String,
    pub vip: bool,
    /// In the desk's words ("high floor, feather-free pillow").
    pub preferences: String,
    /// Short labels ("regular", "corporate").
    pub tags: Vec<String>,
    /// Ticked from the practice kind's list ([`preference_choices`]).
    pub preference_flags: Vec<String>,
    /// May we contact them this way? `None`: not asked.
    pub consent: Consent,
    pub emergency_name: String,
    pub emergency_phone: String,
    /// "Partner", "Daughter".
    pub emergency_relation: String,
    /// Merged into another record (this one is archived).
    pub merged_into: Option<PersonId>,
    /// Erased on request: names and contact details are gone.
    pub erased: bool,
    pub archived: bool,
    pub version: i64,
    /// "Given Family" (the name bookings show).
    pub full_name: String,
}

/// `save_person`: add (no `id`) or edit a person.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct SavePerson {
    #[serde(default)]
    pub id: Option<PersonId>,
    /// Required when editing: the version the screen showed.
    #[serde(default)]
    pub expected_version: Option<i64>,
    pub given_name: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default)]
    pub preferred_name: String,
    #[serde(default)]
    pub pronunciation: String,
    #[serde(default)]
    pub date_of_birth: Option<LocalDate>,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub vip: bool,
    #[serde(default)]
    pub preferences: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// From [`preference_choices`] for the practice's kind.
    #[serde(default)]
    pub preference_flags: Vec<String>,
    #[serde(default)]
    pub consent: Consent,
    #[serde(default)]
    pub other_phone: String,
    #[serde(default)]
    pub emergency_name: String,
    #[serde(default)]
    pub emergency_phone: String,
    #[serde(default)]
    pub emergency_relation: String,
    /// A new record whose name is like someone's is refused with the likely
    /// matches (`person.maybe_known`, `likely::refuse_if_known`) unless the
    /// desk says it is someone new.
    #[serde(default)]
    pub someone_new: bool,
}

/// Contact consent per channel: yes, no, or not asked (`None`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema,
)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct Consent {
    #[serde(default)]
    pub sms: Option<bool>,
    #[serde(default)]
    pub email: Option<bool>,
    #[serde(default)]
    pub phone: Option<bool>,
    #[serde(default)]
    pub post: Option<bool>,
}

const COLUMNS: &str = "id, given_name, family_name, preferred_name, pronunciation, date_of_birth, phone, email, address, language, vip, archived, version, preferences, tags,
    consent_sms, consent_email, consent_phone, consent_post, emergency_name, emergency_phone, emergency_relation, merged_into, erased_at_ms IS NOT NULL, preference_flags, other_phone";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Person> {
    let given: String = r.get(1)?;
    let family: String = r.get(2)?;
    let dob: Option<String> = r.get(5)?;
    Ok(Person {
        id: r.get(0)?,
        full_name: full_name(&given, &family),
        given_name: given,
        family_name: family,
        preferred_name: r.get(3)?,
        pronunciation: r.get(4)?,
        date_of_birth: LocalDate::from_stored(dob.as_deref()),
        phone: r.get(6)?,
        email: r.get(7)?,
        address: r.get(8)?,
        language: r.get(9)?,
        vip: r.get(10)?,
        archived: r.get(11)?,
        version: r.get(12)?,
        preferences: r.get(13)?,
        tags: split_tags(&r.get::<_, String>(14)?),
        consent: Consent {
            sms: r.get(15)?,
            email: r.get(16)?,
            phone: r.get(17)?,
            post: r.get(18)?,
        },
        emergency_name: r.get(19)?,
        emergency_phone: r.get(20)?,
        emergency_relation: r.get(21)?,
        merged_into: r.get(22)?,
        erased: r.get(23)?,
        preference_flags: split_tags(&r.get::<_, String>(24)?),
        other_phone: r.get(25)?,
    })
}

/// The structured preferences a practice of `kind` offers (ticked on the
/// record, shown on the arrival card).
pub fn preference_choices(kind: crate::kind::PracticeKind) -> &'static [&'static str] {
    match kind {
        crate::kind::PracticeKind::Hotel => &[
            "High floor",
            "Low floor",
            "Quiet room",
            "Feather-free pillows",
            "Extra pillows",
            "Twin beds",
            "Early check-in",
            "Late check-out",
        ],
        crate::kind::PracticeKind::Dental => &[
            "Anxious patient",
            "Left-handed",
            "Needs extra time",
            "Prefers mornings",
            "Prefers afternoons",
            "Wheelchair user",
            "Hard of hearing",
        ],
    }
}

fn split_tags(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Tags trimmed, de-duplicated (case-blind), each at most 30 characters.
fn clean_tags(tags: &[String]) -> CoreResult<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = clean_text("tags", "A tag", &t.replace(',', " "), 30, false)?;
        if !t.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
            out.push(t);
        }
    }
    if out.len() > 20 {
        return Err(CoreError::invalid("tags", "At most 20 tags."));
    }
    Ok(out.join(", "))
}

pub fn full_name(given: &str, family: &str) -> String {
    if family.is_empty() {
        given.to_owned()
    } else {
        format!("{given} {family}")
    }
}

pub fn get(ctx: &ReadCtx<'_>, id: PersonId) -> CoreResult<Person> {
    ctx.tx
        .query_row(
            &format!("SELECT {COLUMNS} FROM people WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?
        .ok_or_else(|| CoreError::not_found("That patient or guest"))
}

/// The practice's region for phone numbers (none before setup or when unset).
fn practice_region(ctx: &ReadCtx<'_>) -> CoreResult<Option<phonenumber::country::Id>> {
    Ok(crate::setup::practice::load(ctx)?.and_then(|p| phones::region(&p.country)))
}

fn clean_phone(ctx: &ReadCtx<'_>, phone: &str) -> CoreResult<Phone> {
    let region = practice_region(ctx)?;
    phones::normalise(region, phone).ok_or_else(|| {
        CoreError::invalid(
            "phone",
            "That doesn't look like a phone number: use 6 to 15 digits, with spaces, dashes or a leading + if you like.",
        )
    })
}

/// A phone typed on a booking: read like a record's when it can be, kept as
/// typed when not (a booking never fails over a phone).
pub(crate) fn booking_phone(ctx: &ReadCtx<'_>, phone: &str) -> CoreResult<Phone> {
    let region = practice_region(ctx)?;
    Ok(phones::normalise(region, phone).unwrap_or_else(|| Phone {
        display: phone.trim().to_owned(),
        digits: phones::digits_of(phone),
    }))
}

pub(crate) fn clean_email(email: &str) -> CoreResult<String> {
    let email = email.trim();
    if email.is_empty() {
        return Ok(String::new());
    }
    if email.contains(' ') || !email_address::EmailAddress::is_valid(email) || !email.contains('.')
    {
        return Err(CoreError::invalid(
            "email",
            format!(
                "\"{}\" is not an e-mail address Hearth can use (like name@example.com).",
                email.chars().take(60).collect::<String>()
            ),
        ));
    }
    Ok(email.to_owned())
}

/// Adds or edits a person; refuses bad input with the field named, writing nothing.
pub fn save(ctx: &mut Ctx<'_>, req: SavePerson) -> CoreResult<Person> {
    let given = clean_text("given_name", "The first name", &req.given_name, 80, false)?;
    let family = clean_text(
        "family_name",
        "The family name",
        &req.family_name,
        80,
        false,
    )?;
    if given.is_empty() && family.is_empty() {
        return Err(CoreError::invalid(
            "given_name",
            "Give at least a first or a family name.",
        ));
    }
    let preferred = clean_text(
        "preferred_name",
        "The preferred name",
        &req.preferred_name,
        80,
        false,
    )?;
    let pronunciation = clean_text(
        "pronunciation",
        "The pronunciation",
        &req.pronunciation,
        80,
        false,
    )?;
    let phone = clean_phone(ctx, &req.phone)?;
    let email = clean_email(&req.email)?;
    let address = clean_text("address", "The address", &req.address, 300, false)?;
    let language = clean_text("language", "The language", &req.language, 40, false)?;
    let preferences = clean_text(
        "preferences",
        "The preferences",
        &req.preferences,
        1000,
        false,
    )?;
    let tags = clean_tags(&req.tags)?;
    let kind = crate::setup::practice::load(ctx)?.map(|p| p.kind);
    let choices = kind.map(preference_choices).unwrap_or_default();
    if let Some(bad) = req
        .preference_flags
        .iter()
        .find(|f| !choices.contains(&f.as_str()))
    {
        return Err(CoreError::invalid(
            "preference_flags",
            format!(
                "\"{}\" is not one of this practice's preferences.",
                bad.chars().take(40).collect::<String>()
            ),
        ));
    }
    let flags: Vec<&str> = choices
        .iter()
        .copied()
        .filter(|c| req.preference_flags.iter().any(|f| f == c))
        .collect();
    let emergency_name = clean_text(
        "emergency_name",
        "The emergency contact's name",
        &req.emergency_name,
        120,
        false,
    )?;
    let emergency_relation = clean_text(
        "emergency_relation",
        "The relation",
        &req.emergency_relation,
        40,
        false,
    )?;
    let other_phone = clean_phone(ctx, &req.other_phone).map_err(|_| {
        CoreError::invalid(
            "other_phone",
            "The other phone doesn't look like a phone number.",
        )
    })?;
    let emergency_phone = clean_phone(ctx, &req.emergency_phone).map_err(|_| {
        CoreError::invalid(
            "emergency_phone",
            "The emergency contact's phone doesn't look like a phone number.",
        )
    })?;
    let dob = req.date_of_birth.map(|d| d.date().to_string());
    if let Some(d) = req.date_of_birth {
        if d.date() > crate::time::local_date(chrono_tz::UTC, ctx.now_ms) {
            return Err(CoreError::invalid(
                "date_of_birth",
                "The date of birth is in the future.",
            ));
        }
    }
    let id = match req.id {
        None => {
            ctx.tx.execute(
                "INSERT INTO people (given_name, family_name, preferred_name, pronunciation, date_of_birth, phone, phone_digits, email, address, language, vip, created_at_ms, updated_at_ms, preferences, tags)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14)",
                params![given, family, preferred, pronunciation, dob, phone.display, phone.digits, email, address, language, req.vip, ctx.now_ms, preferences, tags],
            )?;
            PersonId(ctx.tx.last_insert_rowid())
        }
        Some(id) => {
            let current = get(ctx, id)?;
            if current.erased {
                return Err(CoreError::invalid(
                    "given_name",
                    "This record was erased on request; it can't be edited.",
                ));
            }
            if req.expected_version.is_some_and(|v| v != current.version) {
                return Err(CoreError::Stale {
                    message: "This record was changed on another desk. Reload it and make your change again.".into(),
                });
            }
            ctx.tx.execute(
                "UPDATE people SET given_name = ?2, family_name = ?3, preferred_name = ?4, pronunciation = ?5, date_of_birth = ?6,
                        phone = ?7, phone_digits = ?8, email = ?9, address = ?10, language = ?11, vip = ?12,
                        updated_at_ms = ?13, preferences = ?14, tags = ?15, version = version + 1 WHERE id = ?1",
                params![id, given, family, preferred, pronunciation, dob, phone.display, phone.digits, email, address, language, req.vip, ctx.now_ms, preferences, tags],
            )?;
            id
        }
    };
    ctx.tx.execute(
        "UPDATE people SET consent_sms = ?2, consent_email = ?3, consent_phone = ?4, consent_post = ?5,
                emergency_name = ?6, emergency_phone = ?7, emergency_relation = ?8, preference_flags = ?9,
                other_phone = ?10, phone_digits = trim(phone_digits || ' ' || ?11) WHERE id = ?1",
        params![
            id,
            req.consent.sms,
            req.consent.email,
            req.consent.phone,
            req.consent.post,
            emergency_name,
            emergency_phone.display,
            emergency_relation,
            flags.join(", "),
            other_phone.display,
            other_phone.digits
        ],
    )?;
    ctx.changed(topics::PERSON_CHANGED, id);
    get(ctx, id)
}

/// A new record for a name and phone typed on a booking (`likely::find_or_create`
/// decides first whether it is someone Hearth knows). Returns them and the phone as shown.
pub(crate) fn insert_typed(
    ctx: &mut Ctx<'_>,
    name: &str,
    phone: &str,
) -> CoreResult<(PersonId, String)> {
    let Phone {
        display: phone,
        digits,
    } = booking_phone(ctx, phone)?;
    let name = name.trim();
    let (given, family) = match name.split_once(' ') {
        Some((g, f)) => (g.trim(), f.trim()),
        None => (name, ""),
    };
    ctx.tx.execute(
        "INSERT INTO people (given_name, family_name, phone, phone_digits, created_at_ms, updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![given, family, phone, digits, ctx.now_ms],
    )?;
    let id = PersonId(ctx.tx.last_insert_rowid());
    ctx.changed(topics::PERSON_CHANGED, id);
    Ok((id, phone))
}

/// A person as a generator writes them (the demo): no checks, no lookup.
pub(crate) fn insert_generated(
    ctx: &Ctx<'_>,
    name: &str,
    phone: &str,
    region: Option<phonenumber::country::Id>,
    created_at_ms: i64,
) -> CoreResult<PersonId> {
    let digits =
        phones::normalise(region, phone).map_or_else(|| phones::digits_of(phone), |p| p.digits);
    let (given, family) = name.split_once(' ').unwrap_or((name, ""));
    ctx.tx
        .prepare_cached(
            "INSERT INTO people (given_name, family_name, phone, phone_digits, created_at_ms, updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        )?
        .execute(params![given, family, phone, digits, created_at_ms])?;
    Ok(PersonId(ctx.tx.last_insert_rowid()))
}

/// The people with the most bookings, most first (the demo's regulars).
pub(crate) fn most_booked(ctx: &ReadCtx<'_>, n: usize) -> CoreResult<Vec<PersonId>> {
    let mut stmt = ctx.tx.prepare(
        "SELECT person_id FROM bookings WHERE person_id IS NOT NULL GROUP BY person_id ORDER BY count(*) DESC, person_id LIMIT ?1",
    )?;
    let rows = stmt.query_map([n as i64], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Preferences (ticked and in words) and VIP as a generator sets them (the demo).
pub(crate) fn set_generated_extras(
    ctx: &mut Ctx<'_>,
    person: PersonId,
    flags: &[&str],
    preferences: &str,
    vip: bool,
) -> CoreResult<()> {
    ctx.tx.execute(
        "UPDATE people SET preference_flags = ?2, preferences = ?3, vip = ?4, version = version + 1 WHERE id = ?1",
        params![person, flags.join(", "), preferences, vip],
    )?;
    ctx.changed(topics::PERSON_CHANGED, person);
    Ok(())
}

/// A merge: what the survivor lacks (a phone, an e-mail, a date of birth, …)
/// it takes from the merged record; tags join; the merged one is archived,
/// pointing at the survivor; and the merge is recorded on the survivor.
pub(crate) fn absorb(
    ctx: &mut Ctx<'_>,
    survivor: PersonId,
    merged: PersonId,
    moved: &serde_json::Value,
) -> CoreResult<()> {
    let m = get(ctx, merged)?;
    let s = get(ctx, survivor)?;
    let mut tags = s.tags.clone();
    for t in &m.tags {
        if !tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            tags.push(t.clone());
        }
    }
    ctx.tx.execute(
        "UPDATE people SET
            preferred_name = CASE WHEN preferred_name = '' THEN ?3 ELSE preferred_name END,
            pronunciation = CASE WHEN pronunciation = '' THEN ?4 ELSE pronunciation END,
            date_of_birth = coalesce(date_of_birth, ?5),
            phone = CASE WHEN phone = '' THEN ?6 ELSE phone END,
            other_phone = CASE WHEN other_phone = '' AND phone <> '' AND phone <> ?6 THEN ?6 ELSE other_phone END,
            phone_digits = trim(phone_digits || ' ' || (SELECT phone_digits FROM people WHERE id = ?7)),
            email = CASE WHEN email = '' THEN ?8 ELSE email END,
            address = CASE WHEN address = '' THEN ?9 ELSE address END,
            language = CASE WHEN language = '' THEN ?10 ELSE language END,
            preferences = CASE WHEN preferences = '' THEN ?11 WHEN ?11 = '' THEN preferences ELSE preferences || '; ' || ?11 END,
            tags = ?12, vip = vip OR ?13, updated_at_ms = ?2, version = version + 1
          WHERE id = ?1",
        params![
            survivor,
            ctx.now_ms,
            m.preferred_name,
            m.pronunciation,
            m.date_of_birth.map(|d| d.date().to_string()),
            m.phone,
            merged,
            m.email,
            m.address,
            m.language,
            m.preferences,
            tags.join(", "),
            m.vip
        ],
    )?;
    ctx.tx.execute(
        "UPDATE people SET archived = 1, merged_into = ?2, updated_at_ms = ?3, version = version + 1 WHERE id = ?1",
        params![merged, survivor, ctx.now_ms],
    )?;
    ctx.tx.execute(
        "INSERT INTO person_merges (survivor_id, merged_id, merged_name, moved, by_staff, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![survivor, merged, m.full_name, moved.to_string(), ctx.actor.staff_id, ctx.now_ms],
    )?;
    ctx.changed(topics::PERSON_CHANGED, survivor);
    ctx.changed(topics::PERSON_CHANGED, merged);
    Ok(())
}

/// An erasure on request: names, contact details, preferences and dates go;
/// the record stays (archived, marked erased) so counts stay true.
pub(crate) fn erase(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<()> {
    ctx.tx.execute(
        "UPDATE people SET given_name = 'Erased', family_name = '', preferred_name = '', pronunciation = '', date_of_birth = NULL,
                phone = '', other_phone = '', phone_digits = '', email = '', address = '', language = '', preferences = '', tags = '', preference_flags = '', vip = 0,
                consent_sms = NULL, consent_email = NULL, consent_phone = NULL, consent_post = NULL,
                emergency_name = '', emergency_phone = '', emergency_relation = '',
                archived = 1, erased_at_ms = ?2, erased_by = ?3, updated_at_ms = ?2, version = version + 1
          WHERE id = ?1",
        params![person, ctx.now_ms, ctx.actor.staff_id],
    )?;
    ctx.tx.execute(
        "UPDATE person_merges SET merged_name = 'Erased' WHERE merged_id = ?1",
        [person],
    )?;
    ctx.changed(topics::PERSON_CHANGED, person);
    Ok(())
}

/// `archive_person`.
#[derive(Debug, Clone, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct ArchivePerson {
    pub id: PersonId,
    /// `false` restores.
    pub archived: bool,
}

/// Archives (never deletes) or restores a record; a merged or erased one stays archived.
pub fn archive(ctx: &mut Ctx<'_>, req: ArchivePerson) -> CoreResult<Person> {
    let p = get(ctx, req.id)?;
    if !req.archived && (p.erased || p.merged_into.is_some()) {
        return Err(CoreError::invalid(
            "archived",
            if p.erased {
                "This record was erased on request; it can't be restored."
            } else {
                "This record was merged into another; open that one instead."
            },
        ));
    }
    ctx.tx.execute(
        "UPDATE people SET archived = ?2, updated_at_ms = ?3, version = version + 1 WHERE id = ?1",
        params![req.id, req.archived, ctx.now_ms],
    )?;
    ctx.changed(topics::PERSON_CHANGED, req.id);
    ctx.detail(serde_json::json!({ "person_id": req.id, "archived": req.archived }));
    get(ctx, req.id)
}

/// A person as an import brings them (`moving::people`), already read by
/// the desk's rules for each field.
pub(crate) struct Imported<'a> {
    pub given: &'a str,
    pub family: &'a str,
    pub preferred: &'a str,
    pub date_of_birth: Option<chrono::NaiveDate>,
    pub phone: Option<&'a Phone>,
    pub other_phone: Option<&'a Phone>,
    pub email: &'a str,
    pub address: &'a str,
    pub external_id: &'a str,
}

/// Adds a person an import brings.
pub(crate) fn insert_imported(ctx: &mut Ctx<'_>, p: &Imported<'_>) -> CoreResult<PersonId> {
    let shown = |ph: Option<&Phone>| ph.map_or(String::new(), |p| p.display.clone());
    let digits = [p.phone, p.other_phone]
        .into_iter()
        .flatten()
        .map(|ph| ph.digits.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    ctx.tx
        .prepare_cached(
            "INSERT INTO people (given_name, family_name, preferred_name, date_of_birth, phone, phone_digits, other_phone, email, address, external_id, created_at_ms, updated_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        )?
        .execute(params![
            p.given,
            p.family,
            p.preferred,
            p.date_of_birth.map(|d| d.to_string()),
            shown(p.phone),
            digits,
            shown(p.other_phone),
            p.email,
            p.address,
            p.external_id,
            ctx.now_ms
        ])?;
    let id = PersonId(ctx.tx.last_insert_rowid());
    ctx.changed(topics::PERSON_CHANGED, id);
    Ok(id)
}

/// The fields an import may fill in when they are empty (and its undo put back).
pub(crate) const FILLABLE: &[&str] = &[
    "preferred_name",
    "email",
    "address",
    "date_of_birth",
    "phone",
    "other_phone",
    "external_id",
];

/// A fillable field's value now ("" when empty).
pub(crate) fn fillable(ctx: &ReadCtx<'_>, person: PersonId, field: &str) -> CoreResult<String> {
    if !FILLABLE.contains(&field) {
        return Err(CoreError::Storage(format!(
            "{field} is not a field an import fills"
        )));
    }
    let v: Option<String> = ctx.tx.query_row(
        &format!("SELECT {field} FROM people WHERE id = ?1"),
        [person],
        |r| r.get(0),
    )?;
    Ok(v.unwrap_or_default())
}

/// Every fillable field's value now ("" when empty), in one read.
pub(crate) fn fillables(
    ctx: &ReadCtx<'_>,
    person: PersonId,
) -> CoreResult<std::collections::HashMap<&'static str, String>> {
    let sql = format!("SELECT {} FROM people WHERE id = ?1", FILLABLE.join(", "));
    Ok(ctx.tx.query_row(&sql, [person], |r| {
        FILLABLE
            .iter()
            .enumerate()
            .map(|(i, f)| Ok((*f, r.get::<_, Option<String>>(i)?.unwrap_or_default())))
            .collect()
    })?)
}

/// Sets a fillable field (empty: none, for a date); a phone's digits join
/// what search matches.
pub(crate) fn set_fillable(
    ctx: &mut Ctx<'_>,
    person: PersonId,
    field: &str,
    value: &str,
    phone_digits: Option<&str>,
) -> CoreResult<()> {
    if !FILLABLE.contains(&field) {
        return Err(CoreError::Storage(format!(
            "{field} is not a field an import fills"
        )));
    }
    let value: Option<&str> = if field == "date_of_birth" && value.is_empty() {
        None
    } else {
        Some(value)
    };
    ctx.tx.execute(
        &format!(
            "UPDATE people SET {field} = ?2, updated_at_ms = ?3, version = version + 1 WHERE id = ?1"
        ),
        params![person, value, ctx.now_ms],
    )?;
    if let Some(d) = phone_digits.filter(|d| !d.is_empty()) {
        ctx.tx.execute(
            "UPDATE people SET phone_digits = trim(phone_digits || ' ' || ?2) WHERE id = ?1",
            params![person, d],
        )?;
    }
    ctx.changed(topics::PERSON_CHANGED, person);
    Ok(())
}

/// The phone digits and old system's number a person has now.
pub(crate) fn digits_and_external_id(
    ctx: &ReadCtx<'_>,
    person: PersonId,
) -> CoreResult<(String, String)> {
    Ok(ctx.tx.query_row(
        "SELECT phone_digits, external_id FROM people WHERE id = ?1",
        [person],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// What became of a person an import added, when the import was undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Removal {
    Removed,
    /// Something refers to them now (a booking, a task, a link made since).
    Kept,
    /// Already gone (an undo cut short and run again).
    Gone,
}

/// Removes a person an import added — unless something refers to them now.
pub(crate) fn delete_imported(ctx: &mut Ctx<'_>, person: PersonId) -> CoreResult<Removal> {
    ctx.tx.execute_batch("SAVEPOINT undo_person")?;
    match ctx.tx.execute("DELETE FROM people WHERE id = ?1", [person]) {
        Ok(n) => {
            ctx.tx.execute_batch("RELEASE undo_person")?;
            if n == 0 {
                return Ok(Removal::Gone);
            }
            ctx.changed(topics::PERSON_CHANGED, person);
            Ok(Removal::Removed)
        }
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            ctx.tx
                .execute_batch("ROLLBACK TO undo_person; RELEASE undo_person")?;
            Ok(Removal::Kept)
        }
        Err(e) => Err(e.into()),
    }
}

/// Removes many people an import added. Taking each out of the search index
/// securely, one by one, costs about 2 ms a person (FTS5 rewrites the index's
/// pages for each); here the index keeps delete markers meanwhile and
/// [`compact_search`] then rewrites it without them, once.
pub(crate) fn delete_imported_many(
    ctx: &mut Ctx<'_>,
    people: &[PersonId],
) -> CoreResult<Vec<Removal>> {
    ctx.tx.execute(
        "INSERT INTO people_search (people_search, rank) VALUES ('secure-delete', 0)",
        [],
    )?;
    let out = people
        .iter()
        .map(|p| delete_imported(ctx, *p))
        .collect::<CoreResult<Vec<_>>>();
    ctx.tx.execute(
        "INSERT INTO people_search (people_search, rank) VALUES ('secure-delete', 1)",
        [],
    )?;
    out
}

/// Rewrites the search index as one segment, leaving out every entry removed
/// (the pages it frees are zeroed, `secure_delete`), and empties the
/// write-ahead log once this commits: what was removed is gone from the file.
pub(crate) fn compact_search(ctx: &mut Ctx<'_>) -> CoreResult<()> {
    ctx.tx.execute(
        "INSERT INTO people_search (people_search) VALUES ('optimize')",
        [],
    )?;
    ctx.wipe_after();
    Ok(())
}
