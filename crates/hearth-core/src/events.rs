//! Change events: after a write commits, the core publishes what changed, in one
//! batch per transaction, carrying the origin (window or tab) that caused it so
//! that a screen can ignore its own echo. Transports subscribe and forward.
use std::sync::{Arc, Mutex};

use serde::Serialize;
use ts_rs::TS;

/// Event topics, one per kind of thing, defined once here and exported to
/// TypeScript. Each write names the topics it may change and each read the
/// topics it depends on (the command registry), so a screen refetches exactly
/// the reads a change touches.
pub mod topics {
    pub const PRACTICE_CHANGED: &str = "practice.changed";
    pub const STAFF_CHANGED: &str = "staff.changed";
    /// Chairs, rooms and providers.
    pub const RESOURCE_CHANGED: &str = "resource.changed";
    pub const ROOM_TYPE_CHANGED: &str = "room_type.changed";
    pub const APPOINTMENT_TYPE_CHANGED: &str = "appointment_type.changed";
    /// Blocked time and closed days.
    pub const BLOCK_CHANGED: &str = "block.changed";
    pub const BOOKING_CHANGED: &str = "booking.changed";
    /// Patients and guests.
    pub const PERSON_CHANGED: &str = "person.changed";
    /// Tasks (preparation, maintenance, gestures).
    pub const TASK_CHANGED: &str = "task.changed";
    /// Rules that make tasks.
    pub const TASK_RULE_CHANGED: &str = "task_rule.changed";
    /// Incidents and the gestures made for them.
    pub const INCIDENT_CHANGED: &str = "incident.changed";
    /// Handoff notes between staff.
    pub const HANDOFF_CHANGED: &str = "handoff.changed";
    /// The waitlist.
    pub const WAITLIST_CHANGED: &str = "waitlist.changed";
    /// The desk's calls about recalls.
    pub const RECALL_CHANGED: &str = "recall.changed";
    /// A room's housekeeping status.
    pub const ROOM_STATUS_CHANGED: &str = "room_status.changed";
    /// Sharing the practice, and the computers paired with it.
    pub const WORKSTATION_CHANGED: &str = "workstation.changed";
    pub const ALL: &[&str] = &[
        PRACTICE_CHANGED,
        STAFF_CHANGED,
        RESOURCE_CHANGED,
        ROOM_TYPE_CHANGED,
        APPOINTMENT_TYPE_CHANGED,
        BLOCK_CHANGED,
        BOOKING_CHANGED,
        PERSON_CHANGED,
        TASK_CHANGED,
        TASK_RULE_CHANGED,
        INCIDENT_CHANGED,
        HANDOFF_CHANGED,
        WAITLIST_CHANGED,
        RECALL_CHANGED,
        ROOM_STATUS_CHANGED,
        WORKSTATION_CHANGED,
    ];
}

/// The name transports use for the event channel (Tauri event, SSE event).
pub const CHANGE_EVENT_NAME: &str = "hearth-changes";

/// The live stream's heartbeat (SSE), once a second, with data: a screen that
/// hears nothing for a few seconds knows the line is dead.
pub const TICK_EVENT_NAME: &str = "tick";

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, TS, utoipa::ToSchema)]
pub struct Change {
    pub topic: String,
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS, utoipa::ToSchema)]
pub struct ChangeBatch {
    /// The change log's id for this batch (increasing); 0 for "everything may
    /// have changed", which is not in the log.
    pub id: i64,
    /// The window or tab whose command caused these changes, if it said.
    pub origin: Option<String>,
    pub changes: Vec<Change>,
}

impl ChangeBatch {
    /// Tells every screen to refetch everything (topic `*`).
    pub fn everything() -> ChangeBatch {
        ChangeBatch {
            id: 0,
            origin: None,
            changes: vec![Change {
                topic: "*".into(),
                ids: vec![],
            }],
        }
    }
}

type Subscriber = Arc<dyn Fn(&ChangeBatch) + Send + Sync>;

#[derive(Default, Clone)]
pub struct EventBus {
    subscribers: Arc<Mutex<Vec<Subscriber>>>,
}

impl EventBus {
    pub fn subscribe(&self, f: impl Fn(&ChangeBatch) + Send + Sync + 'static) {
        self.subscribers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Arc::new(f));
    }

    pub fn publish(&self, batch: ChangeBatch) {
        if batch.changes.is_empty() {
            return;
        }
        let subs: Vec<Subscriber> = self
            .subscribers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        for s in subs {
            s(&batch);
        }
    }
}
