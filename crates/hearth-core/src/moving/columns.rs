//! Which column of another system's export holds what: proposed from the
//! header (the names common exports use — Open Dental, Dentrix,
//! Easy!Appointments, hotel systems, spreadsheets — in English, French,
//! German, Spanish, Dutch, Polish and Italian), corrected by the manager.
//! Several columns may feed one field (Address, City, Postcode → the
//! address; two notes columns → one note); the list is in `docs/import.md`.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a column holds, for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonField {
    GivenName,
    FamilyName,
    /// "Ann Smith" or "Smith, Ann" in one column.
    FullName,
    PreferredName,
    BirthDate,
    Phone,
    OtherPhone,
    Email,
    Address,
    Notes,
    /// Allergies, medical alerts: each becomes an alert on the person.
    Alerts,
    Anniversary,
    /// The old system's number for the person: how a second import knows them.
    ExternalId,
    LastVisit,
}

impl PersonField {
    pub const ALL: [PersonField; 14] = [
        PersonField::GivenName,
        PersonField::FamilyName,
        PersonField::FullName,
        PersonField::PreferredName,
        PersonField::BirthDate,
        PersonField::Phone,
        PersonField::OtherPhone,
        PersonField::Email,
        PersonField::Address,
        PersonField::Notes,
        PersonField::Alerts,
        PersonField::Anniversary,
        PersonField::ExternalId,
        PersonField::LastVisit,
    ];

