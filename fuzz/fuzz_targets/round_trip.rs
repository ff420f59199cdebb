//! Round trip: normalize → serialize → deserialize → equal, and serializing again gives the
//! same JSON text.
#![no_main]

use kapso_webhooks::{normalize_webhook, NormalizedWebhook};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(webhook) = normalize_webhook(data) else {
        return;
    };
    let json = serde_json::to_string(&webhook).expect("serialize");
    let back: NormalizedWebhook = match serde_json::from_str(&json) {
        Ok(back) => back,
        Err(err) => panic!("our own JSON does not deserialize: {err}\n{json}"),
    };
    assert_eq!(back, webhook, "deserialized value differs");
    let again = serde_json::to_string(&back).expect("serialize");
    assert_eq!(again, json, "re-serialized JSON differs");

    // Through a `Value` too (what a queue or a database column would hold).
    let value = serde_json::to_value(&webhook).expect("to_value");
    let from_value: NormalizedWebhook = match serde_json::from_value(value) {
        Ok(back) => back,
        Err(err) => panic!("our own JSON value does not deserialize: {err}\n{json}"),
    };
    assert_eq!(from_value, webhook, "deserialized (from Value) differs");
});
