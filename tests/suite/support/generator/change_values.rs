//! The `value` of a change for each field: messages, echoes, statuses, calls, other and unknown
//! fields.

use super::envelope::metadata;
use super::ids::{customer, timestamp, Biz};
use super::items::{call, contact, status};
use super::json::{obj, s, set, J};
use super::keys::field_ok;
use super::messages::message;
use super::rng::Rng;
use super::values::{free_key, junk, WORDS};

pub(super) const OTHER_FIELDS: &[&str] = &[
    "account_alerts",
    "account_update",
    "account_review_update",
    "business_capability_update",
    "message_template_status_update",
    "message_template_quality_update",
    "template_category_update",
    "phone_number_name_update",
    "phone_number_quality_update",
    "security",
    "history",
    "smb_app_state_sync",
    "user_preferences",
    "flows",
    "partner_solutions",
    "payment_configuration_update",
];

pub(super) const UNKNOWN_FIELDS: &[&str] = &[
    "field_2x",
    "Messages",
    "MESSAGES",
    "foo-bar",
    "a__b",
    "_leading",
    "trailing_",
    "ABC_DEF",
    "x_1y",
    "future_field_v2",
    "smbMessageEchoes",
    "message_echoes",
    "kapso.message.received",
    "with space",
    "é_field",
    "to_string_x",
    "a-b_c",
    "_",
    "-",
];

pub(super) fn list_of(rng: &mut Rng, len: usize, mut item: impl FnMut(&mut Rng) -> J) -> J {
    J::Arr((0..len).map(|_| item(rng)).collect())
}

/// A list value for one of the reserved list keys: usually an array of
/// objects, sometimes empty or of the wrong (non-array) type.
pub(super) fn list_or_wrong(rng: &mut Rng, len: usize, item: impl FnMut(&mut Rng) -> J) -> J {
    match rng.weighted(&[88, 4, 8]) {
        0 => list_of(rng, len, item),
        1 => J::Arr(vec![]),
        _ => match rng.below(5) {
            0 => J::Obj(vec![]),
            1 => J::Int(5),
            2 => J::Null,
            3 => s("messages"),
            _ => J::Obj(obj([("a_b", J::Int(1))])),
        },
    }
}

pub(super) fn small(rng: &mut Rng) -> usize {
    rng.pick(&[1, 1, 1, 1, 1, 2, 2, 3])
}

pub(super) fn echo_key(rng: &mut Rng) -> &'static str {
    rng.pick(&[
        "message_echoes",
        "message_echoes",
        "message_echoes",
        "messageEchoes",
        "message-echoes",
        "message_Echoes",
    ])
}

pub(super) fn base_value(rng: &mut Rng, b: &Biz) -> Vec<(String, J)> {
    let mut pairs = Vec::new();
    if rng.chance(95) {
        set(&mut pairs, "messaging_product", s("whatsapp"));
    }
    if let Some(meta) = metadata(rng, b) {
        set(&mut pairs, "metadata", meta);
    }
    pairs
}

pub(super) fn messages_value(rng: &mut Rng, b: &Biz) -> Vec<(String, J)> {
    let mut pairs = base_value(rng, b);
    let customer_id = customer(rng);
    if rng.chance(85) {
        let n = small(rng);
        let contacts = list_or_wrong(rng, n, |rng| contact(rng, &customer_id));
        set(&mut pairs, "contacts", contacts);
    }
    if rng.chance(92) {
        if rng.chance(4) {
            // A duplicate list key: only the later value counts, so the
            // earlier one may hold non-object items.
            let earlier = J::Arr(vec![J::Int(5), J::Null, s("x"), J::Arr(vec![])]);
            set(&mut pairs, "messages", earlier);
        }
        let n = small(rng);
        let messages = list_or_wrong(rng, n, |rng| message(rng, b, false));
        set(&mut pairs, "messages", messages);
        if rng.chance(3) {
            let statuses = list_of(rng, 1, status);
            set(&mut pairs, "statuses", statuses);
        }
    }
    if rng.chance(12) {
        let n = small(rng);
        let echoes = list_or_wrong(rng, n, |rng| message(rng, b, true));
        set(&mut pairs, echo_key(rng), echoes);
    }
    if rng.chance(5) {
        // Two spellings of the echo list: the later one wins.
        let first = list_of(rng, 1, |rng| message(rng, b, true));
        let second = list_of(rng, 1, |rng| message(rng, b, true));
        set(&mut pairs, "message_echoes", first);
        set(&mut pairs, "messageEchoes", second);
    }
    if rng.chance(8) {
        let n = small(rng);
        let statuses = list_of(rng, n, status);
        set(&mut pairs, "statuses", statuses);
    }
    if rng.chance(3) {
        let n = small(rng);
        let calls = list_of(rng, n, |rng| call(rng, b));
        set(&mut pairs, "calls", calls);
    }
    pairs
}

pub(super) fn echoes_value(rng: &mut Rng, b: &Biz) -> Vec<(String, J)> {
    let mut pairs = base_value(rng, b);
    let n = small(rng);
    let echoes = list_or_wrong(rng, n, |rng| message(rng, b, true));
    set(&mut pairs, echo_key(rng), echoes);
    if rng.chance(10) {
        let n = small(rng);
        let messages = list_of(rng, n, |rng| message(rng, b, false));
        set(&mut pairs, "messages", messages);
    }
    pairs
}

