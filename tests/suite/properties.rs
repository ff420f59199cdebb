//! Property tests (proptest), bounded so that the suite stays fast (256 cases each).
//!
//! - Arbitrary JSON never panics, and the bytes and `Value` entry points agree.
//! - Serialize → deserialize gives an equal value, and the same JSON again.
//! - Every change with a non-empty string `field` and an object or array `value` appears under
//!   `raw`, under its camelCased field, in order.
//! - The typed lists hold exactly the object items of the input lists.
//! - `is_empty` agrees with equality to the empty result.
//!
//! The webhook-shaped generator keeps its own keys plain snake_case without collisions, and
//! records, as it builds a body, the changes it built that the reference counts (a value that is
//! an object or an array; its field when a non-empty string): the expected results come from
//! that record, not from walking the body again (the collision and duplicate-key rules have
//! their own tests).
use kapso_webhooks::{normalize_webhook, normalize_webhook_value, NormalizedWebhook};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value};

/// Arbitrary JSON: scalars of every kind (strings with any characters, keys with `_`, `-`,
/// digits and capitals), arrays and objects nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    json_of_size(5, 64, 6)
}

/// Smaller arbitrary JSON, for the values inside webhook-shaped bodies.
fn small_json() -> impl Strategy<Value = Value> {
    json_of_size(3, 8, 3)
}

/// Arbitrary JSON nested up to `depth` levels, about `size` nodes, `branch` items per level.
fn json_of_size(depth: u32, size: u32, branch: u32) -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        4 => "[a-z]{1,6}(_[a-z0-9]{1,4}){0,2}",
        1 => "[_a-zA-Z0-9-]{0,6}",
        1 => any::<String>(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Every finite float: with serde_json's `float_roundtrip`, each reads back exactly
        // (`float_round_trip` in tests/suite/regressions.rs).
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[a-z_]{0,8}".prop_map(Value::String),
    ];
    let branch = branch as usize;
    leaf.prop_recursive(depth, size, branch as u32, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..branch).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..branch)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// An object of fewer than `max` pairs, its keys drawn from `keys` (repeats happen: the last
/// one wins, as in `JSON.parse`).
fn object_of(
    keys: Vec<&'static str>,
    values: impl Strategy<Value = Value>,
    max: usize,
) -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::sample::select(keys), values), 0..max).prop_map(|fields| {
        Value::Object(
            fields
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect(),
        )
    })
}

/// An item of a typed list: mostly objects (with message-like keys), sometimes not.
fn item() -> impl Strategy<Value = Value> {
    let object = object_of(
        vec![
            "id",
            "from",
            "to",
            "type",
            "text",
            "wa_id",
            "status",
            "timestamp",
            "kapso",
            "context",
            "order",
            "interactive",
            "wacid",
            "call_id",
            "extra_key",
        ],
        small_json(),
        5,
    );
    prop_oneof![4 => object, 1 => small_json()]
}

/// A change value: an object with some of the known lists (any JSON in place of a list at
/// times), or another shape.
fn change_value() -> impl Strategy<Value = Value> {
    let list = prop_oneof![
        4 => prop::collection::vec(item(), 0..4).prop_map(Value::Array),
        1 => small_json(),
    ];
    let object = object_of(
        vec![
            "messaging_product",
            "metadata",
            "contacts",
            "messages",
            "message_echoes",
            "statuses",
            "calls",
            "unknown_list",
        ],
        list,
        6,
    );
    prop_oneof![6 => object, 1 => small_json()]
}

/// A change the generator built that the reference counts: its field when a non-empty string,
/// and its value (an object or an array).
type Counted = (Option<String>, Value);

