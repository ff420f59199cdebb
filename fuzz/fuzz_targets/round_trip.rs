//! Round trip: normalize → `to_json` → `from_json` → equal, and writing it again gives the
//! identical text; the same through serde_json (`to_string` → `from_str`, `to_value` →
//! `from_value`: what a queue or a database column would hold), compared as values.
#![no_main]

use kapso_webhooks::{normalize_webhook, NormalizedWebhook};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(webhook) = normalize_webhook(data) else {
        return;
    };
    let text = webhook.to_json();
    let back = match NormalizedWebhook::from_json(&text) {
        Ok(back) => back,
        Err(err) => panic!("our own text does not read back: {err}\n{text}"),
    };
    assert_eq!(back, webhook, "read back (from_json) differs");
    let again = back.to_json();
    assert_eq!(again, text, "the text written again differs");
    let mut appended = String::from("[");
    back.write_json(&mut appended);
    assert_eq!(
        appended.get(1..),
        Some(text.as_str()),
        "write_json differs from to_json"
    );

    let json = serde_json::to_string(&webhook).expect("serialize");
    let back: NormalizedWebhook = match serde_json::from_str(&json) {
        Ok(back) => back,
        Err(err) => panic!("our own JSON does not deserialize: {err}\n{json}"),
    };
    assert_eq!(back, webhook, "deserialized value differs");

    let value = serde_json::to_value(&webhook).expect("to_value");
    let from_value: NormalizedWebhook = match serde_json::from_value(value) {
        Ok(back) => back,
        Err(err) => panic!("our own JSON value does not deserialize: {err}\n{json}"),
    };
    assert_eq!(from_value, webhook, "deserialized (from Value) differs");
});