pub(super) fn statuses_value(rng: &mut Rng, b: &Biz) -> Vec<(String, J)> {
    let mut pairs = base_value(rng, b);
    let n = small(rng);
    let statuses = list_or_wrong(rng, n, status);
    set(&mut pairs, "statuses", statuses);
    pairs
}

pub(super) fn calls_value(rng: &mut Rng, b: &Biz) -> Vec<(String, J)> {
    let mut pairs = base_value(rng, b);
    if rng.chance(70) {
        let wa_id = customer(rng);
        let contacts = list_of(rng, 1, |rng| contact(rng, &wa_id));
        set(&mut pairs, "contacts", contacts);
    }
    if rng.chance(80) {
        let n = small(rng);
        let calls = list_or_wrong(rng, n, |rng| call(rng, b));
        set(&mut pairs, "calls", calls);
    } else {
        let n = small(rng);
        let statuses = list_of(rng, n, status);
        set(&mut pairs, "statuses", statuses);
    }
    pairs
}

pub(super) fn other_value(rng: &mut Rng, b: &Biz, field: &str) -> Vec<(String, J)> {
    match field {
        "account_alerts" => obj([
            ("entity_type", s("WABA")),
            ("entity_id", s(rng.digits(15))),
            (
                "alert_severity",
                s(rng.pick(&["CRITICAL", "WARNING", "INFORMATIONAL", "NEW_LEVEL"])),
            ),
            ("alert_status", s("ACTIVE")),
            ("alert_type", s("OBA_APPROVED")),
            ("alert_description", s(rng.pick(WORDS))),
        ]),
        "message_template_status_update" | "message_template_quality_update" => obj([
            (
                "event",
                s(rng.pick(&["APPROVED", "REJECTED", "PAUSED", "FLAGGED"])),
            ),
            ("message_template_id", J::Int(rng.int(1, 9_999_999))),
            ("message_template_name", s("order_update_v2")),
            ("message_template_language", s("en_US")),
            ("reason", if rng.chance(50) { J::Null } else { s("NONE") }),
        ]),
        "history" => {
            let mut pairs = base_value(rng, b);
            let thread = J::Obj(obj([
                ("id", s(customer(rng))),
                (
                    "messages",
                    J::Arr(vec![message(rng, b, false), J::Int(3), J::Null]),
                ),
            ]));
            set(
                &mut pairs,
                "history",
                J::Arr(vec![J::Obj(obj([
                    (
                        "metadata",
                        J::Obj(obj([
                            ("phase", J::Int(rng.int(0, 2))),
                            ("chunk_order", J::Int(rng.int(1, 5))),
                            ("progress", J::Int(rng.int(0, 100))),
                        ])),
                    ),
                    ("threads", J::Arr(vec![thread])),
                ]))]),
            );
            pairs
        }
        "smb_app_state_sync" => {
            let mut pairs = base_value(rng, b);
            set(
                &mut pairs,
                "state_sync",
                J::Arr(vec![J::Obj(obj([
                    ("type", s("contact")),
                    (
                        "contact",
                        J::Obj(obj([
                            ("full_name", s("Ana B")),
                            ("first_name", s("Ana")),
                            ("phone_number", s(customer(rng))),
                        ])),
                    ),
                    ("action", s(rng.pick(&["add", "remove"]))),
                    ("metadata", J::Obj(obj([("timestamp", timestamp(rng))]))),
                ]))]),
            );
            pairs
        }
        "user_preferences" => {
            let mut pairs = base_value(rng, b);
            let wa_id = customer(rng);
            let contacts = list_of(rng, 1, |rng| contact(rng, &wa_id));
            set(&mut pairs, "contacts", contacts);
            set(
                &mut pairs,
                "user_preferences",
                J::Arr(vec![J::Obj(obj([
                    ("wa_id", s(wa_id)),
                    ("detail", s("User requested to stop marketing messages")),
                    ("category", s("marketing_messages")),
                    ("value", s("stop")),
                    ("timestamp", J::Int(1_700_000_000)),
                ]))]),
            );
            pairs
        }
        _ => {
            let mut pairs = Vec::new();
            let len = 1 + rng.below(5);
            for _ in 0..len {
                let key = free_key(rng);
                let value = junk(rng, 3);
                pairs.push((key, value));
            }
            if rng.chance(30) {
                set(&mut pairs, "metadata", metadata(rng, b).unwrap_or(J::Null));
            }
            pairs
        }
    }
}

pub(super) fn random_field(rng: &mut Rng) -> String {
    for _ in 0..20 {
        let field = if rng.chance(60) {
            rng.pick(UNKNOWN_FIELDS).to_owned()
        } else {
            const ALPHABET: &[u8] = b"abxyzAB12_-";
            let len = rng.int(1, 10) as usize;
            (0..len).map(|_| char::from(rng.pick(ALPHABET))).collect()
        };
        if field_ok(&field) {
            return field;
        }
    }
    "unknown_field".to_owned()
}
