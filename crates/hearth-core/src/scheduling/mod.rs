//! Scheduling: bookings over `[start, end)` on one or more resources, their
//! status rules, opening hours, the rule check every write goes through,
//! slot search, a hotel's room status, the day sheet, and the day the desk
//! opens on.
pub mod bookings;
pub mod day_sheet;
pub mod desk_day;
pub mod hours;
pub mod occasions;
pub mod room_status;
pub mod rooms;
pub mod rules;
pub mod slots;
pub mod status;
pub mod waiting;
pub mod window;
pub mod working;
