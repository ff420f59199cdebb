//! Items of a change value other than messages: contacts, statuses and calls.

use super::ids::{bsuid, customer, timestamp, wamid, Biz};
use super::json::{obj, s, set, J};
use super::rng::Rng;
use super::values::{finish, wrong, WORDS};

pub(super) fn contact(rng: &mut Rng, wa_id: &str) -> J {
    let mut pairs = Vec::new();
    match rng.weighted(&[80, 5, 5, 5, 5]) {
        0 => set(
            &mut pairs,
            "profile",
            finish(obj([("name", s(rng.pick(WORDS)))]), 10, rng),
        ),
        1 => {}
        2 => set(&mut pairs, "profile", wrong(rng)),
        3 => set(
            &mut pairs,
            "profile",
            J::Obj(obj([("name", J::Null), ("user_name", s("kerry_f"))])),
        ),
        _ => set(&mut pairs, "profile", J::Obj(vec![])),
    }
    match rng.weighted(&[75, 8, 8, 5, 4]) {
        0 => set(&mut pairs, "wa_id", s(wa_id)),
        1 => {
            set(&mut pairs, "wa_id", s(wa_id));
            set(&mut pairs, "waId", s(rng.digits(11)));
        }
        2 => {
            set(&mut pairs, "waId", s(rng.digits(11)));
            set(&mut pairs, "wa_id", s(wa_id));
        }
        3 => set(&mut pairs, "wa-id", s(wa_id)),
        _ => {}
    }
    if rng.chance(20) {
        set(&mut pairs, "user_id", s(bsuid(rng)));
    }
    if rng.chance(10) {
        set(&mut pairs, "identity_key_hash", s(rng.alnum(12)));
    }
    finish(pairs, 15, rng)
}

pub(super) fn status(rng: &mut Rng) -> J {
    let mut pairs = obj([
        ("id", s(wamid(rng))),
        (
            "status",
            s(rng.pick(&[
                "sent",
                "delivered",
                "read",
                "failed",
                "deleted",
                "played",
                "weird",
            ])),
        ),
        ("timestamp", timestamp(rng)),
        ("recipient_id", s(customer(rng))),
    ]);
    if rng.chance(20) {
        set(&mut pairs, "recipient_user_id", s(bsuid(rng)));
    }
    if rng.chance(60) {
        set(
            &mut pairs,
            "conversation",
            finish(
                obj([
                    ("id", s(rng.alnum(16))),
                    ("expiration_timestamp", timestamp(rng)),
                    (
                        "origin",
                        J::Obj(obj([(
                            "type",
                            s(rng.pick(&[
                                "service",
                                "marketing",
                                "utility",
                                "authentication",
                                "referral_conversion",
                            ])),
                        )])),
                    ),
                ]),
                10,
                rng,
            ),
        );
        set(
            &mut pairs,
            "pricing",
            finish(
                obj([
                    ("billable", J::Bool(rng.chance(70))),
                    ("pricing_model", s(rng.pick(&["CBP", "PMP"]))),
                    (
                        "category",
                        s(rng.pick(&["service", "marketing", "utility", "marketing_lite"])),
                    ),
                    (
                        "type",
                        s(rng.pick(&["regular", "free_customer_service", "free_entry_point"])),
                    ),
                ]),
                10,
                rng,
            ),
        );
    }
    if rng.chance(15) {
        set(
            &mut pairs,
            "errors",
            J::Arr(vec![J::Obj(obj([
                ("code", J::Int(131_047)),
                ("title", s("Re-engagement message")),
                ("message", s("Re-engagement message")),
                (
                    "error_data",
                    J::Obj(obj([("details", s("More than 24 hours have passed"))])),
                ),
                ("href", s("https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/")),
            ]))]),
        );
    }
    if rng.chance(10) {
        set(&mut pairs, "biz_opaque_callback_data", s("tracking_123"));
    }
    if rng.chance(8) {
        // A call status.
        set(&mut pairs, "type", s("call"));
    }
    finish(pairs, 20, rng)
}

pub(super) fn call(rng: &mut Rng, b: &Biz) -> J {
    let mut pairs = Vec::new();
    let wacid = format!("wacid.HBgL{}", rng.alnum(20));
    match rng.weighted(&[30, 25, 10, 8, 8, 6, 5, 4, 4]) {
        0 => set(&mut pairs, "id", s(wacid)),
        1 => set(&mut pairs, "wacid", s(wacid)),
        2 => {
            set(&mut pairs, "wacid", s(wacid));
            let falsy = match rng.below(5) {
                0 => J::Null,
                1 => s(""),
                2 => J::Int(0),
                3 => J::Bool(false),
                _ => J::Raw("0.0"),
            };
            let key = rng.pick(&["call_id", "callId", "call-id"]);
            if rng.chance(50) {
                set(&mut pairs, key, falsy);
            } else {
                pairs.insert(0, (key.to_owned(), falsy));
            }
        }
        3 => {
            set(&mut pairs, "call_id", s(format!("call-{}", rng.alnum(6))));
            set(&mut pairs, "wacid", s(wacid));
        }
        4 => {
            set(&mut pairs, "wacid", s(wacid));
            let truthy = match rng.below(4) {
                0 => J::Arr(vec![]),
                1 => J::Obj(vec![]),
                2 => J::Int(5),
                _ => J::Bool(true),
            };
            set(&mut pairs, "call_id", truthy);
        }
        5 => set(&mut pairs, "wacid", wrong(rng)),
        6 => {
            // Collision of call_id and callId, in both orders.
            let (first, second) = if rng.chance(50) {
                ("call_id", "callId")
            } else {
                ("callId", "call_id")
            };
            set(&mut pairs, first, s("first"));
            set(
                &mut pairs,
                second,
                if rng.chance(50) { s("") } else { s("second") },
            );
            set(&mut pairs, "wacid", s(wacid));
        }
        7 => {
            set(&mut pairs, "id", s(wacid.clone()));
            set(&mut pairs, "wacid", s(wacid));
        }
        _ => {}
    }
    set(&mut pairs, "from", s(customer(rng)));
    set(&mut pairs, "to", s(b.display_digits.clone()));
    set(
        &mut pairs,
        "event",
        s(rng.pick(&["connect", "terminate", "ringing", "accepted", "rejected"])),
    );
    set(&mut pairs, "timestamp", timestamp(rng));
    set(
        &mut pairs,
        "direction",
        s(rng.pick(&["USER_INITIATED", "BUSINESS_INITIATED"])),
    );
    if rng.chance(50) {
        set(
            &mut pairs,
            "session",
            J::Obj(obj([
                ("sdp_type", s("offer")),
                (
                    "sdp",
                    s("v=0\r\no=- 7669997803033704573 2 IN IP4 127.0.0.1\r\n"),
                ),
            ])),
        );
    }
    if rng.chance(20) {
        set(&mut pairs, "status", s(rng.pick(&["COMPLETED", "FAILED"])));
        set(&mut pairs, "start_time", timestamp(rng));
        set(&mut pairs, "duration", J::Int(rng.int(0, 600)));
    }
    finish(pairs, 20, rng)
}