    /// In the manager's words.
    pub fn label(self) -> &'static str {
        match self {
            PersonField::GivenName => "First name",
            PersonField::FamilyName => "Family name",
            PersonField::FullName => "Full name",
            PersonField::PreferredName => "Preferred name",
            PersonField::BirthDate => "Date of birth",
            PersonField::Phone => "Phone",
            PersonField::OtherPhone => "Other phone",
            PersonField::Email => "E-mail",
            PersonField::Address => "Address",
            PersonField::Notes => "Notes",
            PersonField::Alerts => "Alerts (allergies, conditions)",
            PersonField::Anniversary => "Anniversary",
            PersonField::ExternalId => "Old system's number",
            PersonField::LastVisit => "Last visit",
        }
    }

    /// Whether several columns may feed it (joined).
    pub fn joins(self) -> bool {
        matches!(
            self,
            PersonField::Address | PersonField::Notes | PersonField::Alerts
        )
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            PersonField::GivenName => &[
                "first name",
                "firstname",
                "first",
                "fname",
                "given name",
                "givenname",
                "forename",
                "forenames",
                "first_name",
                "prenom",
                "vorname",
                "nombre",
                "voornaam",
                "imie",
                "nome",
                "guest first name",
                "patient first name",
            ],
            PersonField::FamilyName => &[
                "last name",
                "lastname",
                "last",
                "lname",
                "surname",
                "family name",
                "familyname",
                "last_name",
                "nom",
                "nom de famille",
                "nachname",
                "familienname",
                "apellido",
                "apellidos",
                "achternaam",
                "nazwisko",
                "cognome",
                "guest last name",
                "patient last name",
            ],
            PersonField::FullName => &[
                "name",
                "full name",
                "fullname",
                "patient",
                "patient name",
                "guest",
                "guest name",
                "client",
                "client name",
                "customer",
                "customer name",
                "nom complet",
                "name des patienten",
                "nombre completo",
                "naam",
                "imie i nazwisko",
                "nominativo",
                "contact",
            ],
            PersonField::PreferredName => &[
                "preferred",
                "preferred name",
                "nickname",
                "known as",
                "goes by",
                "called",
                "surnom",
                "rufname",
                "apodo",
                "roepnaam",
            ],
            PersonField::BirthDate => &[
                "birthdate",
                "birth date",
                "date of birth",
                "dob",
                "birthday",
                "birth",
                "born",
                "d.o.b.",
                "date de naissance",
                "naissance",
                "geburtsdatum",
                "geboren",
                "fecha de nacimiento",
                "geboortedatum",
                "data urodzenia",
                "data di nascita",
            ],
            PersonField::Phone => &[
                "phone",
                "phone number",
                "telephone",
                "tel",
                "mobile",
                "mobile phone",
                "cell",
                "cell phone",
                "wirelessphone",
                "wireless phone",
                "phone_number",
                "mobile number",
                "telephone portable",
                "portable",
                "telefon",
                "handy",
                "mobil",
                "telefono",
                "movil",
                "celular",
                "telefoon",
                "mobiel",
                "telefon komorkowy",
                "cellulare",
            ],
            PersonField::OtherPhone => &[
                "hmphone",
                "home phone",
                "wkphone",
                "work phone",
                "other phone",
                "phone 2",
                "phone2",
                "second phone",
                "landline",
                "telephone fixe",
                "telefon privat",
                "festnetz",
                "telefono fijo",
                "vast nummer",
                "telefon stacjonarny",
            ],
            PersonField::Email => &[
                "email",
                "e-mail",
                "email address",
                "e-mail address",
                "mail",
                "courriel",
                "correo",
                "correo electronico",
                "e-mailadres",
                "adres e-mail",
            ],
            PersonField::Address => &[
                "address",
                "address1",
                "address 1",
                "address2",
                "address 2",
                "address line 1",
                "address line 2",
                "street",
                "city",
                "town",
                "state",
                "county",
                "zip",
                "zip code",
                "zip_code",
                "zipcode",
                "postcode",
                "post code",
                "postal code",
                "country",
                "adresse",
                "rue",
                "ville",
                "code postal",
                "strasse",
                "ort",
                "plz",
                "stadt",
                "direccion",
                "ciudad",
                "codigo postal",
                "adres",
                "straat",
                "plaats",
                "postcode",
                "ulica",
                "miasto",
                "kod pocztowy",
                "indirizzo",
                "citta",
                "cap",
            ],
            PersonField::Notes => &[
                "notes",
                "note",
                "comments",
                "comment",
                "remarks",
                "memo",
                "patient notes",
                "guest notes",
                "remarques",
                "commentaire",
                "bemerkungen",
                "notizen",
                "notas",
                "opmerkingen",
                "uwagi",
                "note del paziente",
            ],
            PersonField::Alerts => &[
                "allergies",
                "allergy",
                "alerts",
                "alert",
                "medical alert",
                "medical alerts",
                "medalert",
                "med urgnote",
                "medurgnote",
                "conditions",
                "allergies medicales",
                "allergien",
                "alergias",
                "allergieen",
                "alergie",
                "allergie",
            ],
            PersonField::Anniversary => &[
                "anniversary",
                "wedding anniversary",
                "anniversaire de mariage",
                "hochzeitstag",
                "aniversario",
            ],
            PersonField::ExternalId => &[
                "id",
                "patnum",
                "hearth id",
                "pat num",
                "patient id",
                "patient number",
                "patient no",
                "chart",
                "chart #",
                "chart number",
                "chartnumber",
                "guest id",
                "guest number",
                "client id",
                "customer id",
                "record number",
                "account",
                "account number",
                "external id",
                "numero",
                "numero patient",
                "patientennummer",
                "numero de paciente",
                "patientnummer",
                "numer pacjenta",
                "codice paziente",
            ],
            PersonField::LastVisit => &[
                "last visit",
                "lastvisit",
                "last visit date",
                "last appointment",
                "datelastvisit",
                "derniere visite",
                "letzter besuch",
                "ultima visita",
                "laatste bezoek",
                "ostatnia wizyta",
            ],
        }
    }
}

/// A header name folded for matching: lower case, accents gone, runs of
/// spaces, underscores and dots made one space.
pub fn fold(name: &str) -> String {
    let plain = deunicode::deunicode(name).to_lowercase();
    let mut out = String::with_capacity(plain.len());
    for c in plain.chars() {
        let c = if c == '_' { ' ' } else { c };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim().to_owned()
}

/// A kind of column a file may hold (people's or bookings').
pub trait ColumnField: Copy + PartialEq + 'static {
    fn all() -> &'static [Self];
    /// The header names recognised for it, folded (see [`fold`]).
    fn recognised(self) -> &'static [&'static str];
    /// Whether several columns may feed it (joined).
    fn several(self) -> bool;
}