/// A change: a `field` (sometimes missing, empty or not a string) and a `value`; or, at times,
/// some other JSON in its place. With the change, when the reference counts it.
fn change() -> impl Strategy<Value = (Value, Option<Counted>)> {
    let field = prop_oneof![
        6 => prop::sample::select(vec![
            "messages", "statuses", "account_alerts", "message_template_status_update",
            "field_2x", "a__b", "calls", "x-y_z",
        ])
        .prop_map(|f| Some(Value::from(f))),
        1 => Just(Some(Value::from(""))),
        1 => Just(None),
        1 => small_json().prop_map(Some),
    ];
    let change = (field, change_value()).prop_map(|(field, value)| {
        let counted = (value.is_object() || value.is_array()).then(|| {
            let name = field.as_ref().and_then(Value::as_str);
            (
                name.filter(|f| !f.is_empty()).map(str::to_owned),
                value.clone(),
            )
        });
        let mut map = Map::new();
        if let Some(field) = field {
            map.insert("field".to_owned(), field);
        }
        map.insert("value".to_owned(), value);
        (Value::Object(map), counted)
    });
    prop_oneof![8 => change, 1 => small_json().prop_map(|noise| (noise, None))]
}

/// A webhook-shaped body: `object`, and entries of changes (with some noise at every level);
/// with the changes the reference counts, in document order.
fn webhook_json() -> impl Strategy<Value = (Value, Vec<Counted>)> {
    let entry = prop_oneof![
        8 => ("[0-9]{1,4}", prop::collection::vec(change(), 0..4)).prop_map(|(id, changes)| {
            let (changes, counted): (Vec<Value>, Vec<Option<Counted>>) =
                changes.into_iter().unzip();
            let mut map = Map::new();
            map.insert("id".to_owned(), Value::from(id));
            map.insert("changes".to_owned(), Value::Array(changes));
            (Value::Object(map), counted.into_iter().flatten().collect::<Vec<_>>())
        }),
        1 => small_json().prop_map(|noise| (noise, Vec::new())),
    ];
    let entries = prop_oneof![
        8 => prop::collection::vec(entry, 0..3).prop_map(|entries| {
            let (entries, counted): (Vec<Value>, Vec<Vec<Counted>>) = entries.into_iter().unzip();
            (Value::Array(entries), counted.concat())
        }),
        1 => small_json().prop_map(|noise| (noise, Vec::new())),
    ];
    entries.prop_map(|(entries, counted)| {
        let mut map = Map::new();
        map.insert(
            "object".to_owned(),
            Value::from("whatsapp_business_account"),
        );
        map.insert("entry".to_owned(), entries);
        (Value::Object(map), counted)
    })
}

