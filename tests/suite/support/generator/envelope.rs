//! The envelope: body, `entry`, `changes` and `metadata`, realistic or structurally odd.

use super::change_values::{
    calls_value, echoes_value, messages_value, other_value, random_field, statuses_value,
    OTHER_FIELDS,
};
use super::ids::{biz, Biz};
use super::json::{obj, s, set, J};
use super::messages::message;
use super::rng::Rng;
use super::values::{finish, junk, perturb, wrong};

pub(super) fn metadata(rng: &mut Rng, b: &Biz) -> Option<J> {
    match rng.weighted(&[80, 3, 2, 2, 2, 2, 2, 3, 2, 2]) {
        0 => Some(finish(
            obj([
                ("display_phone_number", s(b.display.clone())),
                ("phone_number_id", s(b.phone_number_id.clone())),
            ]),
            10,
            rng,
        )),
        1 => None,
        2 => Some(J::Null),
        3 => Some(J::Int(5)),
        4 => Some(s("metadata")),
        5 => Some(J::Arr(vec![])),
        6 => Some(J::Obj(vec![])),
        7 => Some(J::Obj(obj([
            ("display_phone_number", s(rng.pick(&["", "+", "n/a"]))),
            (
                "phone_number_id",
                if rng.chance(50) {
                    J::Int(rng.int(1, 99_999))
                } else {
                    s("")
                },
            ),
        ]))),
        8 => Some(J::Obj(obj([
            ("phoneNumberId", s(b.phone_number_id.clone())),
            ("displayPhoneNumber", s(b.display.clone())),
        ]))),
        _ => {
            // Collision of the snake and camel forms, in both orders.
            let other = rng.digits(12);
            let mut pairs = obj([("phone_number_id", s(b.phone_number_id.clone()))]);
            let twin = ("phoneNumberId".to_owned(), s(other));
            if rng.chance(50) {
                pairs.push(twin);
            } else {
                pairs.insert(0, twin);
            }
            set(&mut pairs, "display-phone-number", s(b.display.clone()));
            Some(J::Obj(pairs))
        }
    }
}

pub(super) fn change(rng: &mut Rng, b: &Biz) -> J {
    let kind = rng.weighted(&[48, 14, 8, 8, 12, 6, 4]);
    let field = match kind {
        0 => s("messages"),
        1 => s("messages"),
        2 => s("smb_message_echoes"),
        3 => s("calls"),
        4 => s(rng.pick(OTHER_FIELDS)),
        5 => s(random_field(rng)),
        _ => match rng.below(5) {
            0 => s(""),
            1 => J::Null,
            2 => J::Int(5),
            3 => J::Obj(vec![]),
            _ => J::Arr(vec![s("messages")]),
        },
    };
    let mut value = match kind {
        0 | 6 => messages_value(rng, b),
        1 => statuses_value(rng, b),
        2 => echoes_value(rng, b),
        3 => calls_value(rng, b),
        _ => {
            let name = match &field {
                J::Str(name) => name.clone(),
                _ => String::new(),
            };
            other_value(rng, b, &name)
        }
    };
    perturb(rng, &mut value, 20);
    let value = J::Obj(value);
    let mut pairs = Vec::new();
    let field_absent = kind == 6 && rng.chance(30);
    if rng.chance(85) {
        set(&mut pairs, "value", value);
        if !field_absent {
            set(&mut pairs, "field", field);
        }
    } else {
        if !field_absent {
            set(&mut pairs, "field", field);
        }
        set(&mut pairs, "value", value);
    }
    J::Obj(pairs)
}

pub(super) fn entry(rng: &mut Rng) -> J {
    let b = biz(rng);
    let n = rng.pick(&[1, 1, 1, 1, 1, 1, 2, 2, 3]);
    let changes = (0..n).map(|_| change(rng, &b)).collect();
    let mut pairs = obj([("id", s(rng.digits(15)))]);
    if rng.chance(60) {
        set(
            &mut pairs,
            "time",
            J::Int(rng.int(1_600_000_000, 1_800_000_000)),
        );
    }
    set(&mut pairs, "changes", J::Arr(changes));
    J::Obj(pairs)
}

