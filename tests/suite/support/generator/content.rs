//! The type-specific content of a message: media, interactive replies (Flow `response_json`),
//! orders.

use super::ids::wamid;
use super::json::{obj, s, set, J};
use super::rng::Rng;
use super::values::{finish, junk, perturb, wrong, WORDS};

pub(super) fn media(rng: &mut Rng, kind: &str) -> J {
    let mime = match kind {
        "image" => "image/jpeg",
        "video" => "video/mp4",
        "audio" => "audio/ogg; codecs=opus",
        "sticker" => "image/webp",
        _ => "application/pdf",
    };
    let mut pairs = obj([
        ("mime_type", s(mime)),
        ("sha256", s(rng.alnum(20))),
        ("id", s(rng.digits(15))),
    ]);
    if rng.chance(40) {
        set(&mut pairs, "caption", s(rng.pick(WORDS)));
    }
    match kind {
        "document" => set(&mut pairs, "filename", s("report_2024.pdf")),
        "audio" => set(&mut pairs, "voice", J::Bool(rng.chance(50))),
        "sticker" => set(&mut pairs, "animated", J::Bool(false)),
        _ => {}
    }
    if rng.chance(20) {
        set(
            &mut pairs,
            "url",
            s("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1"),
        );
    }
    finish(pairs, 10, rng)
}

/// The JSON text of a Flow `response_json`, and whether it is JSON at all.
pub(super) fn response_json(rng: &mut Rng) -> String {
    match rng.weighted(&[20, 8, 6, 5, 6, 6, 5, 5, 7, 6, 8, 5, 5, 3]) {
        0 => {
            let mut pairs = obj([("flow_token", s(format!("flow-{}", rng.alnum(8))))]);
            set(&mut pairs, "screen_0_Option_0", s("0_yes"));
            set(&mut pairs, "full_name", s(rng.pick(WORDS)));
            if rng.chance(50) {
                set(
                    &mut pairs,
                    "nested_obj",
                    J::Obj(obj([
                        (
                            "inner_key",
                            J::Arr(vec![J::Obj(obj([("deep_key", J::Int(1))]))]),
                        ),
                        ("a__b", J::Bool(true)),
                    ])),
                );
            }
            perturb(rng, &mut pairs, 30);
            J::Obj(pairs).to_json()
        }
        1 => {
            let pairs = obj([("name_of_user", s("Ana")), ("opt-in", J::Bool(true))]);
            finish(pairs, 30, rng).to_json()
        }
        2 => J::Obj(obj([("flow_token", wrong(rng))])).to_json(),
        3 => {
            let mut pairs = obj([("flowToken", s("camel-token")), ("x", J::Int(1))]);
            if rng.chance(50) {
                set(&mut pairs, "flow_token", s("snake-token"));
            } else {
                pairs.insert(0, ("flow_token".to_owned(), s("snake-token")));
            }
            J::Obj(pairs).to_json()
        }
        4 => J::Arr(vec![
            J::Int(1),
            J::Obj(obj([("a_b", J::Int(2)), ("flow_token", s("in-array"))])),
        ])
        .to_json(),
        5 => s(rng.pick(WORDS)).to_json(),
        6 => rng.pick(&["42", "1.5", "-3", "0"]).to_owned(),
        7 => rng.pick(&["true", "false"]).to_owned(),
        8 => "null".to_owned(),
        9 => rng.pick(&["", " ", "   ", "\t\n", "\n"]).to_owned(),
        10 => rng
            .pick(&[
                "{bad json",
                "{\"a\":1,}",
                "[1,]",
                "undefined",
                "NaN",
                "'x'",
                "{\"a\" 1}",
                "01",
                "1 2",
                "{\"flow_token\":\"t\"} x",
                "Infinity",
                "-",
                "{'flow_token':'t'}",
            ])
            .to_owned(),
        11 => format!(
            "  {}  ",
            J::Obj(obj([("flow_token", s("padded")), ("k_v", J::Null)])).to_json()
        ),
        12 => J::Obj(obj([
            ("flow_token", s("deep")),
            ("list_of_items", J::Arr(vec![junk(rng, 3), junk(rng, 3)])),
            ("extra_data", junk(rng, 3)),
        ]))
        .to_json(),
        _ => J::Obj(vec![]).to_json(),
    }
}