impl ColumnField for PersonField {
    fn all() -> &'static [Self] {
        &PersonField::ALL
    }
    fn recognised(self) -> &'static [&'static str] {
        self.names()
    }
    fn several(self) -> bool {
        self.joins()
    }
}

/// The field each column most likely holds (`None`: leave it out). A field
/// that takes one column goes to the first column that names it.
pub fn propose<F: ColumnField>(header: &[String]) -> Vec<Option<F>> {
    let mut taken: Vec<F> = Vec::new();
    header
        .iter()
        .map(|h| {
            let f = fold(h);
            let squeezed: String = f.chars().filter(|c| *c != ' ').collect();
            let field = F::all().iter().copied().find(|field| {
                field.recognised().iter().any(|n| {
                    *n == f || n.chars().filter(|c| *c != ' ').collect::<String>() == squeezed
                })
            })?;
            if !field.several() && taken.contains(&field) {
                return None;
            }
            taken.push(field);
            Some(field)
        })
        .collect()
}

/// What a column holds, for coming bookings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingField {
    /// The old system's number for the person (as in its people export).
    PersonNumber,
    /// "Ann Smith" or "Smith, Ann".
    PersonName,
    PersonGivenName,
    PersonFamilyName,
    PersonBirthDate,
    PersonPhone,
    /// The day of the appointment (or a date and time together).
    Date,
    /// The time it starts (or a date and time together).
    Start,
    /// The time it ends.
    End,
    /// Its length: minutes ("30", "45 min", "1:15", "1h30").
    Duration,
    /// A stay: the day the guest arrives.
    Arrival,
    /// A stay: the day the guest leaves.
    Departure,
    /// A stay: how many nights.
    Nights,
    Chair,
    Provider,
    Room,
    /// What the appointment or stay is (its type).
    Type,
    Notes,
}

impl BookingField {
    pub const ALL: [BookingField; 18] = [
        BookingField::PersonNumber,
        BookingField::PersonName,
        BookingField::PersonGivenName,
        BookingField::PersonFamilyName,
        BookingField::PersonBirthDate,
        BookingField::PersonPhone,
        BookingField::Date,
        BookingField::Start,
        BookingField::End,
        BookingField::Duration,
        BookingField::Arrival,
        BookingField::Departure,
        BookingField::Nights,
        BookingField::Chair,
        BookingField::Provider,
        BookingField::Room,
        BookingField::Type,
        BookingField::Notes,
    ];