/// A change that the reference skips or only files under `raw`.
pub(super) fn odd_change(rng: &mut Rng) -> J {
    let field = s(rng.pick(&["messages", "statuses", "calls", "weird_field"]));
    match rng.below(12) {
        0 => J::Null,
        1 => J::Int(5),
        2 => s("change"),
        3 => J::Arr(vec![J::Obj(obj([("field", s("messages"))]))]),
        4 => J::Obj(obj([("field", field)])),
        5 => J::Obj(obj([
            ("field", field),
            (
                "value",
                match rng.below(8) {
                    0 => J::Null,
                    1 => J::Bool(false),
                    2 => J::Int(0),
                    3 => s(""),
                    4 => s("value"),
                    5 => J::Int(5),
                    6 => J::Bool(true),
                    _ => J::Raw("1.5"),
                },
            ),
        ])),
        6 | 7 => {
            // An array as the change value: only `raw` sees it.
            let items = (0..rng.below(4)).map(|_| junk(rng, 3)).collect();
            let mut value: Vec<J> = items;
            if rng.chance(50) {
                let b = biz(rng);
                value.push(message(rng, &b, false));
            }
            J::Obj(obj([("field", field), ("value", J::Arr(value))]))
        }
        8 => J::Obj(obj([("field", field), ("value", J::Obj(vec![]))])),
        9 => J::Obj(obj([(
            "Value",
            J::Obj(obj([("messages", J::Arr(vec![]))])),
        )])),
        10 => J::Obj(obj([
            ("field", field),
            ("value", J::Obj(obj([("metadata", J::Obj(vec![]))]))),
        ])),
        _ => J::Obj(vec![]),
    }
}

pub(super) fn odd_entry(rng: &mut Rng) -> J {
    match rng.below(10) {
        0 => J::Null,
        1 => J::Int(5),
        2 => s("entry"),
        3 => J::Arr(vec![]),
        4 => J::Obj(vec![]),
        5 => J::Obj(obj([("changes", wrong(rng))])),
        6 => J::Obj(obj([("id", s("1")), ("changes", J::Arr(vec![]))])),
        _ => {
            let b = biz(rng);
            let mut changes = vec![odd_change(rng), odd_change(rng)];
            if rng.chance(50) {
                changes.insert(1, change(rng, &b));
            }
            J::Obj(obj([
                ("id", s(rng.digits(15))),
                ("changes", J::Arr(changes)),
            ]))
        }
    }
}

pub(super) fn object_value(rng: &mut Rng) -> Option<J> {
    match rng.weighted(&[85, 4, 3, 3, 3, 2]) {
        0 => Some(s("whatsapp_business_account")),
        1 => None,
        2 => Some(J::Null),
        3 => Some(J::Int(5)),
        4 => Some(s("")),
        _ => Some(s(rng.pick(&["page", "instagram", "kapso"]))),
    }
}

pub(super) fn body(rng: &mut Rng) -> J {
    match rng.weighted(&[3, 5, 92]) {
        0 => match rng.below(12) {
            0 => J::Null,
            1 => J::Int(5),
            2 => s("whatsapp_business_account"),
            3 => J::Bool(true),
            4 => J::Bool(false),
            5 => J::Arr(vec![]),
            6 => {
                let b = biz(rng);
                J::Arr(vec![J::Obj(obj([(
                    "entry",
                    J::Arr(vec![J::Obj(obj([(
                        "changes",
                        J::Arr(vec![change(rng, &b)]),
                    )]))]),
                )]))])
            }
            7 => J::Raw("1.5"),
            8 => J::Obj(vec![]),
            9 => s(""),
            10 => J::Int(0),
            _ => J::Obj(obj([("object", s("whatsapp_business_account"))])),
        },
        1 => {
            let mut pairs = Vec::new();
            if let Some(object) = object_value(rng) {
                set(&mut pairs, "object", object);
            }
            let entry_value = match rng.below(6) {
                0 => wrong(rng),
                1 => J::Obj(obj([("changes", J::Arr(vec![]))])),
                _ => {
                    let n = 1 + rng.below(3);
                    J::Arr((0..n).map(|_| odd_entry(rng)).collect())
                }
            };
            set(&mut pairs, "entry", entry_value);
            finish(pairs, 20, rng)
        }
        _ => {
            let mut pairs = Vec::new();
            if let Some(object) = object_value(rng) {
                set(&mut pairs, "object", object);
            }
            let n = rng.pick(&[1, 1, 1, 1, 1, 1, 1, 1, 2, 3]);
            let entries = (0..n).map(|_| entry(rng)).collect();
            set(&mut pairs, "entry", J::Arr(entries));
            finish(pairs, 10, rng)
        }
    }
}
