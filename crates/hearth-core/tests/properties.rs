//! Property: whatever sequence of bookings, moves and cancellations the desk
//! throws at the store, no two live bookings ever overlap on a resource.
mod common;

use common::Desk;
use hearth_core::setup::practice::PracticeKind;
use proptest::prelude::*;
use serde_json::json;

#[derive(Debug, Clone)]
enum Op {
    Book {
        chair: u8,
        slot: u8,
        len: u8,
    },
    Move {
        pick: u8,
        chair: u8,
        slot: u8,
        len: u8,
    },
    Cancel {
        pick: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..2, 0u8..40, 1u8..6).prop_map(|(chair, slot, len)| Op::Book { chair, slot, len }),
        (any::<u8>(), 0u8..2, 0u8..40, 1u8..6).prop_map(|(pick, chair, slot, len)| Op::Move {
            pick,
            chair,
            slot,
            len
        }),
        any::<u8>().prop_map(|pick| Op::Cancel { pick }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn live_bookings_never_overlap(ops in proptest::collection::vec(op(), 1..40)) {
        let desk = Desk::new(PracticeKind::Dental);
        let chairs = [desk.resource("Chair 1"), desk.resource("Chair 2")];
        let dentist = desk.resource("Dentist");
        let t = desk.type_id("Check-up");
        let base = desk.at("2026-11-24", 8, 0);
        let span = |slot: u8, len: u8| (base + i64::from(slot) * 15 * 60_000, base + (i64::from(slot) + i64::from(len)) * 15 * 60_000);
        let mut ids: Vec<i64> = Vec::new();
        for op in ops {
            match op {
                Op::Book { chair, slot, len } => {
                    let (s, e) = span(slot, len);
                    let r = desk.run(&desk.manager, "create_booking", json!({
                        "person_name": "P", "type_id": t, "resource_ids": [chairs[chair as usize], dentist],
                        "time": { "kind": "timed", "starts_at_ms": s, "ends_at_ms": e }, "override_rules": true }));
                    if let Ok(b) = r { ids.push(b["id"].as_i64().unwrap_or(0)); }
                }
                Op::Move { pick, chair, slot, len } if !ids.is_empty() => {
                    let id = ids[pick as usize % ids.len()];
                    let b = desk.ok("get_booking", json!({ "id": id }));
                    let (s, e) = span(slot, len);
                    let _ = desk.run(&desk.manager, "update_booking", json!({
                        "id": id, "expected_version": b["version"], "resource_ids": [chairs[chair as usize], dentist],
                        "time": { "kind": "timed", "starts_at_ms": s, "ends_at_ms": e }, "override_rules": true }));
                }
                Op::Cancel { pick } if !ids.is_empty() => {
                    let id = ids[pick as usize % ids.len()];
                    let b = desk.ok("get_booking", json!({ "id": id }));
                    let _ = desk.run(&desk.manager, "cancel_booking", json!({ "id": id, "expected_version": b["version"], "reason": "r" }));
                }
                _ => {}
            }
        }
        let (_, clashes) = common::clashes(&desk.dir.path().join("hearth.db"));
        prop_assert_eq!(clashes, 0);
    }
}