/// The reference's `toCamelField`: `_` followed by a lowercase ASCII letter.
fn camel_field(field: &str) -> String {
    let mut out = String::new();
    let mut chars = field.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '_' && next.is_ascii_lowercase() => {
                out.push(next.to_ascii_uppercase());
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// How many object items the lists of `values` hold, by list key.
fn object_items<'v>(values: impl IntoIterator<Item = &'v Value>, keys: &[&str]) -> usize {
    values
        .into_iter()
        .filter_map(Value::as_object)
        .flat_map(|value| keys.iter().filter_map(|key| value.get(*key)))
        .filter_map(Value::as_array)
        .flatten()
        .filter(|item| item.is_object())
        .count()
}

/// Both entry points on the same text: the same bodies accepted; the `Value` entry point
/// normalizes the value exactly as the bytes entry point normalizes the value's text (serde_json
/// may read a float of `text` one ULP off, and its `Map` may order keys otherwise, so the value
/// is compared through its own text).
fn both_entry_points(text: &str) -> Option<NormalizedWebhook> {
    let from_bytes = normalize_webhook(text.as_bytes());
    let parsed: Result<Value, _> = serde_json::from_str(text);
    match (from_bytes, parsed) {
        (Ok(webhook), Ok(value)) => {
            let from_value = normalize_webhook_value(&value);
            let from_value_text =
                normalize_webhook(serde_json::to_string(&value).unwrap().as_bytes()).unwrap();
            assert_eq!(from_value, from_value_text);
            assert_eq!(from_value.to_json(), from_value_text.to_json());
            assert_eq!(webhook.messages().len(), from_value.messages().len());
            assert_eq!(webhook.raw().len(), from_value.raw().len());
            Some(webhook)
        }
        (Err(_), Err(_)) => None,
        (Ok(_), Err(err)) => panic!("accepted what serde_json refuses: {err}"),
        (Err(err), Ok(_)) => panic!("refused valid JSON: {err}"),
    }
}

fn config() -> Config {
    Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Any JSON value at all: no panic, and the two entry points agree.
    #[test]
    fn arbitrary_json_never_panics(value in any_json()) {
        let _ = normalize_webhook_value(&value);
        let text = serde_json::to_string(&value).unwrap();
        prop_assert!(both_entry_points(&text).is_some());
    }

    /// `is_empty` (which does not build `raw`) agrees with equality to the empty result, from
    /// bytes and from a `Value`, before and after `raw` is built.
    #[test]
    fn is_empty_agrees_with_the_empty_result(body in prop_oneof![any_json(), webhook_json().prop_map(|(body, _)| body)]) {
        let text = serde_json::to_string(&body).unwrap();
        let empty = NormalizedWebhook::default();
        for webhook in [normalize_webhook(text.as_bytes()).unwrap(), normalize_webhook_value(&body)] {
            let before = webhook.is_empty();
            prop_assert_eq!(before, webhook == empty);
            prop_assert_eq!(webhook.is_empty(), before);
        }
    }

    /// Arbitrary bytes: `Ok` exactly when serde_json accepts them, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let accepted = normalize_webhook(&bytes).is_ok();
        prop_assert_eq!(accepted, serde_json::from_slice::<Value>(&bytes).is_ok());
    }

    /// Webhook-shaped JSON: the two entry points agree, and the result round-trips.
    #[test]
    fn serialize_deserialize_gives_an_equal_value((body, _) in webhook_json()) {
        let text = serde_json::to_string(&body).unwrap();
        let webhook = both_entry_points(&text).unwrap();
        let json = webhook.to_json();
        let back = NormalizedWebhook::from_json(&json).unwrap();
        prop_assert_eq!(&back, &webhook);
        prop_assert_eq!(back.to_json(), json);
        let from_value: NormalizedWebhook =
            serde_json::from_value(serde_json::to_value(&webhook).unwrap()).unwrap();
        prop_assert_eq!(from_value, webhook);
    }

    /// Every change with a non-empty string field and an object or array value is in `raw`,
    /// under its camelCased field, in document order; no other change is.
    #[test]
    fn every_change_with_a_string_field_is_in_raw((body, counted) in webhook_json()) {
        let webhook = normalize_webhook_value(&body);
        let mut expected: Vec<(String, usize)> = Vec::new();
        for (field, _) in &counted {
            let Some(field) = field else { continue };
            let field = camel_field(field);
            match expected.iter_mut().find(|(name, _)| *name == field) {
                Some((_, count)) => *count += 1,
                None => expected.push((field, 1)),
            }
        }
        let actual: Vec<(String, usize)> = webhook
            .raw()
            .iter()
            .map(|(name, values)| (name.to_owned(), values.len()))
            .collect();
        prop_assert_eq!(actual, expected);
        // Each change with a field knows its place in `raw`.
        let with_field = counted.iter().filter(|(field, _)| field.is_some()).count();
        prop_assert_eq!(webhook.changes().filter(|c| c.value().is_some()).count(), with_field);
        prop_assert_eq!(webhook.changes().count(), counted.len());
    }

    /// The typed lists hold exactly the object items of the input lists (non-objects are left
    /// out, deviation D1), from change values that are objects.
    #[test]
    fn typed_lists_hold_exactly_the_object_items((body, counted) in webhook_json()) {
        let webhook = normalize_webhook_value(&body);
        let values = || counted.iter().map(|(_, value)| value);
        prop_assert_eq!(webhook.contacts().len(), object_items(values(), &["contacts"]));
        prop_assert_eq!(
            webhook.messages().len(),
            object_items(values(), &["messages", "message_echoes"])
        );
        prop_assert_eq!(webhook.statuses().len(), object_items(values(), &["statuses"]));
        prop_assert_eq!(webhook.calls().len(), object_items(values(), &["calls"]));
        // Item by item, each change's items come from that change.
        let per_change: Vec<usize> = values()
            .map(|value| object_items([value], &["messages", "message_echoes"]))
            .collect();
        let actual: Vec<usize> = webhook.changes().map(|c| c.messages().len()).collect();
        prop_assert_eq!(actual, per_change);
    }
}
