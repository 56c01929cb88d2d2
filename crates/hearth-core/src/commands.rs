//! The command registry: every user action, by name, with its request and
//! response types. Transports call [`dispatch`]; the HTTP server's OpenAPI
//! document and the TypeScript client map are built by visiting [`visit`].
//! Adding a command is one line here.
use serde::Serialize;
use serde_json::value::RawValue;

use crate::app::{Actor, Hearth};
use crate::demo;
use crate::error::{CoreError, CoreResult};
use crate::request;
use crate::scheduling::{bookings, rooms, slots};
use crate::setup::{appointment_types, blocks, practice, resources, staff};

/// Something that wants to know every command and its types.
pub trait CommandVisitor {
    fn command<Req, Res>(&mut self, name: &'static str, write: bool, doc: &'static str)
    where
        Req: ts_rs::TS + utoipa::ToSchema + 'static,
        Res: ts_rs::TS + utoipa::ToSchema + 'static;
}

/// An empty response.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, ts_rs::TS, utoipa::ToSchema)]
pub struct Done {}

macro_rules! commands {
    ($( $name:literal $mode:ident ($req:ty) -> $res:ty = $f:path, $doc:literal; )*) => {
        /// Every command's name.
        pub const NAMES: &[&str] = &[$($name),*];

        /// Runs the command `name` with its request as JSON text (`args`; empty
        /// or `null` for none) for `actor`, answering with the response already
        /// serialized: transports send it as it is. The text is parsed strictly
        /// (see [`crate::request`]).
        pub fn dispatch(h: &Hearth, actor: &Actor, name: &str, args: &str) -> CoreResult<Box<RawValue>> {
            match name {
                $( $name => {
                    let req: $req = request::parse(args)?;
                    let out: $res = commands!(@run $mode h actor req $f)?;
                    to_json(out)
                } )*
                _ => Err(CoreError::UnknownCommand { name: name.chars().take(60).collect() }),
            }
        }

        pub fn visit(v: &mut impl CommandVisitor) {
            $( v.command::<$req, $res>($name, commands!(@is_write $mode), $doc); )*
        }
    };
    (@run write $h:ident $actor:ident $req:ident $f:path) => { $h.write($actor, |ctx| $f(ctx, $req)) };
    (@run read $h:ident $actor:ident $req:ident $f:path) => { $h.read($actor, |ctx| $f(ctx, $req)) };
    (@is_write write) => { true };
    (@is_write read) => { false };
}

fn done<T>(_: T) -> Done {
    Done {}
}

fn remove_block(ctx: &mut crate::app::Ctx<'_>, req: blocks::RemoveBlock) -> CoreResult<Done> {
    blocks::remove(ctx, req).map(done)
}

commands! {
    "get_practice" read (practice::GetPractice) -> practice::PracticeStatus = practice::get, "The practice's settings, or none before setup.";
    "setup_practice" write (practice::SetupPractice) -> practice::SetupDone = practice::setup, "Set up a new practice and its first manager.";
    "open_demo_practice" write (demo::OpenDemoPractice) -> practice::SetupDone = demo::open, "Fill an empty practice file with the demo practice.";
    "update_practice" write (practice::UpdatePractice) -> practice::Practice = practice::update, "Change the practice's name, zone, grid and hours.";
    "list_staff" read (staff::ListStaff) -> Vec<staff::Staff> = staff::list, "Staff members.";
    "save_staff" write (staff::SaveStaff) -> staff::Staff = staff::save, "Add or edit a staff member.";
    "archive_staff" write (staff::ArchiveStaff) -> staff::Staff = staff::archive, "Archive or restore a staff member.";
    "list_resources" read (resources::ListResources) -> Vec<resources::Resource> = resources::list, "Chairs, rooms and providers.";
    "save_resource" write (resources::SaveResource) -> resources::Resource = resources::save, "Add or edit a chair, room or provider.";
    "archive_resource" write (resources::ArchiveResource) -> resources::Resource = resources::archive, "Archive or restore a chair, room or provider.";
    "list_room_types" read (resources::ListRoomTypes) -> Vec<resources::RoomType> = resources::list_room_types, "Room types.";
    "save_room_type" write (resources::SaveRoomType) -> resources::RoomType = resources::save_room_type, "Add or edit a room type.";
    "list_appointment_types" read (appointment_types::ListAppointmentTypes) -> Vec<appointment_types::AppointmentType> = appointment_types::list, "Appointment types.";
    "save_appointment_type" write (appointment_types::SaveAppointmentType) -> appointment_types::AppointmentType = appointment_types::save, "Add or edit an appointment type.";
    "list_blocks" read (blocks::ListBlocks) -> Vec<blocks::Block> = blocks::list, "Blocked time overlapping a range.";
    "add_block" write (blocks::AddBlock) -> blocks::Block = blocks::add, "Block time for the practice or one resource.";
    "add_closed_days" write (blocks::AddClosedDays) -> blocks::Block = blocks::add_closed_days, "Close whole days (holiday).";
    "remove_block" write (blocks::RemoveBlock) -> Done = remove_block, "Remove blocked time.";
    "list_bookings" read (bookings::ListBookings) -> Vec<bookings::Booking> = bookings::list, "Bookings overlapping a range.";
    "get_booking" read (bookings::GetBooking) -> bookings::Booking = bookings::get, "One booking.";
    "create_booking" write (bookings::CreateBooking) -> bookings::Booking = bookings::create, "Book an appointment or a stay.";
    "update_booking" write (bookings::UpdateBooking) -> bookings::Booking = bookings::update, "Edit, move or resize a booking.";
    "cancel_booking" write (bookings::CancelBooking) -> bookings::Booking = bookings::cancel, "Cancel a booking, with a reason.";
    "set_booking_status" write (bookings::SetBookingStatus) -> bookings::Booking = bookings::set_status, "Confirm, mark arrived, check in, complete, no-show.";
    "find_slots" read (slots::FindSlots) -> Vec<slots::Slot> = slots::find, "The next free slots for an appointment type.";
    "find_free_rooms" read (rooms::FindFreeRooms) -> Vec<resources::Resource> = rooms::find, "Free rooms for a stay.";
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