    pub fn label(self) -> &'static str {
        match self {
            BookingField::PersonNumber => "Person's number in the old system",
            BookingField::PersonName => "Person's full name",
            BookingField::PersonGivenName => "Person's first name",
            BookingField::PersonFamilyName => "Person's family name",
            BookingField::PersonBirthDate => "Person's date of birth",
            BookingField::PersonPhone => "Person's phone",
            BookingField::Date => "Date",
            BookingField::Start => "Start time",
            BookingField::End => "End time",
            BookingField::Duration => "Length (minutes)",
            BookingField::Arrival => "Arrival date",
            BookingField::Departure => "Departure date",
            BookingField::Nights => "Nights",
            BookingField::Chair => "Chair",
            BookingField::Provider => "Provider",
            BookingField::Room => "Room",
            BookingField::Type => "Type",
            BookingField::Notes => "Notes",
        }
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            BookingField::PersonNumber => &[
                "patnum",
                "pat num",
                "patient id",
                "patient number",
                "patient no",
                "chart",
                "chart number",
                "chartnumber",
                "guest id",
                "guest number",
                "client id",
                "customer id",
                "customer",
                "external id",
                "hearth id",
                "person id",
                "numero patient",
                "patientennummer",
                "numero de paciente",
                "patientnummer",
                "numer pacjenta",
                "codice paziente",
            ],
            BookingField::PersonName => &[
                "patient",
                "patient name",
                "patientname",
                "name",
                "full name",
                "guest",
                "guest name",
                "client",
                "client name",
                "customer name",
                "person",
                "nom complet",
                "name des patienten",
                "nombre completo",
                "naam",
                "nominativo",
            ],
            BookingField::PersonGivenName => &[
                "first name",
                "firstname",
                "fname",
                "given name",
                "forename",
                "customer first name",
                "patient first name",
                "guest first name",
                "prenom",
                "vorname",
                "nombre",
                "voornaam",
                "imie",
                "nome",
            ],
            BookingField::PersonFamilyName => &[
                "last name",
                "lastname",
                "lname",
                "surname",
                "family name",
                "customer last name",
                "patient last name",
                "guest last name",
                "nom",
                "nachname",
                "apellido",
                "apellidos",
                "achternaam",
                "nazwisko",
                "cognome",
            ],
            BookingField::PersonBirthDate => &[
                "birthdate",
                "birth date",
                "date of birth",
                "dob",
                "date de naissance",
                "geburtsdatum",
                "fecha de nacimiento",
                "geboortedatum",
            ],
            BookingField::PersonPhone => &[
                "phone",
                "telephone",
                "tel",
                "mobile",
                "cell",
                "wirelessphone",
                "wireless phone",
                "customer phone",
                "phone number",
                "telefon",
                "telefono",
                "telefoon",
            ],
            BookingField::Date => &[
                "date",
                "aptdate",
                "apt date",
                "appt date",
                "appointment date",
                "day",
                "booking date",
                "datum",
                "fecha",
                "data",
                "jour",
                "start date",
                "aptdatetime",
                "apt datetime",
                "start datetime",
                "book datetime",
            ],
            BookingField::Start => &[
                "time",
                "start",
                "start time",
                "starttime",
                "apt time",
                "appt time",
                "appointment time",
                "from",
                "begin",
                "heure",
                "heure de debut",
                "uhrzeit",
                "beginn",
                "hora",
                "hora de inicio",
                "tijd",
                "begintijd",
                "godzina",
                "ora",
            ],
            BookingField::End => &[
                "end",
                "end time",
                "endtime",
                "to",
                "until",
                "finish",
                "heure de fin",
                "ende",
                "hora de fin",
                "eindtijd",
                "end datetime",
            ],
            BookingField::Duration => &[
                "length",
                "duration",
                "minutes",
                "mins",
                "length minutes",
                "duration minutes",
                "pattern",
                "duree",
                "dauer",
                "duracion",
                "duur",
                "czas trwania",
                "durata",
            ],
            BookingField::Arrival => &[
                "arrival",
                "arrival date",
                "check in",
                "checkin",
                "check-in",
                "check in date",
                "date in",
                "arrivee",
                "date d'arrivee",
                "anreise",
                "llegada",
                "aankomst",
                "przyjazd",
                "arrivo",
            ],
            BookingField::Departure => &[
                "departure",
                "departure date",
                "check out",
                "checkout",
                "check-out",
                "check out date",
                "date out",
                "depart",
                "date de depart",
                "abreise",
                "salida",
                "vertrek",
                "wyjazd",
                "partenza",
            ],
            BookingField::Nights => &[
                "nights",
                "number of nights",
                "nuits",
                "nachte",
                "noches",
                "nachten",
                "noce",
                "notti",
            ],
            BookingField::Chair => &[
                "chair",
                "op",
                "operatory",
                "opnum",
                "op num",
                "operatory name",
                "surgery",
                "fauteuil",
                "behandlungsstuhl",
                "stuhl",
                "sillon",
                "stoel",
                "fotel",
                "poltrona",
            ],
            BookingField::Provider => &[
                "provider",
                "provnum",
                "prov num",
                "provider name",
                "dentist",
                "doctor",
                "practitioner",
                "hygienist",
                "staff",
                "with",
                "clinician",
                "praticien",
                "behandler",
                "arzt",
                "zahnarzt",
                "profesional",
                "behandelaar",
                "lekarz",
                "medico",
            ],
            BookingField::Room => &[
                "room",
                "room number",
                "room no",
                "room name",
                "chambre",
                "zimmer",
                "habitacion",
                "kamer",
                "pokoj",
                "camera",
            ],
            BookingField::Type => &[
                "type",
                "appointment type",
                "apt type",
                "appt type",
                "service",
                "procedure",
                "procdescript",
                "proc descript",
                "treatment",
                "reason",
                "room type",
                "rate",
                "motif",
                "behandlung",
                "termintyp",
                "tratamiento",
                "behandeling",
                "zabieg",
                "trattamento",
            ],
            BookingField::Notes => &[
                "notes",
                "note",
                "comments",
                "comment",
                "remarks",
                "memo",
                "remarques",
                "bemerkungen",
                "notas",
                "opmerkingen",
                "uwagi",
            ],
        }
    }
}

