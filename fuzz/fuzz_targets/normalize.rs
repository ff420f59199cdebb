//! `normalize_webhook` on arbitrary bytes.
//!
//! Checks, besides "never panics":
//! - the body is accepted exactly when serde_json accepts it as a `Value`;
//! - an error names a position (line ≥ 1) and has a message;
//! - the `Value` entry point gives what the bytes entry point gives for the value's own text
//!   (`serde_json::to_vec`: keys in the map's order), as a value and as `to_json` text;
//! - `to_json` (the reference's exact text) is valid JSON, equal as a value to
//!   `serde_json::to_value(&webhook)` (numbers compared as f64: the text writes an integral float
//!   as an integer, serde_json keeps it a float);
//! - the result serializes and deserializes back to an equal value (serde_json's way);
//! - `raw` invents nothing: it holds at most one value per object of the input (at any depth)
//!   with a non-empty string `field` and an object or array `value`, each under the key the
//!   reference makes of such a `field` (`_` and a lowercase letter → the letter in uppercase), and as many values as the changes that know their place in it.
//!
//! Which changes count exactly is checked against the reference's recorded outputs (the
//! agreement tests) and against the generator's own bookkeeping (tests/suite/properties.rs):
//! this target does not walk the body the library's way again.
#![no_main]

use kapso_webhooks::{normalize_webhook, normalize_webhook_value, NormalizedWebhook};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let parsed = serde_json::from_slice::<Value>(data);
    match normalize_webhook(data) {
        Ok(webhook) => {
            let value = match parsed {
                Ok(value) => value,
                Err(err) => panic!("normalize_webhook accepted what serde_json refuses: {err}"),
            };
            // The `Value` entry point normalizes the value as its maps iterate (sorted keys:
            // this crate uses serde_json's default features), so it gives what the bytes entry
            // point gives for the value's own text, not for the body: a camelCase collision
            // (`_z` and `Z`) is won by the key later in *that* order.
            let from_value = normalize_webhook_value(&value);
            let value_text = serde_json::to_vec(&value).expect("serialize the Value");
            let from_value_text = match normalize_webhook(&value_text) {
                Ok(webhook) => webhook,
                Err(err) => panic!("a Value's own text refused: {err}"),
            };
            assert_eq!(
                from_value, from_value_text,
                "the Value entry point disagrees with the bytes entry point on the value's text"
            );
            assert_eq!(
                from_value.to_json(),
                from_value_text.to_json(),
                "the Value entry point writes another text than the value's text gives"
            );

            assert_eq!(
                webhook.is_empty(),
                webhook == NormalizedWebhook::default(),
                "is_empty disagrees with the empty result"
            );
            let text = webhook.to_json();
            let from_text: Value = match serde_json::from_str(&text) {
                Ok(value) => value,
                Err(err) => panic!("to_json wrote invalid JSON: {err}\n{text}"),
            };
            let serialized = serde_json::to_value(&webhook).expect("serialize");
            assert!(
                js_equal(&from_text, &serialized),
                "to_json and Serialize give different values\n{text}\n{serialized}"
            );

            let json = serde_json::to_string(&webhook).expect("serialize");
            let back: NormalizedWebhook = serde_json::from_str(&json).expect("deserialize");
            assert_eq!(
                back, webhook,
                "serialize then deserialize changed the result"
            );

            let candidates = field_value_pairs(&value);
            let raw: Vec<(&str, usize)> = webhook
                .raw()
                .iter()
                .map(|(field, values)| (field, values.len()))
                .collect();
            let total: usize = raw.iter().map(|(_, count)| count).sum();
            assert!(total <= candidates.len(), "raw invented a change");
            for (field, _) in &raw {
                assert!(
                    candidates.iter().any(|sent| field_key(sent) == *field),
                    "raw files {field:?}, which is no field of the input"
                );
            }
            let placed = webhook.changes().filter(|c| c.value().is_some()).count();
            assert_eq!(placed, total, "changes and raw disagree");
        }
        Err(err) => {
            assert!(
                parsed.is_err(),
                "normalize_webhook refused valid JSON: {err}"
            );
            assert!(err.line() >= 1, "error without a line: {err}");
            assert!(!err.to_string().is_empty());
        }
    }
});

/// The `field` of every object in `body`, at any depth, whose `field` is a non-empty string and
/// whose `value` is an object or an array: whatever `raw` files must be among them.
fn field_value_pairs(body: &Value) -> Vec<&str> {
    let mut found = Vec::new();
    let mut pending = vec![body];
    while let Some(value) = pending.pop() {
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Object(object) => {
                let field = object.get("field").and_then(Value::as_str);
                let value = object.get("value");
                if let (Some(field), Some(Value::Object(_) | Value::Array(_))) = (field, value) {
                    if !field.is_empty() {
                        found.push(field);
                    }
                }
                pending.extend(object.values());
            }
            _ => {}
        }
    }
    found
}

/// Equal as JavaScript sees JSON values: numbers as f64, objects whatever their key order.
fn js_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| js_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, x)| y.get(key).is_some_and(|y| js_equal(x, y)))
        }
        _ => a == b,
    }
}

/// The reference's key in `raw` for a change's `field`: each `_` followed by a lowercase ASCII
/// letter becomes that letter in uppercase, nothing else changes (not `-`, digits or capitals:
/// `-y_BAaa_` stays as it is, where the keys' camelCasing would give `Y_BAaa_`).
fn field_key(field: &str) -> String {
    let mut key = String::with_capacity(field.len());
    let mut chars = field.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '_' && next.is_ascii_lowercase() => {
                key.push(next.to_ascii_uppercase());
                chars.next();
            }
            _ => key.push(c),
        }
    }
    key
}
