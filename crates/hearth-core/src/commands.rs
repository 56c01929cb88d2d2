//! The command registry: every user action, by name, with its request and
//! response types. Transports call [`dispatch`]; the HTTP server's OpenAPI
//! document and the TypeScript client map are built by visiting [`visit`].
//! Adding a command is one line here, naming the permission it needs.
use serde::Serialize;
use serde_json::value::RawValue;

use crate::access::{disclosure, Permission, StaffRole};
use crate::activity;
use crate::app::{Actor, Hearth};
use crate::care::{
    arrival, follow, followups, handoffs, incidents, merge, myday, privacy, recall, tasks, waitlist,
};
use crate::error::{CoreError, CoreResult};
use crate::events::topics;
use crate::moving::{
    archive, bookings as bookings_in, export, imports, people as people_in, sheets, uploads, vcards,
};
use crate::people::{alerts, dates, duplicates, likely, links, notes, page, records, search};
use crate::request;
use crate::scheduling::{
    availability, bookings, day_sheet, feeds, occasions, room_status, rooms, slots, waiting,
};
use crate::setup::{
    appointment_types, backups, blocks, holidays, practice, resources, rota, sharing, staff,
    task_rules,
};

/// Something that wants to know every command and its types.
pub trait CommandVisitor {
    fn command<Req, Res>(
        &mut self,
        name: &'static str,
        write: bool,
        permission: Permission,
        topics: &'static [&'static str],
        doc: &'static str,
    ) where
        Req: ts_rs::TS + utoipa::ToSchema + 'static,
        Res: ts_rs::TS + utoipa::ToSchema + 'static;
}

/// An empty response.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, ts_rs::TS, utoipa::ToSchema)]
pub struct Done {}

macro_rules! commands {
    ($( $name:literal $mode:ident $perm:ident [$($topic:ident),*] ($req:ty) -> $res:ty = $f:path, $doc:literal; )*) => {
        /// Every command's name.
        pub const NAMES: &[&str] = &[$($name),*];

        /// The topics a command depends on (a read) or may change (a write).
        pub fn topics_of(name: &str) -> Option<&'static [&'static str]> {
            match name {
                $( $name => Some(&[$(topics::$topic),*]), )*
                _ => None,
            }
        }

        /// Whether the command `name` only reads (None: no such command).
        pub fn only_reads(name: &str) -> Option<bool> {
            match name {
                $( $name => Some(!commands!(@is_write $mode)), )*
                _ => None,
            }
        }

        /// The permission each command needs, by name.
        pub fn permission_of(name: &str) -> Option<Permission> {
            match name {
                $( $name => Some(Permission::$perm), )*
                _ => None,
            }
        }

        /// Runs the command `name` for `actor`, an already signed-in staff
        /// member (transports go through [`crate::gate::run`], which resolves
        /// the actor from a session). The request is JSON text (`args`; empty
        /// or `null` for none), parsed strictly (see [`crate::request`]); the
        /// actor's role must have the command's permission; a write records
        /// its audit entry in its own transaction, and a refusal of permission
        /// is recorded too. The answer is already serialized.
        pub fn dispatch(h: &Hearth, actor: &Actor, name: &str, args: &str) -> CoreResult<Box<RawValue>> {
            let result = match name {
                $( $name => {
                    commands!(@run $mode h actor $name $perm [$($topic),*] args $req, $res, $f)
                } )*
                _ => return Err(CoreError::UnknownCommand { name: name.chars().take(60).collect() }),
            };
            if let Err(e) = &result {
                if e.is_access_refusal() {
                    // Best effort: the refusal stands even if it cannot be written.
                    let _ = h.record_refusal(actor, name, Some(name), e, serde_json::json!({}));
                }
            }
            result
        }

        pub fn visit(v: &mut impl CommandVisitor) {
            $( v.command::<$req, $res>($name, commands!(@is_write $mode), Permission::$perm, &[$(topics::$topic),*], $doc); )*
        }
    };
    // The permission is checked before the request is even parsed: someone
    // without it learns nothing about what the command would accept.
    (@run write $h:ident $actor:ident $name:literal $perm:ident [$($topic:ident),*] $args:ident $req:ty, $res:ty, $f:path) => {
        $h.write_declared($actor, $name, &[$(topics::$topic),*], |ctx| {
            let role = ctx.require(Permission::$perm)?;
            let req: $req = request::parse($args)?;
            let out: $res = $f(ctx, req)?;
            Ok((role, out))
        })
        .and_then(|(role, out)| $h.record_looks($actor, role, $name, answer(role, out)?))
    };
    // A read answers in text before giving its connection back, so the
    // serialising counts against the pool's limit too (see store::Store::read).
    (@run read $h:ident $actor:ident $name:literal $perm:ident [$($topic:ident),*] $args:ident $req:ty, $res:ty, $f:path) => {
        $h.read($actor, |ctx| {
            let role = ctx.require(Permission::$perm)?;
            let req: $req = request::parse($args)?;
            let out: $res = $f(ctx, req)?;
            Ok((role, answer(role, out)?))
        })
        .and_then(|(role, raw)| $h.record_looks($actor, role, $name, raw))
    };
    // An action outside one transaction (a backup, a restore): the function
    // takes the practice itself and records its own audit entry.
    (@run act $h:ident $actor:ident $name:literal $perm:ident [$($topic:ident),*] $args:ident $req:ty, $res:ty, $f:path) => {
        $h.read($actor, |ctx| ctx.require(Permission::$perm))
            .and_then(|role| {
                let req: $req = request::parse($args)?;
                let out: $res = $f($h, $actor, req)?;
                answer(role, out).and_then(|raw| $h.record_looks($actor, role, $name, raw))
            })
    };
    (@is_write write) => { true };
    (@is_write act) => { true };
    (@is_write read) => { false };
}