impl ColumnField for BookingField {
    fn all() -> &'static [Self] {
        &BookingField::ALL
    }
    fn recognised(self) -> &'static [&'static str] {
        self.names()
    }
    fn several(self) -> bool {
        self == BookingField::Notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn open_dental_names() {
        let h = header(&[
            "PatNum",
            "LName",
            "FName",
            "Preferred",
            "Birthdate",
            "HmPhone",
            "WirelessPhone",
            "Email",
            "Address",
            "City",
            "Zip",
            "MedUrgNote",
        ]);
        use PersonField::*;
        assert_eq!(
            propose(&h),
            vec![
                Some(ExternalId),
                Some(FamilyName),
                Some(GivenName),
                Some(PreferredName),
                Some(BirthDate),
                Some(OtherPhone),
                Some(Phone),
                Some(Email),
                Some(Address),
                Some(Address),
                Some(Address),
                Some(Alerts)
            ]
        );
    }

    #[test]
    fn other_languages_and_spellings() {
        use PersonField::*;
        let h = header(&[
            "Nom",
            "Prénom",
            "Date de naissance",
            "Téléphone",
            "Courriel",
            "Remarques",
        ]);
        assert_eq!(
            propose(&h),
            vec![
                Some(FamilyName),
                Some(GivenName),
                Some(BirthDate),
                Some(Phone),
                Some(Email),
                Some(Notes)
            ]
        );
        let h = header(&[
            "Nachname",
            "Vorname",
            "Geburtsdatum",
            "Handy",
            "PLZ",
            "Wohnort",
        ]);
        assert_eq!(
            propose(&h),
            vec![
                Some(FamilyName),
                Some(GivenName),
                Some(BirthDate),
                Some(Phone),
                Some(Address),
                None
            ]
        );
        let h = header(&[
            "first_name",
            "last_name",
            "phone_number",
            "zip_code",
            "E-Mail Address",
        ]);
        assert_eq!(
            propose(&h),
            vec![
                Some(GivenName),
                Some(FamilyName),
                Some(Phone),
                Some(Address),
                Some(Email)
            ]
        );
    }

    #[test]
    fn appointment_exports() {
        use BookingField::*;
        let h = header(&[
            "PatNum",
            "LName",
            "FName",
            "AptDateTime",
            "Pattern",
            "Op",
            "Provider",
            "ProcDescript",
            "Note",
        ]);
        assert_eq!(
            propose(&h),
            vec![
                Some(PersonNumber),
                Some(PersonFamilyName),
                Some(PersonGivenName),
                Some(Date),
                Some(Duration),
                Some(Chair),
                Some(Provider),
                Some(Type),
                Some(Notes)
            ]
        );
        let h = header(&["Guest Name", "Arrival", "Departure", "Room", "Room Type"]);
        assert_eq!(
            propose(&h),
            vec![
                Some(PersonName),
                Some(Arrival),
                Some(Departure),
                Some(Room),
                Some(Type)
            ]
        );
    }

    #[test]
    fn a_second_phone_column_is_not_taken_twice() {
        use PersonField::*;
        let h = header(&["Name", "Mobile", "Phone"]);
        assert_eq!(propose(&h), vec![Some(FullName), Some(Phone), None]);
    }
}
