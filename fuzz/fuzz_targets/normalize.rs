//! `normalize_webhook` on arbitrary bytes.
//!
//! Checks, besides "never panics":
//! - the body is accepted exactly when serde_json accepts it as a `Value`;
//! - an error names a position (line ≥ 1) and has a message;
//! - the bytes entry point and the `Value` entry point give equal results (the same JSON, key
//!   order aside);
//! - `raw` holds one value per change that has a non-empty string `field` and an object or
//!   array `value`;
//! - `is_empty` (which does not build `raw`) agrees with equality to the empty result.
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
            // Same JSON, compared as values (key order ignored, as in the agreement tests: a
            // typed struct writes its typed keys in a fixed order, and where a duplicate key's
            // later value lands among the rest differs between the two entry points).
            let from_value = normalize_webhook_value(&value);
            assert_eq!(webhook, from_value, "bytes and Value entry points disagree");
            assert_eq!(
                serde_json::to_value(&webhook).expect("serialize"),
                serde_json::to_value(&from_value).expect("serialize"),
                "bytes and Value entry points give different JSON"
            );

            let expected_raw = changes_filed_under_raw(&value);
            let actual_raw: usize = webhook.raw().iter().map(|(_, values)| values.len()).sum();
            assert_eq!(actual_raw, expected_raw, "raw lost or invented a change");
            assert_eq!(
                webhook.is_empty(),
                webhook == NormalizedWebhook::default(),
                "is_empty disagrees with the empty result"
            );
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

/// How many changes the reference files under `raw`: a non-empty string `field` and an object
/// or array `value`, in an object change of an array `changes` of an object entry of an array
/// `entry` of an object body.
fn changes_filed_under_raw(body: &Value) -> usize {
    let Some(Value::Array(entries)) = body.get("entry") else {
        return 0;
    };
    entries
        .iter()
        .filter_map(|entry| match entry.get("changes") {
            Some(Value::Array(changes)) => Some(changes),
            _ => None,
        })
        .flatten()
        .filter(|change| {
            let field = change.get("field").and_then(Value::as_str).unwrap_or("");
            let value = change.get("value");
            !field.is_empty() && value.is_some_and(|v| v.is_object() || v.is_array())
        })
        .count()
}
