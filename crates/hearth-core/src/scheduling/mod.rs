//! Scheduling: bookings over `[start, end)` on one or more resources, what
//! holds a resource when (`occupancy`), their status rules, opening hours, the rule check every write goes through,
//! slot search, a hotel's room status, the day sheet, the day the desk
//! opens on, and bookings as iCalendar (a feed per practitioner or room,
//! an .ics per booking).
pub mod availability;
pub mod bookings;
pub mod day_sheet;
pub mod desk_day;
pub mod feeds;
pub mod hours;
pub mod ics;
pub mod occasions;
pub mod occupancy;
pub mod room_status;
pub mod rooms;
pub mod rules;
pub mod slots;
pub mod status;
pub mod waiting;
pub mod window;
pub mod working;
