//! Messages and echoes: direction-relevant numbers, `context`, an existing `kapso` object.

use super::content::message_body;
use super::ids::{bsuid, customer, format_number, timestamp, wamid, Biz};
use super::json::{obj, s, set, J};
use super::rng::Rng;
use super::values::{finish, wrong};

#[derive(Clone, Copy, PartialEq)]
pub(super) enum KapsoWrites {
    /// Order text or a flow reply may write into `kapso`.
    Maybe,
    /// Nothing but the direction writes into `kapso`.
    No,
}

/// An existing `kapso` value (objects or falsy values only: D2).
pub(super) fn existing_kapso(rng: &mut Rng, writes: KapsoWrites) -> Option<J> {
    match rng.weighted(&[78, 6, 4, 3, 2, 2, 2, 2, 1]) {
        0 => None,
        1 => {
            let mut pairs = obj([
                ("direction", s(rng.pick(&["inbound", "weird"]))),
                ("custom_field", J::Int(1)),
                ("status", s("queued")),
                ("has_media", J::Bool(false)),
            ]);
            if rng.chance(30) {
                // Keys the normalization writes (after camelCasing).
                set(&mut pairs, "order_text", s("old"));
                set(&mut pairs, "flow_response", J::Obj(vec![]));
                set(&mut pairs, "source", s("api"));
            }
            Some(finish(pairs, 20, rng))
        }
        2 => Some(J::Obj(vec![])),
        3 => Some(J::Null),
        4 => Some(J::Bool(false)),
        5 => Some(J::Int(0)),
        6 => Some(s("")),
        7 => Some(J::Raw(rng.pick(&["0.0", "-0"]))),
        _ => match writes {
            KapsoWrites::No => Some(J::Arr(vec![])),
            KapsoWrites::Maybe => Some(J::Obj(obj([("flow_name", s("earlier"))]))),
        },
    }
}

pub(super) fn context(from: J, rng: &mut Rng) -> J {
    let mut pairs = obj([("from", from), ("id", s(wamid(rng)))]);
    if rng.chance(20) {
        set(&mut pairs, "forwarded", J::Bool(true));
    }
    if rng.chance(10) {
        set(&mut pairs, "frequently_forwarded", J::Bool(true));
    }
    finish(pairs, 10, rng)
}

pub(super) fn message(rng: &mut Rng, b: &Biz, echo: bool) -> J {
    let mut pairs: Vec<(String, J)> = Vec::new();
    let business_number = |rng: &mut Rng| -> String {
        match rng.below(6) {
            0 => b.phone_number_id.clone(),
            1 => format!("+{}", b.phone_number_id),
            2 => b.display.clone(),
            3 => b.display_digits.clone(),
            _ => format_number(rng, &b.display_digits),
        }
    };
    let mut from: Option<J> = None;
    let mut to: Option<J> = None;
    let mut ctx: Option<J> = None;
    let mut from_user_id: Option<J> = None;
    let scenario = if echo {
        rng.weighted(&[70, 10, 10, 10])
    } else {
        100 + rng.weighted(&[35, 8, 8, 5, 5, 5, 5, 6, 3, 6, 4, 3, 4, 3])
    };
    match scenario {
        // Echoes: from the business to a customer.
        0 => {
            from = Some(s(business_number(rng)));
            to = Some(s(customer(rng)));
        }
        1 => to = Some(s(customer(rng))),
        2 => {
            from = Some(s(customer(rng)));
            to = Some(s(business_number(rng)));
        }
        3 => from = Some(wrong(rng)),
        // Regular messages.
        100 => from = Some(s(customer(rng))),
        101 => from = Some(s(b.phone_number_id.clone())),
        102 => from = Some(s(business_number(rng))),
        103 => {
            from = Some(s(customer(rng)));
            to = Some(s(business_number(rng)));
        }
        104 => to = Some(s(business_number(rng))),
        105 => {
            from = Some(s(business_number(rng)));
            to = Some(s(customer(rng)));
        }
        106 => ctx = Some(context(s(customer(rng)), rng)),
        107 => {
            let number = customer(rng);
            ctx = Some(context(s(number.clone()), rng));
            from = Some(s(number));
        }
        108 => {
            ctx = Some(context(s(customer(rng)), rng));
            from = Some(s(customer(rng)));
        }
        109 => {
            from_user_id = Some(s(bsuid(rng)));
            if rng.chance(40) {
                to = Some(s(customer(rng)));
            }
        }
        110 => {
            from_user_id = Some(match rng.below(3) {
                0 => s(""),
                1 => J::Int(5),
                _ => J::Null,
            });
        }
        111 => from = Some(s(rng.pick(&["", "+", "abc", "+ -", "()"]))),
        112 => {
            from = Some(match rng.below(3) {
                0 => J::Int(rng.int(1, 99_999)),
                1 => J::Null,
                _ => J::Arr(vec![]),
            });
            ctx = Some(match rng.below(4) {
                0 => context(s(""), rng),
                1 => context(J::Int(5), rng),
                2 => s("context"),
                _ => J::Null,
            });
        }
        _ => {}
    }
    if from_user_id.is_none() && rng.chance(10) {
        from_user_id = Some(s(bsuid(rng)));
    }
    if ctx.is_none() && rng.chance(12) {
        let from = if rng.chance(60) {
            s(business_number(rng))
        } else {
            s(customer(rng))
        };
        ctx = Some(context(from, rng));
    }
    if let Some(from) = from {
        set(&mut pairs, "from", from);
    }
    if let Some(to) = to {
        set(&mut pairs, "to", to);
    }
    if let Some(id) = from_user_id {
        let key = rng.pick(&["from_user_id", "from_user_id", "fromUserId", "from-user-id"]);
        set(&mut pairs, key, id);
    }
    set(&mut pairs, "id", s(wamid(rng)));
    set(&mut pairs, "timestamp", timestamp(rng));
    if let Some(ctx) = ctx {
        set(&mut pairs, "context", ctx);
    }
    let mut body = Vec::new();
    let kind = message_body(rng, &mut body);
    let type_value = match rng.weighted(&[92, 3, 3, 2]) {
        0 => s(kind),
        1 => J::Null,
        2 => J::Int(3),
        _ => s(""),
    };
    if rng.chance(95) {
        set(&mut pairs, "type", type_value);
    }
    pairs.extend(body);
    if rng.chance(5) {
        set(
            &mut pairs,
            "referral",
            J::Obj(obj([
                ("source_url", s("https://fb.me/x")),
                ("source_id", s(rng.digits(10))),
                ("source_type", s("ad")),
                ("ctwa_clid", s(rng.alnum(10))),
            ])),
        );
    }
    let writes = if matches!(kind, "order" | "interactive") {
        KapsoWrites::Maybe
    } else {
        KapsoWrites::No
    };
    if let Some(kapso) = existing_kapso(rng, writes) {
        let at = rng.below(pairs.len() + 1).min(pairs.len());
        pairs.insert(at, ("kapso".to_owned(), kapso));
        if rng.chance(10) {
            // A duplicate `kapso` key: the later value wins, so the earlier
            // one may be anything (even a truthy non-object).
            let earlier = rng.pick(&["\"x\"", "5", "true", "[1]", "{\"a_b\":1}", "null"]);
            pairs.insert(at, ("kapso".to_owned(), J::Raw(earlier)));
        }
    }
    finish(pairs, 25, rng)
}