fn done<T>(_: T) -> Done {
    Done {}
}

fn remove_block(ctx: &mut crate::app::Ctx<'_>, req: blocks::RemoveBlock) -> CoreResult<Done> {
    blocks::remove(ctx, req).map(done)
}

commands! {
    "get_practice" read ViewCalendar [PRACTICE_CHANGED] (practice::GetPractice) -> practice::PracticeStatus = practice::get, "The practice's settings.";
    "update_practice" write ManageSettings [PRACTICE_CHANGED] (practice::UpdatePractice) -> practice::Practice = practice::update, "Change the practice's name, zone, grid, hours and idle lock.";
    "list_staff" read ViewCalendar [STAFF_CHANGED] (staff::ListStaff) -> Vec<staff::Staff> = staff::list, "Staff members.";
    "save_staff" write ManageStaff [STAFF_CHANGED] (staff::SaveStaff) -> staff::Staff = staff::save, "Add (with a login and temporary password) or edit a staff member.";
    "archive_staff" write ManageStaff [STAFF_CHANGED] (staff::ArchiveStaff) -> staff::Staff = staff::archive, "Archive (ending their sessions) or restore a staff member.";
    "reset_staff_password" write ManageStaff [STAFF_CHANGED] (staff::ResetStaffPassword) -> staff::Staff = staff::reset_password, "Give a staff member a new temporary password.";
    "change_password" act OwnAccount [STAFF_CHANGED] (staff::ChangePassword) -> staff::Staff = staff::change_password, "Change your own password.";
    "list_resources" read ViewCalendar [RESOURCE_CHANGED] (resources::ListResources) -> Vec<resources::Resource> = resources::list, "Chairs, rooms and providers.";
    "save_resource" write ManageSettings [RESOURCE_CHANGED] (resources::SaveResource) -> resources::Resource = resources::save, "Add or edit a chair, room or provider.";
    "archive_resource" write ManageSettings [RESOURCE_CHANGED] (resources::ArchiveResource) -> resources::Resource = resources::archive, "Archive or restore a chair, room or provider.";
    "list_rotas" read ViewCalendar [RESOURCE_CHANGED, PRACTICE_CHANGED] (rota::ListRotas) -> Vec<rota::Rota> = rota::list, "Each provider's working hours (none: whenever the practice is open).";
    "set_rota" write ManageSettings [RESOURCE_CHANGED] (rota::SetRota) -> rota::Rota = rota::set, "Set a provider's weekly working hours, inside the practice's.";
    "list_public_holidays" read ManageSettings [BLOCK_CHANGED, PRACTICE_CHANGED] (holidays::ListPublicHolidays) -> Vec<holidays::PublicHoliday> = holidays::list, "The public holidays of the practice's country in a year, and whether each is already closed.";
    "close_public_holidays" write ManageSettings [BLOCK_CHANGED] (holidays::ClosePublicHolidays) -> Vec<holidays::PublicHoliday> = holidays::close, "Close the practice on a year's public holidays (each a closed day that can be opened again).";
    "list_room_types" read ViewCalendar [ROOM_TYPE_CHANGED] (resources::ListRoomTypes) -> Vec<resources::RoomType> = resources::list_room_types, "Room types.";
    "save_room_type" write ManageSettings [ROOM_TYPE_CHANGED] (resources::SaveRoomType) -> resources::RoomType = resources::save_room_type, "Add or edit a room type.";
    "list_appointment_types" read ViewCalendar [APPOINTMENT_TYPE_CHANGED] (appointment_types::ListAppointmentTypes) -> Vec<appointment_types::AppointmentType> = appointment_types::list, "Appointment types.";
    "save_appointment_type" write ManageSettings [APPOINTMENT_TYPE_CHANGED] (appointment_types::SaveAppointmentType) -> appointment_types::AppointmentType = appointment_types::save, "Add or edit an appointment type.";
    "list_blocks" read ViewCalendar [BLOCK_CHANGED] (blocks::ListBlocks) -> Vec<blocks::Block> = blocks::list, "Blocked time overlapping a range.";
    "add_block" write Book [BLOCK_CHANGED] (blocks::AddBlock) -> blocks::Block = blocks::add, "Block time for the practice or one resource.";
    "add_closed_days" write Book [BLOCK_CHANGED] (blocks::AddClosedDays) -> blocks::Block = blocks::add_closed_days, "Close whole days (holiday).";
    "remove_block" write Book [BLOCK_CHANGED] (blocks::RemoveBlock) -> Done = remove_block, "Remove blocked time.";
    "list_bookings" read ViewCalendar [BOOKING_CHANGED, APPOINTMENT_TYPE_CHANGED, STAFF_CHANGED, PRACTICE_CHANGED, PERSON_CHANGED] (bookings::ListBookings) -> Vec<bookings::Booking> = bookings::list, "Bookings overlapping a range.";
    "get_booking" read ViewCalendar [BOOKING_CHANGED, APPOINTMENT_TYPE_CHANGED, STAFF_CHANGED, PRACTICE_CHANGED, PERSON_CHANGED] (bookings::GetBooking) -> bookings::Booking = bookings::get, "One booking.";
    "create_booking" write Book [BOOKING_CHANGED, PERSON_CHANGED, TASK_CHANGED] (bookings::CreateBooking) -> bookings::Booking = bookings::create, "Book an appointment or a stay.";
    "update_booking" write Book [BOOKING_CHANGED, PERSON_CHANGED, TASK_CHANGED] (bookings::UpdateBooking) -> bookings::Booking = bookings::update, "Edit, move or resize a booking.";
    "cancel_booking" write Book [BOOKING_CHANGED, TASK_CHANGED] (bookings::CancelBooking) -> bookings::Booking = bookings::cancel, "Cancel a booking, with a reason.";
    "resource_availability" read ViewCalendar [BOOKING_CHANGED, BLOCK_CHANGED, RESOURCE_CHANGED, PRACTICE_CHANGED] (availability::ResourceAvailability) -> Vec<availability::Availability> = availability::availability, "Which chairs, providers or rooms are free for a time, and what holds the others.";
    "restore_booking" write Book [BOOKING_CHANGED, TASK_CHANGED] (bookings::RestoreBooking) -> bookings::Booking = bookings::restore, "Undo a cancellation made in the last 15 minutes (if the time is still free).";
    "set_booking_status" write Book [BOOKING_CHANGED, TASK_CHANGED, ROOM_STATUS_CHANGED] (bookings::SetBookingStatus) -> bookings::Booking = bookings::set_status, "Confirm, mark arrived, check in, complete, no-show.";
    "add_occasion" write Book [BOOKING_CHANGED, TASK_CHANGED] (occasions::AddOccasion) -> Vec<occasions::Occasion> = follow::add_occasion, "Record an occasion on a booking (an anniversary, a birthday, a nervous patient).";
    "dismiss_occasion" write Book [BOOKING_CHANGED, TASK_CHANGED] (occasions::DismissOccasion) -> Vec<occasions::Occasion> = follow::dismiss_occasion, "Dismiss an occasion (the dismissal is remembered).";
    "find_slots" read ViewCalendar [BOOKING_CHANGED, BLOCK_CHANGED, PRACTICE_CHANGED, RESOURCE_CHANGED, APPOINTMENT_TYPE_CHANGED] (slots::FindSlots) -> Vec<slots::Slot> = slots::find, "The next free slots for an appointment type.";
    "find_free_rooms" read ViewCalendar [BOOKING_CHANGED, BLOCK_CHANGED, PRACTICE_CHANGED, RESOURCE_CHANGED, ROOM_TYPE_CHANGED] (rooms::FindFreeRooms) -> Vec<resources::Resource> = rooms::find, "Free rooms for a stay.";
    "search_people" read ViewPerson [PERSON_CHANGED, BOOKING_CHANGED] (search::SearchPeople) -> Vec<search::PersonMatch> = search::search, "Find patients or guests by any part of a name, phone, e-mail or date of birth.";
    "open_person" write ViewPerson [PERSON_CHANGED] (page::OpenPerson) -> page::PersonPage = page::open, "Open a person's page (recorded in the audit trail).";
    "get_person" read ViewPerson [PERSON_CHANGED, BOOKING_CHANGED, APPOINTMENT_TYPE_CHANGED] (page::OpenPerson) -> page::PersonPage = page::page, "A person's page, refreshed.";
    "add_person_alert" write EditPerson [PERSON_CHANGED] (alerts::AddAlert) -> Vec<alerts::Alert> = alerts::add, "Add an alert (allergy, condition, premedication, accessibility) to a person.";
    "remove_person_alert" write EditPerson [PERSON_CHANGED] (alerts::RemoveAlert) -> Vec<alerts::Alert> = alerts::remove, "Remove an alert from a person.";
    "save_person" write EditPerson [PERSON_CHANGED, BOOKING_CHANGED, TASK_CHANGED] (records::SavePerson) -> records::Person = follow::save_person, "Add or edit a patient or guest.";
    "add_important_date" write EditPerson [PERSON_CHANGED, BOOKING_CHANGED, TASK_CHANGED] (dates::AddImportantDate) -> Vec<dates::ImportantDate> = follow::add_important_date, "Add a birthday, an anniversary or another date (occasions follow on coming bookings).";
    "remove_important_date" write EditPerson [PERSON_CHANGED, BOOKING_CHANGED, TASK_CHANGED] (dates::RemoveImportantDate) -> Vec<dates::ImportantDate> = follow::remove_important_date, "Remove an important date.";
    "archive_person" write EditPerson [PERSON_CHANGED] (records::ArchivePerson) -> records::Person = records::archive, "Archive (never delete) or restore a patient or guest.";
    "link_people" write EditPerson [PERSON_CHANGED] (links::LinkPeople) -> Vec<links::Link> = links::add, "Link two people of one household (partner, family).";
    "unlink_people" write EditPerson [PERSON_CHANGED] (links::UnlinkPeople) -> Vec<links::Link> = links::remove, "Remove a household link.";
    "likely_people" read ViewPerson [PERSON_CHANGED, BOOKING_CHANGED] (likely::LikelyPeople) -> Vec<likely::LikelyPerson> = likely::likely, "Who a typed name (with phone, e-mail or birth date) could already be, with what they share.";
    "list_possible_duplicates" read ViewPerson [PERSON_CHANGED, BOOKING_CHANGED] (duplicates::ListDuplicates) -> Vec<duplicates::DuplicatePair> = duplicates::list, "Pairs of records likely of one person, the likeliest first.";
    "keep_people_apart" write EditPerson [PERSON_CHANGED] (duplicates::KeepApart) -> Vec<duplicates::DuplicatePair> = duplicates::keep_apart, "Two records are different people: the pair leaves the possible-duplicates list.";
    "merge_people" write EditPerson [PERSON_CHANGED, BOOKING_CHANGED, TASK_CHANGED, INCIDENT_CHANGED] (merge::MergePeople) -> records::Person = merge::merge, "Merge two records of one person: everything moves to the one that stays.";
    "export_person" write ExportPerson [PERSON_CHANGED] (privacy::ExportPerson) -> privacy::PersonExport = privacy::export, "Everything held about a person, as one document (recorded).";
    "erase_person" write ErasePerson [PERSON_CHANGED, BOOKING_CHANGED, TASK_CHANGED, INCIDENT_CHANGED] (privacy::ErasePerson) -> privacy::Erased = privacy::erase, "Erase a person on request: names, contact and notes anonymised; anonymous booking counts kept (recorded).";
    "add_person_note" write EditPerson [PERSON_CHANGED] (notes::AddNote) -> Vec<notes::Note> = notes::add, "Add a note about a person (with its author and time).";
    "remove_person_note" write EditPerson [PERSON_CHANGED] (notes::RemoveNote) -> Vec<notes::Note> = notes::remove, "Remove a note.";
    "get_arrival_card" read ViewPerson [BOOKING_CHANGED, PERSON_CHANGED, TASK_CHANGED, INCIDENT_CHANGED, STAFF_CHANGED] (arrival::GetArrivalCard) -> arrival::ArrivalCard = arrival::get, "What the desk should know as a booking is opened or the person arrives.";
    "list_tasks" read WorkTasks [TASK_CHANGED, BOOKING_CHANGED, PERSON_CHANGED, STAFF_CHANGED] (tasks::ListTasks) -> Vec<tasks::Task> = tasks::list, "Tasks: a role's board by day (overdue carried in), or a person's or a booking's.";
    "add_task" write WorkTasks [TASK_CHANGED] (tasks::AddTask) -> tasks::Task = tasks::add, "Add a task for a role or a member, due at a time or relative to a booking.";
    "close_task" write WorkTasks [TASK_CHANGED, INCIDENT_CHANGED] (tasks::CloseTask) -> tasks::Task = follow::close_task, "Mark a task done, skipped (with why) or open again.";
    "list_task_rules" read ViewCalendar [TASK_RULE_CHANGED] (task_rules::ListTaskRules) -> Vec<task_rules::TaskRule> = task_rules::list, "The rules that make tasks from occasions and remembered incidents.";
    "save_task_rule" write ManageSettings [TASK_RULE_CHANGED] (task_rules::SaveTaskRule) -> task_rules::TaskRule = task_rules::save, "Add, edit or turn off a rule that makes tasks.";
    "get_backup_status" read ManageSettings [PRACTICE_CHANGED] (backups::GetBackupStatus) -> backups::BackupStatus = backups::status, "The practice's backups: each folder they go to with its newest verified one, the next one due, what needs the manager, and the backups to restore from.";
    "add_backup_destination" write ManageSettings [PRACTICE_CHANGED] (backups::AddBackupDestination) -> backups::BackupStatus = backups::add_destination, "Send every backup to another folder too (a second disk, a USB stick, a mounted share).";
    "remove_backup_destination" write ManageSettings [PRACTICE_CHANGED] (backups::RemoveBackupDestination) -> backups::BackupStatus = backups::remove_destination, "Stop sending backups to a folder (the backups there stay).";
    "set_backup_schedule" write ManageSettings [PRACTICE_CHANGED] (backups::SetBackupSchedule) -> backups::BackupStatus = backups::set_schedule, "How often the practice backs itself up, and how many hourly, daily, weekly and monthly backups are kept.";
    "back_up_now" act ManageSettings [PRACTICE_CHANGED] (backups::BackUpNow) -> backups::BackupStatus = backups::back_up_now, "Back the practice up now, to every folder, and check each copy.";
    "show_recovery_key" act ManageSettings [PRACTICE_CHANGED] (backups::ShowRecoveryKey) -> backups::RecoverySheet = backups::show_recovery_key, "The recovery sheet (the manager's password again): the only way to open a backup on a new computer.";
    "confirm_recovery_sheet" write ManageSettings [PRACTICE_CHANGED] (backups::ConfirmRecoverySheet) -> backups::BackupStatus = backups::confirm_recovery_sheet, "Record that the recovery sheet is printed or written down and kept safe.";
    "add_import_part" write ManageSettings [PERSON_CHANGED] (uploads::AddImportPart) -> uploads::Upload = uploads::add_part, "Hand over the next part of a file to import (base64, a few hundred kilobytes at a time); the first part starts it.";
    "preview_import_people" read ManageSettings [PERSON_CHANGED] (people_in::PreviewImportPeople) -> people_in::PeoplePreview = people_in::preview, "How a file of people would be read: the columns mapped, the first rows, and every row judged (ready, already here, twice in the file, or a problem) before anything is written.";
    "import_people" act ManageSettings [PERSON_CHANGED] (people_in::ImportPeople) -> people_in::ImportDone = people_in::import, "Import a file of people, judged again; rows already here, twice in the file or with a problem are skipped, filled in or added as chosen. Undoable for 7 days.";
    "preview_import_bookings" read ManageSettings [BOOKING_CHANGED, PERSON_CHANGED] (bookings_in::PreviewImportBookings) -> bookings_in::BookingsPreview = bookings_in::preview, "How a file of coming bookings would be read: the columns and the old system's chair, provider, room and type names mapped, and every row judged by the desk's rules (ready, someone new, already in the calendar, a clash, a closed time, or a problem) before anything is written.";
    "import_bookings" act ManageSettings [BOOKING_CHANGED, PERSON_CHANGED] (bookings_in::ImportBookings) -> people_in::ImportDone = bookings_in::import, "Import a file of coming bookings, judged again and each checked by the desk's rules as it is written; clashes are never booked, closed times only for the rows said. Undoable for 7 days.";
    "list_imports" read ManageSettings [PERSON_CHANGED] (imports::ListImports) -> Vec<imports::ImportRecord> = imports::list, "The imports made, newest first, with their counts and until when each can be undone.";
    "undo_import" act ManageSettings [PERSON_CHANGED, BOOKING_CHANGED] (imports::UndoImport) -> imports::Undone = imports::undo, "Undo an import (within 7 days): what it added goes, what it filled in goes back, unless the desk has used it since.";
    "export_people" write ManageSettings [PERSON_CHANGED] (export::ExportPeople) -> export::CsvFile = export::people, "Every patient or guest as a spreadsheet file (UTF-8, a header row; formulas neutralised) that Hearth's import reads back (recorded).";
    "list_calendar_feeds" read ViewCalendar [RESOURCE_CHANGED] (feeds::ListCalendarFeeds) -> Vec<feeds::CalendarFeed> = feeds::list, "The calendar feeds the actor may turn on or off: a manager every provider's (a hotel's every room's), anyone else their own.";
    "set_calendar_feed" write ViewCalendar [RESOURCE_CHANGED] (feeds::SetCalendarFeed) -> feeds::FeedSet = feeds::set, "Turn a provider's or room's calendar feed on (its secret address, shown once), give it a new address, or withdraw it.";
    "get_booking_ics" read ViewCalendar [BOOKING_CHANGED] (feeds::GetBookingIcs) -> feeds::IcsFile = feeds::booking, "One booking as an .ics file to hand to the person: the practice's name and the appointment, in the practice's time zone.";
    "get_person_vcard" read ViewPerson [PERSON_CHANGED] (vcards::GetPersonVcard) -> vcards::VcardFile = vcards::person, "A person's address-book card (vCard 4.0): name, preferred name, phones, e-mail, address and date of birth — never notes or alerts.";
    "export_sheet" write ManageSettings [BOOKING_CHANGED, PERSON_CHANGED] (sheets::ExportSheet) -> export::CsvFile = sheets::export, "The bookings of a range (re-imported by Hearth's bookings import), the incidents, the tasks or the handoffs as a spreadsheet file (UTF-8, a header row; formulas neutralised; recorded).";
    "export_practice" write ManageSettings [BOOKING_CHANGED, PERSON_CHANGED] (archive::ExportPractice) -> archive::ArchiveFile = archive::export, "The whole practice as one archive a person can read: a zip of spreadsheet files and a README (recorded, with everyone in it as looked at).";
    "restore_backup" act ManageSettings [PRACTICE_CHANGED] (backups::RestoreBackup) -> backups::RestoreDone = backups::restore, "Put a chosen backup in place of the practice (the manager's password again): checked first, the current state kept aside, everyone signed out.";
    "get_sharing" read ManageSettings [WORKSTATION_CHANGED] (sharing::GetSharing) -> sharing::SharingStatus = sharing::status, "Whether the practice is shared, its certificate fingerprint, the pairing code of the moment and the paired computers.";
    "set_sharing" write ManageSettings [WORKSTATION_CHANGED] (sharing::SetSharing) -> sharing::SharingStatus = sharing::set, "Share the practice with its other computers, or stop.";
    "revoke_workstation" write ManageSettings [WORKSTATION_CHANGED] (sharing::RevokeWorkstation) -> crate::access::workstations::Workstation = sharing::revoke, "Disconnect a paired computer: it is refused from its next request.";
    "list_incidents" read ViewPerson [INCIDENT_CHANGED, BOOKING_CHANGED, STAFF_CHANGED] (incidents::ListIncidents) -> Vec<incidents::Incident> = incidents::list, "A person's or a booking's incidents, with the gestures made since.";
    "log_incident" write Book [INCIDENT_CHANGED, TASK_CHANGED] (incidents::LogIncident) -> incidents::Incident = incidents::log, "Log an incident on a booking (and a task to put it right).";
    "update_incident" write Book [INCIDENT_CHANGED, TASK_CHANGED] (incidents::UpdateIncident) -> incidents::Incident = incidents::update, "Record who handled an incident, its resolution, and whether to remember it.";
    "record_gesture" write Book [INCIDENT_CHANGED, TASK_CHANGED] (incidents::RecordGesture) -> incidents::Incident = incidents::record_gesture, "Record what was done on this visit for an incident remembered from before.";
    "send_handoff" write HandOff [HANDOFF_CHANGED] (handoffs::SendHandoff) -> handoffs::Handoff = handoffs::send, "Hand a note to a role or a person (a follow-up to book, a call back, a task, or just words).";
    "list_handoffs" read HandOff [HANDOFF_CHANGED, STAFF_CHANGED, PERSON_CHANGED, APPOINTMENT_TYPE_CHANGED, RESOURCE_CHANGED] (handoffs::ListHandoffs) -> Vec<handoffs::Handoff> = handoffs::list, "My inbox (to me or my role), or what I sent.";
    "count_handoffs" read HandOff [HANDOFF_CHANGED] (handoffs::CountHandoffs) -> handoffs::HandoffCount = handoffs::count, "How many handoffs are unseen in my inbox.";
    "mark_handoff_seen" write HandOff [HANDOFF_CHANGED] (handoffs::MarkHandoffSeen) -> handoffs::Handoff = handoffs::mark_seen, "Mark a handoff seen (who, when).";
    "close_handoff" write HandOff [HANDOFF_CHANGED] (handoffs::CloseHandoff) -> handoffs::Handoff = handoffs::close, "Mark a handoff done (with what was done) or declined (with why).";
    "propose_follow_up" read HandOff [HANDOFF_CHANGED, BOOKING_CHANGED, BLOCK_CHANGED, PRACTICE_CHANGED, RESOURCE_CHANGED, APPOINTMENT_TYPE_CHANGED] (followups::ProposeFollowUp) -> followups::Proposal = followups::propose, "The slots that fit a follow-up handoff, or the earliest after its window.";
    "follow_up_capacity" read HandOff [BOOKING_CHANGED, BLOCK_CHANGED, PRACTICE_CHANGED, RESOURCE_CHANGED, APPOINTMENT_TYPE_CHANGED] (followups::FollowUpCapacity) -> followups::Capacity = followups::capacity, "How many fitting slots a follow-up window still has, while it is being written.";
    "book_follow_up" write HandOff [HANDOFF_CHANGED, BOOKING_CHANGED, PERSON_CHANGED, TASK_CHANGED] (followups::BookFollowUp) -> handoffs::Handoff = followups::book, "Book a proposed follow-up slot and complete its handoff.";
    "take_back_follow_up" write HandOff [HANDOFF_CHANGED, BOOKING_CHANGED, TASK_CHANGED] (followups::TakeBackFollowUp) -> handoffs::Handoff = followups::take_back, "Undo a follow-up booked in the last 15 minutes: the booking is cancelled and the handoff open again.";
    "add_to_waitlist" write Book [WAITLIST_CHANGED, HANDOFF_CHANGED] (waitlist::AddToWaitlist) -> waitlist::WaitlistEntry = waitlist::add, "Put someone on the waitlist (by hand, or a follow-up handoff that found no slot).";
    "list_waitlist" read ViewCalendar [WAITLIST_CHANGED, PERSON_CHANGED, APPOINTMENT_TYPE_CHANGED, RESOURCE_CHANGED] (waitlist::ListWaitlist) -> Vec<waitlist::WaitlistEntry> = waitlist::list, "Everyone waiting, longest-waiting first.";
    "remove_from_waitlist" write Book [WAITLIST_CHANGED] (waitlist::RemoveFromWaitlist) -> Vec<waitlist::WaitlistEntry> = waitlist::remove, "Take someone off the waitlist, with why.";
    "waitlist_for_freed" read ViewCalendar [WAITLIST_CHANGED, BOOKING_CHANGED, BLOCK_CHANGED, PRACTICE_CHANGED, RESOURCE_CHANGED, APPOINTMENT_TYPE_CHANGED] (waitlist::WaitlistForFreed) -> Vec<waitlist::WaitlistFit> = waitlist::for_freed, "Who on the waitlist fits time just freed, longest-waiting first, each with a slot.";
    "book_from_waitlist" write Book [WAITLIST_CHANGED, BOOKING_CHANGED, PERSON_CHANGED, TASK_CHANGED] (waitlist::BookFromWaitlist) -> bookings::Booking = waitlist::book, "Book someone from the waitlist (and take them off it).";
    "list_room_status" read ViewCalendar [ROOM_STATUS_CHANGED, BOOKING_CHANGED, RESOURCE_CHANGED, ROOM_TYPE_CHANGED, STAFF_CHANGED] (room_status::ListRoomStatus) -> room_status::RoomBoard = room_status::list, "Each room's status (clean, dirty, inspected, out of order), with who leaves and who arrives today.";
    "set_room_status" write WorkTasks [ROOM_STATUS_CHANGED] (room_status::SetRoomStatus) -> room_status::RoomState = room_status::set, "Mark a room clean, dirty, inspected or out of order (with why).";
    "get_day_sheet" read ViewCalendar [BOOKING_CHANGED, PERSON_CHANGED, RESOURCE_CHANGED, PRACTICE_CHANGED, APPOINTMENT_TYPE_CHANGED] (day_sheet::GetDaySheet) -> day_sheet::DaySheet = day_sheet::get, "A day's bookings as paper: a page per chair or provider, or a hotel's arrivals, departures and in-house guests.";
    "get_my_day" read ViewCalendar [BOOKING_CHANGED, PERSON_CHANGED, TASK_CHANGED, INCIDENT_CHANGED, RESOURCE_CHANGED, PRACTICE_CHANGED, STAFF_CHANGED, APPOINTMENT_TYPE_CHANGED] (myday::GetMyDay) -> myday::MyDay = myday::get, "A practitioner's own bookings for a day, in order, each with the person's card.";
    "list_recall" read ViewPerson [RECALL_CHANGED, BOOKING_CHANGED, PERSON_CHANGED, INCIDENT_CHANGED, APPOINTMENT_TYPE_CHANGED, PRACTICE_CHANGED, RESOURCE_CHANGED, STAFF_CHANGED] (recall::ListRecall) -> recall::RecallList = recall::list, "Who is due back: patients due or overdue for a recall, regular guests past their usual interval.";
    "note_recall_contact" write EditPerson [RECALL_CHANGED] (recall::NoteRecallContact) -> recall::RecallContact = recall::note_contact, "The desk called about a recall: what came of it, and when to call again.";
    "list_waiting" read ViewCalendar [BOOKING_CHANGED, PRACTICE_CHANGED, PERSON_CHANGED] (waiting::ListWaiting) -> waiting::WaitingRoom = waiting::list, "Who has arrived and is not yet seated, longest waiting first.";
    "booking_timeline" read ViewCalendar [BOOKING_CHANGED, STAFF_CHANGED] (waiting::BookingTimeline) -> waiting::Timeline = waiting::timeline, "A visit's steps (booked, confirmed, arrived, seated, completed) with when and who.";
    "list_person_looks" read ViewActivity [PERSON_CHANGED, STAFF_CHANGED] (activity::ListPersonLooks) -> Vec<crate::audit::looks::PersonLook> = activity::person_looks, "Who has looked at a person's details: each member and screen, the first and last hour, and in how many hours.";
    "list_activity" read ViewActivity [PRACTICE_CHANGED, STAFF_CHANGED, RESOURCE_CHANGED, ROOM_TYPE_CHANGED, APPOINTMENT_TYPE_CHANGED, BLOCK_CHANGED, BOOKING_CHANGED, PERSON_CHANGED, TASK_CHANGED, TASK_RULE_CHANGED, INCIDENT_CHANGED, HANDOFF_CHANGED, WAITLIST_CHANGED, RECALL_CHANGED, ROOM_STATUS_CHANGED] (activity::ListActivity) -> activity::ActivityPage = activity::list, "The audit trail, newest first, filtered and paged.";
}

/// A command's answer for `role`, shaped by what the role may see
/// (`access::disclosure`): every read, list and printed page goes through here.
fn answer<T: Serialize>(role: StaffRole, out: T) -> CoreResult<Box<RawValue>> {
    if !disclosure::restricted(role) {
        return to_json(out);
    }
    let mut v = serde_json::to_value(&out).map_err(|e| CoreError::Storage(e.to_string()))?;
    disclosure::shape(role, &mut v);
    to_json(v)
}

/// Serializes straight to text: building a `serde_json::Value` first costs
/// more than the query for a week view (see docs/performance.md).
fn to_json<T: Serialize>(v: T) -> CoreResult<Box<RawValue>> {
    serde_json::value::to_raw_value(&v).map_err(|e| CoreError::Storage(e.to_string()))
}

/// [`dispatch`], parsed back into a `serde_json::Value`: for tests and tools.
pub fn dispatch_value(
    h: &Hearth,
    actor: &Actor,
    name: &str,
    args: serde_json::Value,
) -> CoreResult<serde_json::Value> {
    let raw = dispatch(h, actor, name, &args.to_string())?;
    serde_json::from_str(raw.get()).map_err(|e| CoreError::Storage(e.to_string()))
}
