//! Patients and guests: one record per person (`records.rs`, the `people`
//! table), found by any part of a name, phone digits, e-mail or date of birth
//! (`search.rs`, over the trigram index the schema keeps in step). Bookings
//! point at a person; `records::find_or_create` links a booking typed with a
//! name and phone to the person who already has them.
pub mod alerts;
pub mod dates;
pub mod links;
pub mod notes;
pub mod page;
pub mod phones;
pub mod records;
pub mod search;