pub(super) fn interactive(rng: &mut Rng) -> J {
    match rng.weighted(&[55, 15, 12, 6, 4, 4, 4]) {
        0 => {
            let mut nfm = Vec::new();
            match rng.weighted(&[70, 10, 10, 10]) {
                0 => set(&mut nfm, "name", s("flow")),
                1 => {}
                2 => set(&mut nfm, "name", wrong(rng)),
                _ => set(&mut nfm, "name", s(rng.pick(&["", "Sign up", "nfm_name"]))),
            }
            set(&mut nfm, "body", s("Sent"));
            let text = response_json(rng);
            match rng.weighted(&[80, 8, 6, 6]) {
                0 => set(&mut nfm, "response_json", s(text)),
                1 => set(&mut nfm, "responseJson", s(text)),
                2 => set(&mut nfm, "response-json", s(text)),
                _ => set(&mut nfm, "response_json", wrong(rng)),
            }
            let nfm = match rng.weighted(&[85, 5, 5, 5]) {
                0 => finish(nfm, 10, rng),
                1 => wrong(rng),
                2 => J::Obj(vec![]),
                _ => s("nfm"),
            };
            let key = rng.pick(&[
                "nfm_reply",
                "nfm_reply",
                "nfm_reply",
                "nfmReply",
                "nfm-reply",
            ]);
            let kind = match rng.weighted(&[90, 4, 3, 3]) {
                0 => s("nfm_reply"),
                1 => s("NFM_REPLY"),
                2 => s("nfmReply"),
                _ => wrong(rng),
            };
            J::Obj(vec![("type".to_owned(), kind), (key.to_owned(), nfm)])
        }
        1 => J::Obj(obj([
            ("type", s("button_reply")),
            (
                "button_reply",
                finish(obj([("id", s("btn_1")), ("title", s("Yes"))]), 10, rng),
            ),
        ])),
        2 => J::Obj(obj([
            ("type", s("list_reply")),
            (
                "list_reply",
                finish(
                    obj([
                        ("id", s("row_2")),
                        ("title", s("Option")),
                        ("description", s("desc")),
                    ]),
                    10,
                    rng,
                ),
            ),
        ])),
        3 => J::Obj(obj([
            ("type", s("call_permission_reply")),
            (
                "call_permission_reply",
                J::Obj(obj([
                    ("response", s("accept")),
                    ("is_permanent", J::Bool(false)),
                    ("expiration_timestamp", J::Int(1_700_000_000)),
                ])),
            ),
        ])),
        4 => wrong(rng),
        5 => s("interactive"),
        _ => J::Obj(obj([("type", s("nfm_reply"))])),
    }
}

pub(super) fn order(rng: &mut Rng) -> J {
    let mut pairs = obj([("catalog_id", s(rng.digits(15)))]);
    match rng.weighted(&[40, 15, 10, 25, 5, 5]) {
        0 => set(&mut pairs, "text", s(rng.pick(WORDS))),
        1 => set(&mut pairs, "text", J::Null),
        2 => set(&mut pairs, "text", J::Int(rng.int(-5, 500))),
        3 => {}
        4 => set(&mut pairs, "text", J::Obj(obj([("a_b", J::Int(1))]))),
        _ => {
            set(&mut pairs, "order_text", s("pre-existing"));
            set(&mut pairs, "text", s("wins"));
        }
    }
    let item = J::Obj(obj([
        ("product_retailer_id", s(format!("SKU-{}", rng.digits(4)))),
        ("quantity", J::Int(rng.int(1, 9))),
        ("item_price", J::Raw(rng.pick(&["1.5", "10", "99.99", "0"]))),
        ("currency", s("USD")),
    ]));
    set(&mut pairs, "product_items", J::Arr(vec![item]));
    match rng.weighted(&[90, 5, 5]) {
        0 => finish(pairs, 10, rng),
        1 => wrong(rng),
        _ => s("order"),
    }
}

/// The type-specific part of a message.
pub(super) fn message_body(rng: &mut Rng, pairs: &mut Vec<(String, J)>) -> &'static str {
    let kind = rng.pick(&[
        "text",
        "text",
        "text",
        "text",
        "image",
        "video",
        "audio",
        "document",
        "sticker",
        "location",
        "contacts",
        "interactive",
        "interactive",
        "interactive",
        "interactive",
        "button",
        "reaction",
        "order",
        "order",
        "system",
        "unsupported",
        "unknown",
        "request_welcome",
        "hologram",
        "future_type_v2",
        "Poll",
        "edit",
        "revoke",
    ]);
    let value = match kind {
        "text" => Some(finish(obj([("body", s(rng.pick(WORDS)))]), 10, rng)),
        "image" | "video" | "audio" | "document" | "sticker" => Some(media(rng, kind)),
        "location" => Some(finish(
            obj([
                ("latitude", J::Raw("37.483307")),
                ("longitude", J::Raw("-122.148981")),
                ("name", s("Main St")),
                ("address", s("1 Hacker Way")),
            ]),
            10,
            rng,
        )),
        "contacts" => Some(J::Arr(vec![finish(
            obj([
                (
                    "name",
                    J::Obj(obj([
                        ("formatted_name", s("Ana B")),
                        ("first_name", s("Ana")),
                    ])),
                ),
                (
                    "phones",
                    J::Arr(vec![J::Obj(obj([
                        ("phone", s("+1 (940) 555-1234")),
                        ("type", s("HOME")),
                        ("wa_id", s(rng.digits(11))),
                    ]))]),
                ),
            ]),
            15,
            rng,
        )])),
        "interactive" => Some(interactive(rng)),
        "button" => Some(finish(
            obj([("payload", s("PAYLOAD_1")), ("text", s("Yes"))]),
            10,
            rng,
        )),
        "reaction" => Some(J::Obj(obj([
            ("message_id", s(wamid(rng))),
            ("emoji", s(rng.pick(&["👍", "", "é"]))),
        ]))),
        "order" => Some(order(rng)),
        "system" => Some(J::Obj(obj([
            ("body", s("User changed number")),
            ("new_wa_id", s(rng.digits(11))),
            ("type", s("user_changed_number")),
        ]))),
        "unsupported" | "unknown" => {
            set(
                pairs,
                "errors",
                J::Arr(vec![J::Obj(obj([
                    ("code", J::Int(131_051)),
                    ("title", s("Message type unknown")),
                    ("message", s("Message type unknown")),
                    (
                        "error_data",
                        J::Obj(obj([(
                            "details",
                            s("Message type is not currently supported"),
                        )])),
                    ),
                ]))]),
            );
            None
        }
        "request_welcome" => None,
        _ => Some(junk(rng, 3)),
    };
    if let Some(value) = value {
        let key = match kind {
            "future_type_v2" if rng.chance(50) => "futureTypeV2",
            other => other,
        };
        set(pairs, key, value);
    }
    kind
}
